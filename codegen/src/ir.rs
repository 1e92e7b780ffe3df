//! The checked, resolved model the emitters walk: every name final, every type reference
//! resolved to the module that defines it, every limit a value. Nothing here is read from YAML
//! again or checked again.

use std::collections::BTreeMap;

use crate::model::{EncodingName, ErrorKindName, MethodName, ProtocolName, SeverityName};
pub use crate::resolved::GroupKind;
use crate::typeexpr::Prim;

/// Everything to generate, by vendor module name.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// Vendors, keyed by module name (sorted, so output order is fixed).
    pub vendors: BTreeMap<String, VendorIr>,
}

/// The runtime client a vendor's endpoints are called through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientFamily {
    /// `client_runtime::dingtalk::DingTalkClient` (oapi and TOP).
    DingTalk,
    /// `client_runtime::classin::ClassInClient`.
    ClassIn,
}

impl ClientFamily {
    /// The family of a protocol.
    pub fn of(p: ProtocolName) -> Self {
        match p {
            ProtocolName::DingTalkOapi | ProtocolName::DingTalkTop => ClientFamily::DingTalk,
            ProtocolName::ClassInV1 => ClientFamily::ClassIn,
        }
    }

    /// The generated wrapper's type name, also the runtime client's.
    pub fn client_type(self) -> &'static str {
        match self {
            ClientFamily::DingTalk => "DingTalkClient",
            ClientFamily::ClassIn => "ClassInClient",
        }
    }

    /// The runtime module holding the client.
    pub fn runtime_module(self) -> &'static str {
        match self {
            ClientFamily::DingTalk => "dingtalk",
            ClientFamily::ClassIn => "classin",
        }
    }
}

/// One vendor folder.
#[derive(Debug, Clone)]
pub struct VendorIr {
    /// Module name.
    pub name: String,
    /// The client family, when the vendor has endpoints.
    pub family: Option<ClientFamily>,
    /// Modules, keyed by name.
    pub modules: BTreeMap<String, ModuleIr>,
}

/// One spec file's module.
#[derive(Debug, Clone)]
pub struct ModuleIr {
    /// Module name.
    pub name: String,
    /// The spec file it comes from, as displayed.
    pub source: String,
    /// The module's documentation.
    pub doc: String,
    /// The endpoint, when the file defines one.
    pub endpoint: Option<EndpointIr>,
    /// Object types, request and response first, then named types in spec order.
    pub structs: Vec<StructIr>,
    /// Enum types in spec order.
    pub enums: Vec<EnumIr>,
    /// The error-code table, when the spec lists codes.
    pub error_codes: Option<ErrorCodesIr>,
    /// The crate that generates this module, when it is not this one: the module is read for
    /// its types and re-exported from there, not generated again.
    pub provided_by: Option<String>,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct EndpointIr {
    /// API name.
    pub api: String,
    /// Title.
    pub title: String,
    /// Protocol family.
    pub protocol: ProtocolName,
    /// HTTP method.
    pub method: MethodName,
    /// Route.
    pub route: RouteIr,
    /// Request type name.
    pub request: String,
    /// Response type name.
    pub response: String,
    /// The client method's name.
    pub method_name: String,
    /// Explicit form encodings of top-level request fields, by wire name.
    pub encodings: Vec<(String, EncodingName)>,
    /// The request's file fields, sent as parts of a `multipart/form-data` body.
    pub files: Vec<FieldRef>,
    /// The response the spec's examples describe, as JSON text.
    pub example_response: String,
    /// The request the spec's examples describe, for the method's documentation.
    pub example_request: ExampleIr,
    /// How the endpoint pages, when it does.
    pub pagination: Option<PaginationIr>,
}

/// An endpoint's paging, as the `Paginated` impl and the stream methods need it.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationIr {
    /// The position fields of the request, by style.
    pub style: PageStyleIr,
    /// The path to the response's items.
    pub items: Vec<PathStep>,
    /// The item type.
    pub item: TyIr,
    /// The path to the response's `has_more` flag.
    pub has_more: Option<Vec<PathStep>>,
    /// The client method returning a stream of pages.
    pub pages_method: String,
    /// The client method returning a stream of items.
    pub items_method: String,
}

