//! The spec files as written: plain serde structs, unknown keys rejected.
//!
//! Nothing here is checked beyond what serde checks (and type expressions, parsed as they are
//! read); [`check`](crate::check) does every semantic check.

use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::typeexpr::TypeExpr;

/// One spec file: an endpoint (when `api` is present) and the named types it defines.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The documented API name, for example `dingtalk.oapi.edu.period.create`.
    pub api: Option<String>,
    /// Short title, usually the vendor's Chinese name of the endpoint.
    pub title: Option<String>,
    /// What the endpoint does.
    pub description: Option<String>,
    /// Link to the vendor's documentation page.
    pub docs: Option<String>,
    /// Protocol family.
    pub protocol: Option<ProtocolName>,
    /// HTTP method and route.
    pub http: Option<Http>,
    /// Base of the generated type names (`EduPeriodCreate` gives `EduPeriodCreateRequest`);
    /// derived from the file name when absent.
    pub name: Option<String>,
    /// The request payload (credentials of the protocol family are not listed).
    pub request: Option<Object>,
    /// The response payload inside the protocol family's envelope.
    pub response: Option<Object>,
    /// Named types: objects and enums. An endpoint's file keeps them to itself; a file without
    /// `api` shares them with every file of its vendor.
    #[serde(default)]
    pub types: OrderedMap<TypeDef>,
    /// The endpoint's documented error codes.
    #[serde(default)]
    pub errors: Vec<ErrorDef>,
    /// Free-form remarks kept in the generated documentation (for example where a page
    /// contradicts itself and which reading the spec follows).
    pub notes: Option<String>,
    /// How the endpoint pages through its results, when it does.
    pub pagination: Option<PaginationDef>,
}

/// How an endpoint pages: which request field carries the position, and where the response
/// holds the items and the end signals. Request fields are named by wire name; response fields
/// by a dotted path of wire names from the response (`result.next_cursor`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationDef {
    /// `cursor` or `offset`.
    pub style: PageStyleName,
    /// The response's list of items.
    pub items: String,
    /// The response's flag saying whether more pages follow.
    pub has_more: Option<String>,
    /// Cursor style: the request field that carries the cursor.
    pub cursor: Option<String>,
    /// Cursor style: the response field that gives the next cursor.
    pub next_cursor: Option<String>,
    /// Offset style: the request field that carries the offset.
    pub offset: Option<String>,
    /// Offset style: the request field that carries the page size.
    pub size: Option<String>,
}

/// The pagination styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageStyleName {
    /// A cursor from each response goes into the next request.
    Cursor,
    /// An offset goes up by the items of each page.
    Offset,
}

/// The protocol families the runtime speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ProtocolName {
    /// DingTalk `oapi`: JSON body, `access_token` in the query.
    #[serde(rename = "dingtalk-oapi")]
    DingTalkOapi,
    /// DingTalk through the TOP router.
    #[serde(rename = "dingtalk-top")]
    DingTalkTop,
    /// ClassIn partner API v1.
    #[serde(rename = "classin-v1")]
    ClassInV1,
}

impl ProtocolName {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolName::DingTalkOapi => "dingtalk-oapi",
            ProtocolName::DingTalkTop => "dingtalk-top",
            ProtocolName::ClassInV1 => "classin-v1",
        }
    }
}

/// HTTP method and route.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// `GET` or `POST`.
    pub method: MethodName,
    /// URL path: the oapi path, or ClassIn's script path.
    pub path: Option<String>,
    /// ClassIn's `action` query parameter.
    pub action: Option<String>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum MethodName {
    /// GET.
    #[serde(rename = "GET")]
    Get,
    /// POST.
    #[serde(rename = "POST")]
    Post,
}

/// An object: a request, a response or a named object type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    /// What the object is.
    pub description: Option<String>,
    /// Fields by wire name, in the order written.
    #[serde(default)]
    pub fields: OrderedMap<Field>,
    /// Conditional rules between fields.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Groups of fields of which one, at least one or at most one must be set.
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// Marks a per-item result of a multi-item call: which fields hold its code and message.
    pub item_result: Option<ItemResultDef>,
}

/// A named type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What the type is.
    pub description: Option<String>,
    /// Fields, for an object type.
    pub fields: Option<OrderedMap<Field>>,
    /// Conditional rules, for an object type.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Field groups, for an object type.
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// Per-item result marker, for an object type.
    pub item_result: Option<ItemResultDef>,
    /// Values, for an enum type.
    #[serde(rename = "enum")]
    pub values: Option<Vec<EnumValue>>,
}

