//! Reading a request back from the wire into its request type: the JSON body of oapi, the form
//! fields of TOP and ClassIn (whose objects and lists travel as JSON text inside a field, and
//! whose TOP lists of primitives are joined with commas).

use std::fmt;

use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_json::Value;

use crate::endpoint::FieldEncoding;
use crate::file::RECEIVED_FILE;

/// Why a request could not be read into its request type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeFailure {
    /// The wire name of a required field that is missing, when that is the reason.
    pub missing: Option<String>,
    /// What the decoder said.
    pub message: String,
}

impl DecodeFailure {
    fn from_message(message: String) -> Self {
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        DecodeFailure { missing, message }
    }
}

/// `body` read as a JSON object into `E`.
pub(crate) fn from_json<E: DeserializeOwned>(body: &[u8]) -> Result<E, DecodeFailure> {
    serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        // serde_json appends " at line L column C"; the field name is what matters.
        let message = text.split(" at line ").next().unwrap_or(&text).to_owned();
        DecodeFailure::from_message(message)
    })
}

/// A file part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReceivedFile {
    /// The field's wire name.
    pub field: String,
    /// The file's name.
    pub file_name: String,
    /// The part's `Content-Type`.
    pub media_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Form fields and file parts read into `E`, each field's text read as the type the field has.
pub(crate) fn from_form<E: DeserializeOwned>(
    pairs: &[(String, String)],
    files: &[ReceivedFile],
    encodings: &[(&str, FieldEncoding)],
) -> Result<E, DecodeFailure> {
    let texts = pairs.iter().map(|(name, text)| {
        let encoding = encodings
            .iter()
            .find(|(wire, _)| *wire == name)
            .map(|(_, e)| *e);
        (
            name.as_str(),
            FormValue {
                text,
                encoding,
                file: None,
            },
        )
    });
    let files = files.iter().map(|file| {
        (
            file.field.as_str(),
            FormValue {
                text: "",
                encoding: None,
                file: Some(file),
            },
        )
    });
    let map = MapDeserializer::<_, DeError>::new(texts.chain(files));
    E::deserialize(map).map_err(|e| DecodeFailure::from_message(e.to_string()))
}

/// One form field's text, read as whatever type asks for it.
#[derive(Clone, Copy)]
struct FormValue<'a> {
    text: &'a str,
    encoding: Option<FieldEncoding>,
    /// Set for a file part.
    file: Option<&'a ReceivedFile>,
}

impl<'a> IntoDeserializer<'a, DeError> for FormValue<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn custom(e: impl fmt::Display) -> DeError {
    de::Error::custom(e)
}

impl<'a> FormValue<'a> {
    /// The text as JSON, when the field is sent as JSON or its text is a JSON list or object.
    fn json(&self) -> Option<Result<Value, DeError>> {
        let looks_json = self.text.starts_with('[') || self.text.starts_with('{');
        match self.encoding {
            Some(FieldEncoding::Json) => Some(serde_json::from_str(self.text).map_err(custom)),
            Some(FieldEncoding::CommaJoined) => None,
            _ if looks_json => serde_json::from_str(self.text).ok().map(Ok),
            _ => None,
        }
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, DeError> {
        self.text
            .trim()
            .parse()
            .map_err(|_| custom(format_args!("expected {what}, found text that is not one")))
    }
}

macro_rules! parsed {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {
        $(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
                visitor.$visit(self.parse::<$ty>($what)?)
            }
        )*
    };
}

