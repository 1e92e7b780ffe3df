//! The checked, resolved model: what [`check`](crate::check) hands to [`lower`](crate::lower).
//!
//! Every name here is final, every type reference points at the module that defines it, every
//! enum knows its representation and variant names, every rule and group names its fields by
//! both their Rust and wire names, and every default is a typed value. Lowering only composes
//! documentation and paths from it; it never looks at the YAML again.

use std::collections::BTreeMap;

use crate::ir::{ClientFamily, EnumRepr, FieldRef, Limits, RouteIr};
use crate::model::{EncodingName, ErrorKindName, MethodName, ProtocolName, SeverityName};
use crate::typeexpr::Prim;

/// Where an item stands in its spec file: the file as displayed, and the line and column of its
/// key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// The file, as displayed (`spec/dingtalk/edu_period_create.yaml`).
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// Every vendor, by module name.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Vendors, keyed by module name.
    pub vendors: BTreeMap<String, Vendor>,
}

/// One vendor folder.
#[derive(Debug, Clone)]
pub struct Vendor {
    /// Module name.
    pub name: String,
    /// The client its endpoints are called through, when it has endpoints.
    pub family: Option<ClientFamily>,
    /// Its spec files' modules, keyed by module name.
    pub modules: BTreeMap<String, Module>,
}

/// One spec file.
#[derive(Debug, Clone)]
pub struct Module {
    /// Module name.
    pub name: String,
    /// The file, as displayed.
    pub source: String,
    /// What the file says about itself.
    pub about: About,
    /// The endpoint, when the file defines one.
    pub endpoint: Option<Endpoint>,
    /// Object types: the request and response first, then named objects in spec order.
    pub objects: Vec<Object>,
    /// Enum types in spec order.
    pub enums: Vec<Enum>,
    /// The endpoint's error codes, when it lists any.
    pub errors: Option<ErrorTable>,
}

/// A file's own words.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Link to the vendor's page.
    pub docs: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// An endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Where its `api` key stands.
    pub at: Loc,
    /// API name.
    pub api: String,
    /// Short title.
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
    /// Error-code type name.
    pub error_code: String,
    /// The client method's name.
    pub method_name: String,
    /// How it pages, when it does.
    pub pagination: Option<Pagination>,
}

/// How an endpoint pages, with every field it names resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where its `pagination` key stands.
    pub at: Loc,
    /// The style, with the request fields it uses.
    pub style: PageStyle,
    /// The response's list of items: the path to it and the item type.
    pub items: FieldPath,
    /// The response's `has_more` flag.
    pub has_more: Option<FieldPath>,
}

/// A pagination style with the fields it uses.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// Cursor style.
    Cursor {
        /// The request field that carries the cursor.
        cursor: PageField,
        /// The response field that gives the next cursor.
        next_cursor: FieldPath,
    },
    /// Offset style.
    Offset {
        /// The request field that carries the offset.
        offset: PageField,
        /// The request field that carries the page size.
        size: Option<PageField>,
    },
}

/// A top-level request field that pagination sets or reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PageField {
    /// Rust name.
    pub rust: String,
    /// Its scalar type.
    pub prim: Prim,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
}

/// A path of fields from the response to a field inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// Each field on the way, the last one included: Rust name, and whether it is an `Option`.
    pub steps: Vec<(String, bool)>,
    /// The type of the last field.
    pub ty: Ty,
}

/// What an object is to its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The endpoint's request.
    Request,
    /// The endpoint's response.
    Response,
    /// A named type, by its spec name.
    Named(String),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Object {
    /// Where it is defined.
    pub at: Loc,
    /// What it is to its file.
    pub role: Role,
    /// Rust type name.
    pub rust: String,
    /// The spec's description.
    pub description: Option<String>,
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Rules between fields.
    pub rules: Vec<Rule>,
    /// Groups of fields.
    pub groups: Vec<Group>,
    /// Per-item result marker.
    pub item_result: Option<ItemResult>,
}

/// A field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Where it is defined.
    pub at: Loc,
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Resolved type.
    pub ty: Ty,
    /// Whether the spec marks it required.
    pub required: bool,
    /// The default the server assumes, typed.
    pub default: Option<Value>,
    /// The documentation's example (checked against the field's type for scalars and enums).
    pub example: Option<Example>,
    /// The spec's description.
    pub description: Option<String>,
    /// Limits.
    pub limits: Limits,
    /// Form encoding.
    pub encoding: Option<EncodingName>,
}

/// Whether a string field must not be empty: a required one, unless its own length limits
/// say otherwise.
pub fn must_not_be_empty(required: bool, min_length: Option<u64>, length: Option<u64>) -> bool {
    required && min_length.is_none() && length.is_none()
}

impl Field {
    /// Whether the field is a string that must not be empty.
    pub fn non_empty(&self) -> bool {
        self.ty == Ty::Prim(Prim::String)
            && must_not_be_empty(self.required, self.limits.min_length, self.limits.length)
    }

    /// Whether the Rust field is an `Option`: neither required nor defaulted.
    pub fn optional(&self) -> bool {
        !self.required && self.default.is_none()
    }

    /// The field as rules and groups name it.
    pub fn reference(&self) -> FieldRef {
        FieldRef {
            rust: self.rust.clone(),
            wire: self.wire.clone(),
            optional: self.optional(),
        }
    }
}

