//! Turning a request into wire fields: a JSON object body, or form fields written by the
//! protocol family's rule, each serialized once, straight from the request.
//!
//! A request serializes (serde) to an object whose top-level fields are walked in declaration
//! order: [`json_body`] writes them as one JSON object, [`write_form`] hands each one, as its
//! wire name and form text, to a [`FieldSink`] (a urlencoded body, or `(name, text)` pairs when
//! they are needed again, to sign them). Nested values keep the exact JSON text serde_json
//! writes for them, so nested objects keep their declared field order and wire names.

use std::fmt::{self, Display};

use serde::ser::{self, Impossible, Serialize, Serializer};

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

/// The default rule for fields that `FIELD_ENCODINGS` does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// TOP router: objects and lists of objects as JSON, lists of primitives comma-joined;
    /// `null`, empty strings, empty lists and empty objects are not sent.
    Top,
    /// ClassIn: objects and lists as JSON, scalars as text; only `null` is left out.
    ClassIn,
}

/// Where [`write_form`] puts the form fields it writes, in declaration order.
pub trait FieldSink {
    /// One field: its wire name and its form text (not yet urlencoded).
    fn field(&mut self, name: &str, text: &str);
}

/// The fields as `(wire name, text)` pairs, for a caller that reads them again (to sign them, to
/// put them in a query or a multipart body).
impl FieldSink for Vec<(String, String)> {
    fn field(&mut self, name: &str, text: &str) {
        self.push((name.to_owned(), text.to_owned()));
    }
}

/// The fields appended to an `application/x-www-form-urlencoded` text.
impl FieldSink for form_urlencoded::Serializer<'_, String> {
    fn field(&mut self, name: &str, text: &str) {
        self.append_pair(name, text);
    }
}

/// The request as one compact JSON object, its top-level fields in declaration order, leaving
/// out those that are `null`. A request that serializes to `null` (a unit struct) is `{}`;
/// anything other than an object or `null` is an error.
pub fn json_body<T: Serialize + ?Sized>(request: &T) -> Result<Vec<u8>, EncodeError> {
    let mut object = JsonObject {
        out: Vec::with_capacity(128),
        empty: true,
    };
    object.out.push(b'{');
    request
        .serialize(TopLevel(&mut object))
        .map_err(Failure::into_encode)?;
    object.out.push(b'}');
    Ok(object.out)
}

/// Write the request's top-level fields into `sink` as form fields, each by its entry in
/// `encodings` or, when it has none, by `style`'s default rule; fields the rule leaves out are
/// not written. A request that serializes to `null` has no fields; anything other than an
/// object or `null` is an error.
pub fn write_form<T, S>(
    request: &T,
    encodings: &[(&str, FieldEncoding)],
    style: FormStyle,
    sink: &mut S,
) -> Result<(), EncodeError>
where
    T: Serialize + ?Sized,
    S: FieldSink,
{
    // The sink is taken as a trait object, so a request type's `Serialize` is compiled once for
    // forms, whatever sinks its fields are written into (a urlencoded body, a list of pairs).
    let mut form = FormFields {
        sink: sink as &mut dyn FieldSink,
        encodings,
        style,
        text: Vec::new(),
    };
    request
        .serialize(TopLevel(&mut form))
        .map_err(Failure::into_encode)
}

/// The request's form fields as `(wire name, text)` pairs: [`write_form`] into a list.
pub fn form_pairs<T: Serialize + ?Sized>(
    request: &T,
    encodings: &[(&str, FieldEncoding)],
    style: FormStyle,
) -> Result<Vec<(String, String)>, EncodeError> {
    let mut pairs = Vec::new();
    write_form(request, encodings, style, &mut pairs)?;
    Ok(pairs)
}

