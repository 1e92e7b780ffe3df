//! Turning a request into wire fields: its top-level fields in declaration order, written as
//! form values or as a JSON object.
//!
//! A request is serialized once with serde; each top-level field keeps the exact JSON text serde
//! wrote for it, so nested objects keep their declared field order and wire names.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::endpoint::FieldEncoding;
use crate::file::{File, FileError};

/// The request could not be serialized into top-level fields.
#[derive(Debug, thiserror::Error)]
#[error("the request could not be serialized: {0}")]
pub struct EncodeError(String);

impl EncodeError {
    /// An encoding failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        EncodeError(message.into())
    }
}

/// One top-level request field: its wire name and the JSON text of its value.
#[derive(Debug)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The value as JSON text.
    pub json: Box<RawValue>,
}

impl Field {
    fn value(&self) -> Value {
        serde_json::from_str(self.json.get()).unwrap_or(Value::Null)
    }
}

/// The top-level fields of a serialized request, in the order serde wrote them.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<Field>);

/// Serialize `request` and split it into its top-level fields. A request that serializes to
/// `null` (a unit struct) has no fields; anything other than an object or `null` is an error.
pub fn fields_of<T: Serialize + ?Sized>(request: &T) -> Result<Fields, EncodeError> {
    let text = serde_json::to_string(request).map_err(|e| EncodeError(e.to_string()))?;
    if text == "null" {
        return Ok(Fields::default());
    }
    let mut de = serde_json::Deserializer::from_str(&text);
    de.deserialize_map(FieldsVisitor)
        .map_err(|e| EncodeError(format!("a request must serialize to a JSON object ({e})")))
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut out = Vec::new();
        while let Some((name, json)) = map.next_entry::<String, Box<RawValue>>()? {
            out.push(Field { name, json });
        }
        Ok(Fields(out))
    }
}

/// The default rule for fields that `FIELD_ENCODINGS` does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// TOP router: objects and lists of objects as JSON, lists of primitives comma-joined;
    /// `null`, empty strings, empty lists and empty objects are not sent.
    Top,
    /// ClassIn: objects and lists as JSON, scalars as text; only `null` is left out.
    ClassIn,
}

fn is_primitive(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) | Value::Bool(_) => false,
    }
}

fn plain(v: &Value, raw: &str) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => raw.to_owned(),
    }
}

fn comma_joined(v: &Value, raw: &str) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(_) | Value::Object(_) => item.to_string(),
                other => plain(other, ""),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => plain(other, raw),
    }
}

/// The form fields of `fields`, as `(wire name, text)` pairs in declaration order.
pub fn form_pairs(
    fields: &Fields,
    encodings: &[(&str, FieldEncoding)],
    style: FormStyle,
) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(fields.0.len());
    for field in &fields.0 {
        let value = field.value();
        let raw = field.json.get();
        let skip = match style {
            FormStyle::Top => is_empty(&value),
            FormStyle::ClassIn => value.is_null(),
        };
        if skip {
            continue;
        }
        let listed = encodings
            .iter()
            .find(|(name, _)| *name == field.name)
            .map(|(_, e)| *e);
        let text = match listed {
            Some(FieldEncoding::Json) => raw.to_owned(),
            Some(FieldEncoding::CommaJoined) => comma_joined(&value, raw),
            Some(FieldEncoding::Plain) => plain(&value, raw),
            None => match (&value, style) {
                (Value::Array(items), FormStyle::Top) if items.iter().all(is_primitive) => {
                    comma_joined(&value, raw)
                }
                (Value::Array(_) | Value::Object(_), _) => raw.to_owned(),
                _ => plain(&value, raw),
            },
        };
        out.push((field.name.clone(), text));
    }
    out
}