/// An example value from a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// As JSON text, keys in the order written: what documentation shows.
    pub text: String,
    /// As a JSON value: what the fake vendor's example answers are built from.
    pub json: serde_json::Value,
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A scalar.
    Prim(Prim),
    /// A file.
    File,
    /// A list.
    List(Box<Ty>),
    /// An object type.
    Object(TypeRef),
    /// An enum type.
    Enum(TypeRef, EnumRepr),
}

impl Ty {
    /// The innermost item type of a list, or the type itself.
    pub fn leaf(&self) -> &Ty {
        match self {
            Ty::List(inner) => inner.leaf(),
            other => other,
        }
    }
}

/// Where a named type is defined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeRef {
    /// The defining module.
    pub module: String,
    /// The Rust type name.
    pub rust: String,
}

/// A typed value from the spec: a default or a value a condition compares with.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Str(String),
    /// Integer.
    Int(i64),
    /// Number.
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// An enum value: its type, variant, and wire value (`Str` or `Int`).
    Variant(TypeRef, String, Box<Value>),
}

impl Value {
    /// The value as it travels on the wire.
    pub fn wire(&self) -> &Value {
        match self {
            Value::Variant(_, _, wire) => wire,
            other => other,
        }
    }
}

/// A rule between fields of one object.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Where it is written.
    pub at: Loc,
    /// The field the condition reads.
    pub when: FieldRef,
    /// What the condition tests.
    pub test: Test,
    /// What holds when the condition does.
    pub check: Check,
    /// Severity.
    pub severity: SeverityName,
    /// The rule in the documentation's words.
    pub description: Option<String>,
}

/// What a condition tests of its field.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// The field equals the value.
    Equals(Value),
    /// The field does not equal the value.
    NotEquals(Value),
    /// The field equals one of the values.
    In(Vec<Value>),
    /// The field is set.
    Present,
    /// The field is not set.
    Absent,
}

/// What a rule checks.
#[derive(Debug, Clone)]
pub enum Check {
    /// A list field has at most `max` items.
    MaxItems {
        /// The list field.
        field: FieldRef,
        /// Bound.
        max: u64,
    },
    /// A field is absent (or present), possibly in every item of a list field.
    Presence {
        /// The list whose items hold the field, when any.
        list: Option<FieldRef>,
        /// The field.
        field: FieldRef,
        /// `true`: must be absent; `false`: must be present.
        absent: bool,
    },
}

/// How many fields of a group must be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// At most one (`one_of`).
    AtMostOne,
    /// At least one.
    AtLeastOne,
    /// Exactly one.
    ExactlyOne,
}

impl GroupKind {
    /// The key that introduces the group in a spec.
    pub fn key(self) -> &'static str {
        match self {
            GroupKind::AtMostOne => "one_of",
            GroupKind::AtLeastOne => "at_least_one_of",
            GroupKind::ExactlyOne => "exactly_one_of",
        }
    }
}

/// A group of optional fields of one object.
#[derive(Debug, Clone)]
pub struct Group {
    /// Where it is written.
    pub at: Loc,
    /// How many must be set.
    pub kind: GroupKind,
    /// The fields, in the order written.
    pub fields: Vec<FieldRef>,
    /// Severity.
    pub severity: SeverityName,
    /// The group in the documentation's words.
    pub description: Option<String>,
}

/// A per-item result's code and message fields.
#[derive(Debug, Clone)]
pub struct ItemResult {
    /// The integer code field.
    pub code: FieldRef,
    /// Whether the code field is 32-bit.
    pub code_i32: bool,
    /// The message field.
    pub message: FieldRef,
    /// The error-code type of the same module.
    pub code_type: String,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Where it is defined.
    pub at: Loc,
    /// Rust type name.
    pub rust: String,
    /// The spec's name.
    pub spec_name: String,
    /// The spec's description.
    pub description: Option<String>,
    /// Its values, all of one kind, in spec order.
    pub values: EnumValues,
}

/// The values of an enum: all strings or all integers.
#[derive(Debug, Clone)]
pub enum EnumValues {
    /// Strings.
    Str(Vec<Variant<String>>),
    /// Integers.
    Int(Vec<Variant<i64>>),
}

impl EnumValues {
    /// The wire representation.
    pub fn repr(&self) -> EnumRepr {
        match self {
            EnumValues::Str(_) => EnumRepr::Str,
            EnumValues::Int(_) => EnumRepr::Int,
        }
    }

    /// Each variant's name and wire value, in spec order.
    pub fn each(&self) -> Vec<(&str, Value)> {
        match self {
            EnumValues::Str(vs) => vs
                .iter()
                .map(|v| (v.rust.as_str(), Value::Str(v.value.clone())))
                .collect(),
            EnumValues::Int(vs) => vs
                .iter()
                .map(|v| (v.rust.as_str(), Value::Int(v.value)))
                .collect(),
        }
    }
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant<T> {
    /// Where it is listed.
    pub at: Loc,
    /// Variant name.
    pub rust: String,
    /// Wire value.
    pub value: T,
    /// The spec's description.
    pub description: Option<String>,
}

/// An endpoint's error codes.
#[derive(Debug, Clone)]
pub struct ErrorTable {
    /// Type name.
    pub rust: String,
    /// Codes in spec order.
    pub codes: Vec<ErrorCode>,
}

/// One error code.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// Where it is listed.
    pub at: Loc,
    /// The numeric code.
    pub code: i64,
    /// Variant name.
    pub variant: String,
    /// The documented meaning.
    pub meaning: Option<String>,
    /// Treatment.
    pub kind: ErrorKindName,
}