impl<'a> Deserializer<'a> for FormValue<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.json() {
            Some(value) => value?.deserialize_any(visitor).map_err(custom),
            None => visitor.visit_str(self.text),
        }
    }

    parsed! {
        deserialize_bool visit_bool bool, "true or false";
        deserialize_i8 visit_i8 i8, "an integer";
        deserialize_i16 visit_i16 i16, "an integer";
        deserialize_i32 visit_i32 i32, "an integer";
        deserialize_i64 visit_i64 i64, "an integer";
        deserialize_u8 visit_u8 u8, "an integer";
        deserialize_u16 visit_u16 u16, "an integer";
        deserialize_u32 visit_u32 u32, "an integer";
        deserialize_u64 visit_u64 u64, "an integer";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text)
    }
    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text)
    }
    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text)
    }
    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text)
    }
    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_bytes(self.text.as_bytes())
    }
    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_bytes(self.text.as_bytes())
    }
    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }
    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.file {
            Some(file) if name == RECEIVED_FILE => {
                let parts =
                    serde_json::json!([RECEIVED_FILE, file.file_name, file.media_type, file.bytes]);
                visitor.visit_newtype_struct(parts).map_err(custom)
            }
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.json() {
            Some(value) => value?.deserialize_seq(visitor).map_err(custom),
            None if self.text.is_empty() => {
                visitor.visit_seq(SeqDeserializer::<_, DeError>::new(std::iter::empty::<
                    FormValue<'a>,
                >()))
            }
            // A list of primitives joined with commas (TOP).
            None => visitor.visit_seq(SeqDeserializer::<_, DeError>::new(
                self.text.split(',').map(|text| FormValue {
                    text,
                    encoding: None,
                    file: None,
                }),
            )),
        }
    }
    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value: Value = serde_json::from_str(self.text).map_err(custom)?;
        value.deserialize_map(visitor).map_err(custom)
    }
    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let value: Value = serde_json::from_str(self.text).map_err(custom)?;
        value
            .deserialize_struct(name, fields, visitor)
            .map_err(custom)
    }
    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.json() {
            Some(value) => value?
                .deserialize_enum(name, variants, visitor)
                .map_err(custom),
            None => self
                .text
                .into_deserializer()
                .deserialize_enum(name, variants, visitor),
        }
    }
    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        uid: String,
        #[serde(rename = "customColumn")]
        custom_column: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Req {
        #[serde(rename = "courseId")]
        course_id: i64,
        name: String,
        flag: bool,
        ratio: f64,
        ids: Vec<i64>,
        tags: Vec<String>,
        none: Option<String>,
        items: Vec<Item>,
        one: Item,
        #[serde(default)]
        nothing: Vec<i64>,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn form_fields_read_back_as_their_types() {
        let form = pairs(&[
            ("courseId", "490583"),
            ("name", "123"),
            ("flag", "true"),
            ("ratio", "1.5"),
            ("ids", "1,2,3"),
            ("tags", "[\"a\",\"b\"]"),
            ("items", r#"[{"uid":"1001001","customColumn":"123"}]"#),
            ("one", r#"{"uid":"x"}"#),
        ]);
        let req: Req = from_form(&form, &[], &[("one", FieldEncoding::Json)]).unwrap();
        assert_eq!(req.course_id, 490583);
        assert_eq!(
            req.name, "123",
            "numeric text stays text for a string field"
        );
        assert!(req.flag);
        assert_eq!(req.ids, vec![1, 2, 3]);
        assert_eq!(req.tags, vec!["a", "b"]);
        assert_eq!(req.none, None);
        assert_eq!(req.items[0].custom_column.as_deref(), Some("123"));
        assert_eq!(req.one.uid, "x");
        assert!(req.nothing.is_empty());
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let failure = from_form::<Item>(&pairs(&[("customColumn", "1")]), &[], &[]).unwrap_err();
        assert_eq!(failure.missing.as_deref(), Some("uid"));
        let failure = from_json::<Item>(br#"{"customColumn":"1"}"#).unwrap_err();
        assert_eq!(failure.missing.as_deref(), Some("uid"));
    }

    #[test]
    fn wrong_text_is_a_failure_not_a_panic() {
        let form = pairs(&[("uid", "1"), ("courseId", "x")]);
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct N {
            #[serde(rename = "courseId")]
            course_id: i64,
        }
        assert!(from_form::<N>(&form, &[], &[]).is_err());
        let json = pairs(&[("one", "{not json")]);
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct O {
            one: Item,
        }
        assert!(from_form::<O>(&json, &[], &[("one", FieldEncoding::Json)]).is_err());
        assert!(from_json::<Item>(b"\xff\xfe").is_err());
    }
}