/// The request's form fields as `application/x-www-form-urlencoded` text: [`write_form`] into
/// a urlencoded body.
pub fn form_text<T: Serialize + ?Sized>(
    request: &T,
    encodings: &[(&str, FieldEncoding)],
    style: FormStyle,
) -> Result<String, EncodeError> {
    let mut form = form_urlencoded::Serializer::new(String::with_capacity(128));
    write_form(request, encodings, style, &mut form)?;
    Ok(form.finish())
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

// ---- the top level: a struct or map whose fields go one by one to a `Fields` ----

/// Why serializing stopped: a value the walk does not take apart (the caller serializes it
/// again, whole, as JSON text), or a failure.
#[derive(Debug)]
enum Failure {
    /// The value is a list or an object: written as JSON text instead.
    Compound(Compound),
    /// The request is not an object, or a value refused to serialize.
    Message(String),
}

impl Failure {
    fn into_encode(self) -> EncodeError {
        match self {
            Failure::Compound(_) => {
                EncodeError::new("a request must serialize to a JSON object or to null")
            }
            Failure::Message(m) => EncodeError(m),
        }
    }
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Compound(Compound::List) => f.write_str("a list"),
            Failure::Compound(Compound::Object) => f.write_str("an object"),
            Failure::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Failure {}

impl ser::Error for Failure {
    fn custom<M: Display>(message: M) -> Self {
        Failure::Message(message.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Message(e.to_string())
    }
}

fn not_an_object() -> Failure {
    Failure::Message("a request must serialize to a JSON object or to null".to_owned())
}

/// What is done with each top-level field.
trait Fields {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Failure>;
}

/// The serializer of a whole request: takes apart a struct or a map, and nothing else.
struct TopLevel<'f, F>(&'f mut F);

/// A top-level map's entries, the key kept until its value comes.
struct TopMap<'f, F> {
    fields: &'f mut F,
    key: Option<String>,
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(not_an_object())
        })*
    };
}