/// A `multipart/form-data` body: one text part per pair, in order, then one part per file, named
/// by its field's wire name, with the file's name and media type. Each file is read anew.
pub(crate) async fn multipart(
    pairs: Vec<(String, String)>,
    files: &[(&'static str, &File)],
) -> Result<reqwest::multipart::Form, FileError> {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in pairs {
        form = form.text(name, value);
    }
    for &(field, file) in files {
        form = form.part(field, file.part(field).await?);
    }
    Ok(form)
}

/// The fields as one compact JSON object, in declaration order, leaving out top-level `null`s.
pub fn json_object(fields: &Fields) -> String {
    let mut out = String::from("{");
    let mut first = true;
    for field in &fields.0 {
        if field.json.get() == "null" {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&Value::String(field.name.clone()).to_string());
        out.push(':');
        out.push_str(field.json.get());
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Item {
        uid: String,
        #[serde(rename = "customColumn")]
        custom_column: i64,
    }

    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "courseId")]
        course_id: i64,
        name: String,
        empty: String,
        flag: bool,
        ratio: f64,
        ids: Vec<i64>,
        tags: Vec<String>,
        none: Option<String>,
        items: Vec<Item>,
        one: Item,
        nothing: Vec<i64>,
        forced: Vec<i64>,
    }

    fn sample() -> Req {
        Req {
            course_id: 490583,
            name: "丁 小明&".into(),
            empty: String::new(),
            flag: true,
            ratio: 1.5,
            ids: vec![1, 2, 3],
            tags: vec!["a".into(), "b".into()],
            none: None,
            items: vec![Item {
                uid: "1001001".into(),
                custom_column: 123,
            }],
            one: Item {
                uid: "x".into(),
                custom_column: 1,
            },
            nothing: vec![],
            forced: vec![4, 5],
        }
    }

    #[test]
    fn top_default_rule() {
        let fields = fields_of(&sample()).unwrap();
        let pairs = form_pairs(&fields, &[("forced", FieldEncoding::Json)], FormStyle::Top);
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("courseId", "490583"),
                ("name", "丁 小明&"),
                ("flag", "true"),
                ("ratio", "1.5"),
                ("ids", "1,2,3"),
                ("tags", "a,b"),
                ("items", r#"[{"uid":"1001001","customColumn":123}]"#),
                ("one", r#"{"uid":"x","customColumn":1}"#),
                ("forced", "[4,5]"),
            ]
        );
    }

    #[test]
    fn classin_default_rule_keeps_empty_values_and_writes_lists_as_json() {
        let fields = fields_of(&sample()).unwrap();
        let pairs = form_pairs(
            &fields,
            &[("tags", FieldEncoding::CommaJoined)],
            FormStyle::ClassIn,
        );
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("ids"), Some("[1,2,3]"));
        assert_eq!(get("tags"), Some("a,b"));
        assert_eq!(get("empty"), Some(""));
        assert_eq!(get("nothing"), Some("[]"));
        assert_eq!(get("none"), None);
        assert_eq!(
            get("items"),
            Some(r#"[{"uid":"1001001","customColumn":123}]"#)
        );
    }

    #[test]
    fn plain_encoding_of_a_string_is_unquoted() {
        let fields = fields_of(&sample()).unwrap();
        let pairs = form_pairs(&fields, &[("name", FieldEncoding::Plain)], FormStyle::Top);
        assert_eq!(pairs[1], ("name".to_owned(), "丁 小明&".to_owned()));
    }

    #[test]
    fn json_object_keeps_order_and_drops_nulls() {
        let fields = fields_of(&sample()).unwrap();
        let json = json_object(&fields);
        assert!(json.starts_with(r#"{"courseId":490583,"name":"丁 小明&","empty":"""#));
        assert!(!json.contains("none"));
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["items"][0]["customColumn"], 123);
    }

    #[test]
    fn non_objects_are_rejected_and_unit_is_empty() {
        assert!(fields_of(&vec![1, 2]).is_err());
        assert!(fields_of(&()).unwrap().0.is_empty());
        assert_eq!(json_object(&fields_of(&()).unwrap()), "{}");
    }
}