/// A pagination style with its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyleIr {
    /// The request's cursor field, and the path to the response's next cursor with its type.
    Cursor {
        /// The request field.
        cursor: PageFieldIr,
        /// The path to the next cursor.
        next_cursor: Vec<PathStep>,
        /// The next cursor's type.
        next_prim: Prim,
    },
    /// The request's offset and page size fields.
    Offset {
        /// The offset field.
        offset: PageFieldIr,
        /// The page size field.
        size: Option<PageFieldIr>,
    },
}

/// A top-level request field pagination reads or sets.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFieldIr {
    /// Rust name.
    pub rust: String,
    /// Scalar type.
    pub prim: Prim,
    /// Whether it is an `Option`.
    pub optional: bool,
}

/// One field on a path through the response: Rust name, and whether it is an `Option`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    /// Rust name.
    pub rust: String,
    /// Whether it is an `Option`.
    pub optional: bool,
}

/// A value built from the spec's examples, as Rust code would build it.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleIr {
    /// A scalar or an enum variant.
    Value(Literal),
    /// A list.
    List(Vec<ExampleIr>),
    /// An object, built with its builder: the type and `(setter, value)` in field order.
    Object(TypePath, Vec<(String, ExampleIr)>),
    /// A file, by name.
    File(String),
}

/// Where an endpoint lives.
#[derive(Debug, Clone)]
pub enum RouteIr {
    /// An oapi path.
    Path(String),
    /// A TOP method (the API name).
    TopMethod(String),
    /// A ClassIn script path and action.
    Action {
        /// Script path.
        path: String,
        /// Action.
        action: String,
    },
}

/// Which way a type travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from a request: serialized and validated.
    pub request: bool,
    /// Reachable from a response: deserialized leniently.
    pub response: bool,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Type name.
    pub name: String,
    /// Documentation lines.
    pub doc: String,
    /// Fields in spec order.
    pub fields: Vec<FieldIr>,
    /// Conditional rules.
    pub rules: Vec<RuleIr>,
    /// Groups of fields of which a number must be set.
    pub groups: Vec<GroupIr>,
    /// Per-item result fields (code, message), by Rust name, with the error-code type.
    pub item_result: Option<ItemResultIr>,
    /// Which way it travels.
    pub usage: Usage,
}

/// Per-item result marker.
#[derive(Debug, Clone)]
pub struct ItemResultIr {
    /// Rust name of the code field.
    pub code_field: String,
    /// Whether the code field is optional.
    pub code_optional: bool,
    /// Whether the code field is 32-bit (widened to `i64`).
    pub code_i32: bool,
    /// Rust name of the message field.
    pub message_field: String,
    /// Whether the message field is optional.
    pub message_optional: bool,
    /// The error-code type, as a path from the struct's module.
    pub code_type: TypePath,
}

/// A path to a generated type from the module that uses it: `Step` or
/// `super::other_module::Step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypePath {
    /// The defining module, when it is not the using one.
    pub module: Option<String>,
    /// The type name.
    pub name: String,
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq)]
pub enum TyIr {
    /// A scalar.
    Prim(Prim),
    /// A file.
    File,
    /// A list.
    List(Box<TyIr>),
    /// An object type.
    Struct(TypePath),
    /// An enum type, with its wire representation.
    Enum(TypePath, EnumRepr),
}

impl TyIr {
    /// The innermost item type of a list, or the type itself.
    pub fn leaf(&self) -> &TyIr {
        match self {
            TyIr::List(inner) => inner.leaf(),
            other => other,
        }
    }
}

/// One field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Rust name.
    pub rust: String,
    /// Wire name.
    pub wire: String,
    /// Type.
    pub ty: TyIr,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// Whether the constructor takes it (required and without default).
    pub in_constructor: bool,
    /// The default the server assumes, written as the initial value.
    pub default: Option<Literal>,
    /// Documentation lines (description, example, limits in words).
    pub doc: String,
    /// Limits.
    pub limits: Limits,
    /// Whether a required string must be non-empty.
    pub non_empty: bool,
}

/// A literal value from the spec.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Text.
    Str(String),
    /// Integer.
    Int(i64),
    /// Number.
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// An enum variant, by type path and variant name.
    Variant(TypePath, String),
}