impl<'f, F: Fields> Serializer for TopLevel<'f, F> {
    type Ok = ();
    type Error = Failure;
    type SerializeSeq = Impossible<(), Failure>;
    type SerializeTuple = Impossible<(), Failure>;
    type SerializeTupleStruct = Impossible<(), Failure>;
    type SerializeTupleVariant = Impossible<(), Failure>;
    type SerializeMap = TopMap<'f, F>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Failure>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_unit(self) -> Result<(), Failure> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Failure> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Failure> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failure> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Failure> {
        Err(not_an_object())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Failure> {
        Err(not_an_object())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Failure> {
        Err(not_an_object())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Failure> {
        Err(not_an_object())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Failure> {
        Err(not_an_object())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failure> {
        Ok(TopMap {
            fields: self.0,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Failure> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failure> {
        Err(not_an_object())
    }
}

impl<F: Fields> ser::SerializeStruct for TopLevel<'_, F> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        self.0.field(name, value)
    }
    fn end(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl<F: Fields> ser::SerializeMap for TopMap<'_, F> {
    type Ok = ();
    type Error = Failure;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failure> {
        // A key as serde_json writes it: a string, or a number or boolean as its text. Maps at
        // the top level are rare (generated requests are structs), so the detour is cheap.
        self.key = Some(match serde_json::to_value(key)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(Failure::Message("a map key must be a string".to_owned())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Failure::Message("a map value came without its key".to_owned()))?;
        self.fields.field(&key, value)
    }
    fn end(self) -> Result<(), Failure> {
        Ok(())
    }
}

// ---- a JSON object body ----

struct JsonObject {
    out: Vec<u8>,
    empty: bool,
}

impl Fields for JsonObject {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Failure> {
        let mark = self.out.len();
        if !self.empty {
            self.out.push(b',');
        }
        name.serialize(&mut serde_json::Serializer::new(&mut self.out))?;
        self.out.push(b':');
        let start = self.out.len();
        value.serialize(&mut serde_json::Serializer::new(&mut self.out))?;
        if &self.out[start..] == b"null" {
            // Top-level nulls are left out: an absent optional field is not sent.
            self.out.truncate(mark);
        } else {
            self.empty = false;
        }
        Ok(())
    }
}

// ---- form fields ----

struct FormFields<'a> {
    sink: &'a mut dyn FieldSink,
    encodings: &'a [(&'a str, FieldEncoding)],
    style: FormStyle,
    /// The text of the field being written, reused from field to field.
    text: Vec<u8>,
}

/// A value that is not written as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compound {
    List,
    Object,
}

/// What a value is, as far as the form rules ask; strings, lists and objects say whether they
/// are empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Null,
    Str(bool),
    Number,
    Bool,
    List(bool),
    Object(bool),
}

impl Shape {
    fn is_primitive(self) -> bool {
        matches!(self, Shape::Str(_) | Shape::Number | Shape::Bool)
    }

    /// Whether the TOP rule leaves the value out: `null`, an empty string, list or object.
    fn is_empty(self) -> bool {
        matches!(
            self,
            Shape::Null | Shape::Str(true) | Shape::List(true) | Shape::Object(true)
        )
    }
}

impl Fields for FormFields<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Failure> {
        let listed = self
            .encodings
            .iter()
            .find(|(wire, _)| *wire == name)
            .map(|(_, e)| *e);
        let text = &mut self.text;
        text.clear();
        let shape = if listed == Some(FieldEncoding::Json) {
            json_text(value, text)?
        } else {
            match value.serialize(Plain(text)) {
                Ok(shape) => shape,
                Err(Failure::Compound(compound)) => {
                    text.clear();
                    let joined = match (listed, compound, self.style) {
                        (Some(FieldEncoding::CommaJoined), Compound::List, _) => {
                            comma_joined(value, text, true)?
                        }
                        (None, Compound::List, FormStyle::Top) => comma_joined(value, text, false)?,
                        _ => None,
                    };
                    match joined {
                        Some(shape) => shape,
                        None => {
                            text.clear();
                            json_text(value, text)?
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        };
        let skip = match self.style {
            FormStyle::Top => shape.is_empty(),
            FormStyle::ClassIn => shape == Shape::Null,
        };
        if !skip {
            let text = std::str::from_utf8(text)
                .map_err(|_| Failure::Message("a field's text is not UTF-8".to_owned()))?;
            self.sink.field(name, text);
        }
        Ok(())
    }
}

/// `value` as JSON text into `out`, and its shape read from that text.
fn json_text<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<Shape, Failure> {
    value.serialize(&mut serde_json::Serializer::new(&mut *out))?;
    Ok(match out.first() {
        Some(b'n') => Shape::Null,
        Some(b'"') => Shape::Str(out.len() == 2),
        Some(b't' | b'f') => Shape::Bool,
        Some(b'[') => Shape::List(out.as_slice() == b"[]"),
        Some(b'{') => Shape::Object(out.as_slice() == b"{}"),
        _ => Shape::Number,
    })
}

/// The list `value` with its items comma-joined into `out`: primitives as text, `null` as
/// nothing, lists and objects as JSON, when `any_items`; otherwise `None` at the first item that
/// is not a string, number or boolean, for the caller to write the list as JSON.
fn comma_joined<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
    any_items: bool,
) -> Result<Option<Shape>, Failure> {
    let mut items = 0;
    match value.serialize(Joined {
        out,
        any_items,
        items: &mut items,
    }) {
        Ok(()) => Ok(Some(Shape::List(items == 0))),
        Err(Failure::Compound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The serializer of one form value as plain text: strings raw, numbers and booleans as JSON
/// writes them, `null` as nothing. A list or an object stops it with [`Failure::Compound`].
struct Plain<'o>(&'o mut Vec<u8>);

impl Plain<'_> {
    fn json<T: Serialize>(self, value: T, shape: Shape) -> Result<Shape, Failure> {
        value.serialize(&mut serde_json::Serializer::new(&mut *self.0))?;
        Ok(shape)
    }
}

macro_rules! plain_numbers {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, v: $ty) -> Result<Shape, Failure> {
            self.json(v, Shape::Number)
        })*
    };
}

impl Serializer for Plain<'_> {
    type Ok = Shape;
    type Error = Failure;
    type SerializeSeq = Impossible<Shape, Failure>;
    type SerializeTuple = Impossible<Shape, Failure>;
    type SerializeTupleStruct = Impossible<Shape, Failure>;
    type SerializeTupleVariant = Impossible<Shape, Failure>;
    type SerializeMap = Impossible<Shape, Failure>;
    type SerializeStruct = Impossible<Shape, Failure>;
    type SerializeStructVariant = Impossible<Shape, Failure>;

    plain_numbers!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128)
    );

    fn serialize_f32(self, v: f32) -> Result<Shape, Failure> {
        // JSON has no infinities or NaN: serde_json writes them as `null`.
        if v.is_finite() {
            self.json(v, Shape::Number)
        } else {
            Ok(Shape::Null)
        }
    }
    fn serialize_f64(self, v: f64) -> Result<Shape, Failure> {
        if v.is_finite() {
            self.json(v, Shape::Number)
        } else {
            Ok(Shape::Null)
        }
    }
    fn serialize_bool(self, v: bool) -> Result<Shape, Failure> {
        self.0.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(Shape::Bool)
    }
    fn serialize_char(self, v: char) -> Result<Shape, Failure> {
        self.0
            .extend_from_slice(v.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(Shape::Str(false))
    }
    fn serialize_str(self, v: &str) -> Result<Shape, Failure> {
        self.0.extend_from_slice(v.as_bytes());
        Ok(Shape::Str(v.is_empty()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Shape, Failure> {
        Err(Failure::Compound(Compound::List))
    }
    fn serialize_none(self) -> Result<Shape, Failure> {
        Ok(Shape::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Shape, Failure> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Shape, Failure> {
        Ok(Shape::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Shape, Failure> {
        Ok(Shape::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Shape, Failure> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Shape, Failure> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Shape, Failure> {
        Err(Failure::Compound(Compound::Object))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Failure> {
        Err(Failure::Compound(Compound::List))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Failure> {
        Err(Failure::Compound(Compound::List))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Failure> {
        Err(Failure::Compound(Compound::List))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Failure> {
        Err(Failure::Compound(Compound::Object))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failure> {
        Err(Failure::Compound(Compound::Object))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Failure> {
        Err(Failure::Compound(Compound::Object))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failure> {
        Err(Failure::Compound(Compound::Object))
    }
}

/// The serializer of a list whose items are comma-joined (see [`comma_joined`]); anything but
/// a list stops it with [`Failure::Compound`].
struct Joined<'o> {
    out: &'o mut Vec<u8>,
    any_items: bool,
    items: &'o mut usize,
}

impl Joined<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Failure> {
        if *self.items > 0 {
            self.out.push(b',');
        }
        *self.items += 1;
        let at = self.out.len();
        match item.serialize(Plain(self.out)) {
            Ok(shape) if self.any_items || shape.is_primitive() => Ok(()),
            Ok(_) => Err(Failure::Compound(Compound::List)),
            Err(Failure::Compound(_)) if self.any_items => {
                self.out.truncate(at);
                // As the item's own JSON value prints it (objects through `serde_json::Value`,
                // whose key order is its map's): rare, and the text the form has always sent.
                let text = serde_json::to_value(item)?.to_string();
                self.out.extend_from_slice(text.as_bytes());
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Refuse what is not a list: the caller writes it another way.
fn not_a_list() -> Failure {
    Failure::Compound(Compound::Object)
}

impl<'o> Serializer for Joined<'o> {
    type Ok = ();
    type Error = Failure;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Impossible<(), Failure>;
    type SerializeMap = Impossible<(), Failure>;
    type SerializeStruct = Impossible<(), Failure>;
    type SerializeStructVariant = Impossible<(), Failure>;

    fn serialize_bool(self, _: bool) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_char(self, _: char) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_str(self, _: &str) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Failure> {
        // serde_json writes bytes as a list of numbers.
        for byte in v {
            self.item(byte)?;
        }
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failure> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Failure> {
        Err(not_a_list())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Failure> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Failure> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Failure> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Failure> {
        Err(not_a_list())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failure> {
        Err(not_a_list())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Failure> {
        Err(not_a_list())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failure> {
        Err(not_a_list())
    }
}

impl ser::SerializeSeq for Joined<'_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Failure> {
        self.item(item)
    }
    fn end(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl ser::SerializeTuple for Joined<'_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Failure> {
        self.item(item)
    }
    fn end(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Joined<'_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Failure> {
        self.item(item)
    }
    fn end(self) -> Result<(), Failure> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    #[derive(Serialize, Clone, Debug)]
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

    fn pairs_of(
        request: &impl Serialize,
        encodings: &[(&str, FieldEncoding)],
        style: FormStyle,
    ) -> Vec<(String, String)> {
        form_pairs(request, encodings, style).unwrap()
    }

    #[test]
    fn top_default_rule() {
        let pairs = pairs_of(
            &sample(),
            &[("forced", FieldEncoding::Json)],
            FormStyle::Top,
        );
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
        let pairs = pairs_of(
            &sample(),
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
        let pairs = pairs_of(&sample(), &[("name", FieldEncoding::Plain)], FormStyle::Top);
        assert_eq!(pairs[1], ("name".to_owned(), "丁 小明&".to_owned()));
    }

    #[test]
    fn form_text_is_the_urlencoded_pairs() {
        let encodings = [("tags", FieldEncoding::CommaJoined)];
        let text = form_text(&sample(), &encodings, FormStyle::ClassIn).unwrap();
        let pairs = pairs_of(&sample(), &encodings, FormStyle::ClassIn);
        assert_eq!(text, serde_urlencoded::to_string(&pairs).unwrap());
        assert!(text.starts_with("courseId=490583&name=%E4%B8%81+%E5%B0%8F%E6%98%8E%26&"));
    }

    #[test]
    fn json_body_keeps_order_and_drops_nulls() {
        let json = String::from_utf8(json_body(&sample()).unwrap()).unwrap();
        assert!(json.starts_with(r#"{"courseId":490583,"name":"丁 小明&","empty":"""#));
        assert!(!json.contains("none"));
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["items"][0]["customColumn"], 123);
        #[derive(Serialize)]
        struct Nulls {
            a: Option<i64>,
            b: i64,
            c: Option<i64>,
        }
        let body = json_body(&Nulls {
            a: None,
            b: 1,
            c: None,
        })
        .unwrap();
        assert_eq!(body, br#"{"b":1}"#);
        let body = json_body(&Nulls {
            a: Some(2),
            b: 1,
            c: None,
        })
        .unwrap();
        assert_eq!(body, br#"{"a":2,"b":1}"#);
    }

    #[test]
    fn numbers_are_sent_as_serde_json_writes_them() {
        #[derive(Serialize)]
        struct Floats {
            long: f64,
            list: Vec<f64>,
            nan: f64,
        }
        let v = -2.214565937414919e146;
        let pairs = pairs_of(
            &Floats {
                long: v,
                list: vec![v, 1.0],
                nan: f64::NAN,
            },
            &[],
            FormStyle::Top,
        );
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(
            pairs,
            vec![
                ("long".to_owned(), text.clone()),
                ("list".to_owned(), format!("{text},1.0")),
            ]
        );
    }

    #[test]
    fn non_objects_are_rejected_and_unit_is_empty() {
        assert!(json_body(&vec![1, 2]).is_err());
        assert!(form_pairs(&vec![1, 2], &[], FormStyle::Top).is_err());
        assert!(form_pairs(&"text", &[], FormStyle::ClassIn).is_err());
        assert!(form_pairs(&(), &[], FormStyle::Top).unwrap().is_empty());
        assert_eq!(json_body(&()).unwrap(), b"{}");
    }

    // ---- the same wire text as the form writer before it: serialize the request to JSON text,
    // read its top-level fields back and write each one from its `serde_json::Value` ----

    mod reference {
        use super::*;

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

        fn fields(request: &impl Serialize) -> Vec<(String, Box<serde_json::value::RawValue>)> {
            let text = serde_json::to_string(request).unwrap();
            if text == "null" {
                return Vec::new();
            }
            let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
            // Declaration order: read the object's entries in order, as raw text.
            let mut out = Vec::new();
            let mut de = serde_json::Deserializer::from_str(&text);
            let entries: Vec<(String, Box<serde_json::value::RawValue>)> =
                serde::Deserialize::deserialize(&mut de)
                    .map(|m: OrderedEntries| m.0)
                    .unwrap();
            assert_eq!(entries.len(), map.len());
            out.extend(entries);
            out
        }

        struct OrderedEntries(Vec<(String, Box<serde_json::value::RawValue>)>);

        impl<'de> serde::Deserialize<'de> for OrderedEntries {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = OrderedEntries;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<OrderedEntries, A::Error> {
                        let mut out = Vec::new();
                        while let Some(entry) = map.next_entry()? {
                            out.push(entry);
                        }
                        Ok(OrderedEntries(out))
                    }
                }
                d.deserialize_map(V)
            }
        }

        pub fn form_pairs(
            request: &impl Serialize,
            encodings: &[(&str, FieldEncoding)],
            style: FormStyle,
        ) -> Vec<(String, String)> {
            let mut out = Vec::new();
            for (name, json) in fields(request) {
                let raw = json.get();
                let value: Value = serde_json::from_str(raw).unwrap();
                let skip = match style {
                    FormStyle::Top => is_empty(&value),
                    FormStyle::ClassIn => value.is_null(),
                };
                if skip {
                    continue;
                }
                let listed = encodings.iter().find(|(n, _)| *n == name).map(|(_, e)| *e);
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
                out.push((name, text));
            }
            out
        }

        pub fn json_object(request: &impl Serialize) -> String {
            let mut out = String::from("{");
            let mut first = true;
            for (name, json) in fields(request) {
                if json.get() == "null" {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(name).to_string());
                out.push(':');
                out.push_str(json.get());
            }
            out.push('}');
            out
        }
    }

    /// A field value of any shape the rules tell apart.
    #[derive(Serialize, Clone, Debug)]
    #[serde(untagged)]
    enum Any {
        Null(Option<i64>),
        Int(i64),
        Float(f64),
        Bool(bool),
        Text(String),
        Items(Vec<Any>),
        Item(Item),
        Unit(Kind),
    }

    #[derive(Serialize, Clone, Debug)]
    enum Kind {
        #[serde(rename = "k-1")]
        One,
        Two,
    }

    fn any_value() -> impl Strategy<Value = Any> {
        let leaf = prop_oneof![
            Just(Any::Null(None)),
            any::<i64>().prop_map(Any::Int),
            prop_oneof![
                // serde_json reads a few long floats back one unit in the last place off (no
                // `float_roundtrip`): the round trip moved them, the writer now sends them as
                // the request holds them. Only floats the round trip kept are compared.
                any::<f64>().prop_filter("read back as written", |v| {
                    let text = serde_json::to_string(v).unwrap();
                    serde_json::from_str::<f64>(&text).map_or(true, |back| back == *v)
                }),
                Just(1.5),
                Just(1e20),
                Just(-0.0),
                Just(f64::NAN)
            ]
            .prop_map(Any::Float),
            any::<bool>().prop_map(Any::Bool),
            "[a-z ,&=\"\\\\丁\\n]{0,6}".prop_map(Any::Text),
            ("[a-z\"]{0,3}", any::<i64>())
                .prop_map(|(uid, custom_column)| Any::Item(Item { uid, custom_column })),
            prop_oneof![Just(Kind::One), Just(Kind::Two)].prop_map(Any::Unit),
        ];
        leaf.prop_recursive(2, 12, 4, |inner| {
            prop::collection::vec(inner, 0..4).prop_map(Any::Items)
        })
    }

    fn encoding() -> impl Strategy<Value = Option<FieldEncoding>> {
        prop_oneof![
            Just(None),
            Just(Some(FieldEncoding::Plain)),
            Just(Some(FieldEncoding::Json)),
            Just(Some(FieldEncoding::CommaJoined)),
        ]
    }

    proptest! {
        #[test]
        fn same_wire_text_as_the_json_round_trip(
            values in prop::collection::vec((any_value(), encoding()), 0..6),
        ) {
            let names = ["a", "b\"", "c", "丁", "e", "f"];
            let map: Vec<(&str, Any)> = names.iter().copied().zip(values.iter().map(|(v, _)| v.clone())).collect();
            let request = Ordered(map);
            let encodings: Vec<(&str, FieldEncoding)> = names
                .iter()
                .zip(&values)
                .filter_map(|(n, (_, e))| e.map(|e| (*n, e)))
                .collect();
            for style in [FormStyle::Top, FormStyle::ClassIn] {
                prop_assert_eq!(
                    form_pairs(&request, &encodings, style).unwrap(),
                    reference::form_pairs(&request, &encodings, style)
                );
            }
            prop_assert_eq!(
                String::from_utf8(json_body(&request).unwrap()).unwrap(),
                reference::json_object(&request)
            );
        }
    }

    /// A request as a map with its entries in a given order.
    struct Ordered<'a>(Vec<(&'a str, Any)>);

    impl Serialize for Ordered<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    #[test]
    fn structs_write_the_same_text_as_the_json_round_trip() {
        for style in [FormStyle::Top, FormStyle::ClassIn] {
            for encodings in [
                &[][..],
                &[
                    ("ids", FieldEncoding::Json),
                    ("one", FieldEncoding::CommaJoined),
                ][..],
                &[
                    ("items", FieldEncoding::CommaJoined),
                    ("name", FieldEncoding::Json),
                ][..],
                &[
                    ("ratio", FieldEncoding::Plain),
                    ("tags", FieldEncoding::Plain),
                ][..],
            ] {
                assert_eq!(
                    form_pairs(&sample(), encodings, style).unwrap(),
                    reference::form_pairs(&sample(), encodings, style)
                );
            }
        }
        assert_eq!(
            String::from_utf8(json_body(&sample()).unwrap()).unwrap(),
            reference::json_object(&sample())
        );
    }
}