/// One field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `bool`, `int32`, `int64`, `number`, `file`, `list<T>` or a
    /// type name; parsed as it is read.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// Rust name, when the one derived from the wire name will not do.
    pub rust_name: Option<String>,
    /// Whether the field must be present.
    #[serde(default)]
    pub required: bool,
    /// The value the server assumes when the field is absent.
    pub default: Option<serde_yaml::Value>,
    /// An example value from the documentation.
    pub example: Option<serde_yaml::Value>,
    /// The documentation's description.
    pub description: Option<String>,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// The vendor recommends at most this many items (a warning beyond).
    pub recommended_max_items: Option<u64>,
    /// Fewest characters (not bytes).
    pub min_length: Option<u64>,
    /// Most characters (not bytes).
    pub max_length: Option<u64>,
    /// Exact number of characters.
    pub length: Option<u64>,
    /// The server truncates beyond this many characters (a warning beyond).
    pub truncated_beyond: Option<u64>,
    /// Smallest number.
    pub min: Option<f64>,
    /// Largest number.
    pub max: Option<f64>,
    /// Regular expression the whole text must match.
    pub pattern: Option<String>,
    /// Largest file, in bytes.
    pub max_bytes: Option<u64>,
    /// File name extensions a file may have (`jpg`, `png`), compared without case.
    pub extensions: Option<Vec<String>>,
    /// Media types a file may have (`image/png`).
    pub media_types: Option<Vec<String>>,
    /// How the field is written into a form body.
    pub encoding: Option<EncodingName>,
}

/// Form-body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncodingName {
    /// As text.
    Plain,
    /// A JSON string inside the form field.
    Json,
    /// A list of primitives joined with commas.
    Comma,
}

/// One value of an enum type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value: a string or an integer.
    pub value: serde_yaml::Value,
    /// The Rust variant name; required when the value is not an ASCII word.
    pub name: Option<String>,
    /// What the value means.
    pub description: Option<String>,
}

/// One documented error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The numeric code.
    pub code: i64,
    /// The Rust variant name; `Code<n>` when absent.
    pub name: Option<String>,
    /// The documented meaning.
    pub meaning: Option<String>,
    /// How the code is to be treated.
    #[serde(default)]
    pub kind: ErrorKindName,
}

/// How an error code is to be treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKindName {
    /// Success.
    Success,
    /// A failure that retrying will not fix.
    #[default]
    Failure,
    /// A transient failure.
    Retryable,
    /// Done, but something secondary failed.
    PartialSuccess,
}

/// Which fields of a per-item result hold its code and message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemResultDef {
    /// Wire name of the integer code field.
    pub code: String,
    /// Wire name of the message field.
    pub message: String,
}

/// A rule the documentation states between fields: when a condition holds, a check applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// The condition.
    pub when: Condition,
    /// The check.
    pub check: RuleCheck,
    /// Error (the server rejects) or warning (the server ignores or changes it).
    #[serde(default)]
    pub severity: SeverityName,
    /// The rule in the documentation's words; the rule's own terms when absent.
    pub description: Option<String>,
}

/// A group of fields of one object: at most one (`one_of`), at least one or exactly one of them
/// must be set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    /// At most one of these fields may be set (fields that exclude each other).
    pub one_of: Option<Vec<String>>,
    /// At least one of these fields must be set.
    pub at_least_one_of: Option<Vec<String>>,
    /// Exactly one of these fields must be set.
    pub exactly_one_of: Option<Vec<String>>,
    /// Error (the server rejects) or warning.
    #[serde(default)]
    pub severity: SeverityName,
    /// The group in the documentation's words.
    pub description: Option<String>,
}

/// A condition on a field of the same object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Wire name of the field.
    pub field: String,
    /// Holds when the field equals this value.
    pub equals: Option<serde_yaml::Value>,
    /// Holds when the field does not equal this value.
    pub not_equals: Option<serde_yaml::Value>,
    /// Holds when the field equals one of these values.
    #[serde(rename = "in")]
    pub in_: Option<Vec<serde_yaml::Value>>,
    /// Holds when the field is set (`present: true`).
    #[serde(default)]
    pub present: bool,
    /// Holds when the field is not set (`absent: true`).
    #[serde(default)]
    pub absent: bool,
}

/// A check on a field of the same object, or on a field of its list items (`list[].field`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCheck {
    /// Wire path of the field: `name`, or `items[].name` for a field of each list item.
    pub field: String,
    /// The list may have at most this many items.
    pub max_items: Option<u64>,
    /// The field should be absent.
    #[serde(default)]
    pub absent: bool,
    /// The field must be present.
    #[serde(default)]
    pub present: bool,
}

/// Severity of a rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityName {
    /// The server would reject the request.
    #[default]
    Error,
    /// The server accepts it but ignores or changes it.
    Warning,
}

/// A map that keeps the order its keys were written in and rejects a key written twice.
#[derive(Debug, Clone)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    /// Entries in the order written.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The entry for `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names to definitions")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(de::Error::custom(format_args!("`{key}` is defined twice")));
                    }
                    let value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_any(MapVisitor(PhantomData))
    }
}