/// The documented limits of a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// Recommended most list items (warning).
    pub recommended_max_items: Option<u64>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Exact characters.
    pub length: Option<u64>,
    /// Server truncation (warning).
    pub truncated_beyond: Option<u64>,
    /// Smallest number.
    pub min: Option<f64>,
    /// Largest number.
    pub max: Option<f64>,
    /// Pattern.
    pub pattern: Option<String>,
    /// Largest file, in bytes.
    pub max_bytes: Option<u64>,
    /// File name extensions allowed (none: any).
    pub extensions: Vec<String>,
    /// Media types allowed (none: any).
    pub media_types: Vec<String>,
}

impl Limits {
    /// Whether any limit applies to text or numbers (as opposed to list size).
    pub fn has_scalar(&self) -> bool {
        self.min_length.is_some()
            || self.max_length.is_some()
            || self.length.is_some()
            || self.truncated_beyond.is_some()
            || self.min.is_some()
            || self.max.is_some()
            || self.pattern.is_some()
    }
}

/// A conditional rule.
#[derive(Debug, Clone)]
pub struct RuleIr {
    /// The field the condition reads.
    pub when: FieldRef,
    /// What the condition tests.
    pub test: TestIr,
    /// The check.
    pub check: RuleCheckIr,
    /// Severity.
    pub severity: SeverityName,
    /// The rule in words, for the violation's message.
    pub text: String,
}

/// What a rule's condition tests of its field.
#[derive(Debug, Clone)]
pub enum TestIr {
    /// The field equals the value.
    Equals(ValueIr),
    /// The field does not equal the value.
    NotEquals(ValueIr),
    /// The field equals one of the values.
    In(Vec<ValueIr>),
    /// The field is set.
    Present,
    /// The field is not set.
    Absent,
}

/// A value a condition compares with.
#[derive(Debug, Clone)]
pub struct ValueIr {
    /// As a Rust literal of the field's type.
    pub rust: Literal,
    /// As it travels on the wire (an enum's wire value, not its variant).
    pub wire: Literal,
}

/// A group of fields of one object, of which a number must be set.
#[derive(Debug, Clone)]
pub struct GroupIr {
    /// How many must be set.
    pub kind: GroupKind,
    /// The fields.
    pub fields: Vec<FieldRef>,
    /// Severity.
    pub severity: SeverityName,
    /// The group in words.
    pub text: String,
}

/// What a conditional rule checks.
#[derive(Debug, Clone)]
pub enum RuleCheckIr {
    /// A list field has at most `max` items.
    MaxItems {
        /// The list field.
        field: FieldRef,
        /// Bound.
        max: u64,
    },
    /// A field is absent (or present), possibly in every item of a list field.
    Presence {
        /// The list field whose items hold the field, when any.
        list: Option<FieldRef>,
        /// The field.
        field: FieldRef,
        /// `true`: must be absent; `false`: must be present.
        absent: bool,
    },
}

/// A field named by a rule.
#[derive(Debug, Clone)]
pub struct FieldRef {
    /// Rust name.
    pub rust: String,
    /// Wire name.
    pub wire: String,
    /// Whether it is an `Option`.
    pub optional: bool,
}

/// Wire representation of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Strings.
    Str,
    /// Integers.
    Int,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Type name.
    pub name: String,
    /// Documentation.
    pub doc: String,
    /// Its values, in spec order.
    pub values: EnumValuesIr,
}

/// The values of an enum: all strings or all integers.
#[derive(Debug, Clone)]
pub enum EnumValuesIr {
    /// Strings.
    Str(Vec<VariantIr<String>>),
    /// Integers.
    Int(Vec<VariantIr<i64>>),
}

/// One enum variant.
#[derive(Debug, Clone)]
pub struct VariantIr<T> {
    /// Variant name.
    pub name: String,
    /// Wire value.
    pub value: T,
    /// Documentation.
    pub doc: String,
}

/// An endpoint's error codes.
#[derive(Debug, Clone)]
pub struct ErrorCodesIr {
    /// Type name.
    pub name: String,
    /// Codes in spec order.
    pub codes: Vec<ErrorCodeIr>,
}

/// One error code.
#[derive(Debug, Clone)]
pub struct ErrorCodeIr {
    /// Numeric code.
    pub code: i64,
    /// Variant name.
    pub variant: String,
    /// The documented meaning.
    pub meaning: Option<String>,
    /// Treatment.
    pub kind: ErrorKindName,
}
