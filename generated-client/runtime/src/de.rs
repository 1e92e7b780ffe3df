//! Tolerant decoding of response fields.
//!
//! Vendors are loose about shapes: the TOP router wraps lists in an object named after the item
//! type (`{"label_ids":{"number":[1,2]}}`), ClassIn sends `errno` as a number or a string and
//! echoes numbers as strings. Generated response types read their fields through these, so
//! reading never fails on such variations.
//!
//! The generated `Deserialize` impl of a response type is one `visit_map` over its keys: each
//! key is matched against the type's wire names through [`FieldIndex`], and each value read
//! with the seed for its field's shape ([`Scalar`], [`ScalarOpt`], [`List`], [`ListOpt`], or the
//! type's own `Deserialize`). Unknown keys are skipped, a repeated key keeps its last value, and a
//! missing required field is an error naming its wire name ([`required`]).
//!
//! An optional field that a vendor fills with an empty string or an empty object instead of
//! leaving it out (ClassIn answers `"data": ""`) reads as absent: [`lenient_opt`] for numbers
//! and booleans, [`list_opt`] for lists, [`ObjectOpt`] for objects.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// A scalar that decodes from its own JSON type or from a neighbouring one.
pub trait Lenient: Sized {
    /// Whether an empty string means "absent" for an optional value of this type (true for
    /// numbers and booleans; an empty string is a string's own value).
    const EMPTY_IS_ABSENT: bool = true;
    /// Decode leniently.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

struct ScalarVisitor<T>(PhantomData<T>);

macro_rules! lenient_number {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ScalarVisitor::<$t>(PhantomData))
            }
        }

        impl<'de> Visitor<'de> for ScalarVisitor<$t> {
            type Value = $t;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a number or a string holding a number ({})", stringify!($t))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(v as $t)
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                v.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
    )*};
}

lenient_number!(i32, i64);

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor::<f64>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<f64> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor::<bool>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<bool> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0 or 1, or \"true\" or \"false\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl Lenient for String {
    const EMPTY_IS_ABSENT: bool = false;
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor::<String>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<String> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or a number or boolean to read as text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Decode a required scalar leniently.
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)
}

/// Decode an optional scalar leniently; `null` and `{}` are `None`, and so is `""` for numbers
/// and booleans.
pub fn lenient_opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(OptVisitor::<T>(PhantomData))
}

struct OptVisitor<T>(PhantomData<T>);

impl<T> OptVisitor<T> {
    fn some<'de, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error>
    where
        T: Lenient,
    {
        T::deserialize_lenient(d).map(Some)
    }
}

impl<'de, T: Lenient> Visitor<'de> for OptVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null, or an empty string or object for none")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        lenient_opt(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        Self::some(v.into_deserializer())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        Self::some(v.into_deserializer())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        Self::some(v.into_deserializer())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        Self::some(v.into_deserializer())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.is_empty() && T::EMPTY_IS_ABSENT {
            return Ok(None);
        }
        Self::some(v.into_deserializer())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        match map.next_key::<de::IgnoredAny>()? {
            None => Ok(None),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Option<T>, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or an object holding one list (`{\"number\": [...]}`)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let Some((_, items)) = map.next_entry::<de::IgnoredAny, Vec<T>>()? else {
            return Ok(Vec::new());
        };
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a wrapped list must be an object with exactly one key",
            ));
        }
        Ok(items)
    }
}

/// Decode a required list, plain or wrapped the TOP way.
pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor(PhantomData))
}

/// Decode an optional list, plain or wrapped the TOP way; `null`, `""` and `{}` are `None`.
pub fn list_opt<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_any(ListOptVisitor(PhantomData))
}

struct ListOptVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListOptVisitor<T> {
    type Value = Option<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, an object holding one list, or null, \"\" or {} for none")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        list_opt(d)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            Ok(None)
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor(PhantomData).visit_seq(seq).map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some((_, items)) = map.next_entry::<de::IgnoredAny, Vec<T>>()? else {
            return Ok(None);
        };
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a wrapped list must be an object with exactly one key",
            ));
        }
        Ok(Some(items))
    }
}

/// Reads an optional nested object: `null`, `""` and `{}` are `None`.
pub struct ObjectOpt<T>(PhantomData<T>);

impl<T> ObjectOpt<T> {
    /// The seed.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for ObjectOpt<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ObjectOpt<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOpt<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, or null, \"\" or {} for none")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.is_empty() {
            Ok(None)
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        let mut keys = 0usize;
        let read = T::deserialize(de::value::MapAccessDeserializer::new(Counted {
            inner: map,
            keys: &mut keys,
        }));
        match read {
            _ if keys == 0 => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(e),
        }
    }
}

/// A map that counts its keys as they are read (or fail to be).
struct Counted<'a, A> {
    inner: A,
    keys: &'a mut usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Counted<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        // A key that failed to read counts too: only an object with no key at all is `{}`.
        let key = self.inner.next_key_seed(seed);
        *self.keys += usize::from(!matches!(key, Ok(None)));
        key
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Seeds that read one field's value with the tolerant readers above, for
/// `MapAccess::next_value_seed` in generated `visit_map` impls.
macro_rules! seeds {
    ($($(#[$doc:meta])* $name:ident<$t:ident: $bound:path> => $value:ty, $read:path;)*) => {$(
        $(#[$doc])*
        pub struct $name<$t>(PhantomData<$t>);

        impl<$t> $name<$t> {
            /// The seed.
            pub const fn new() -> Self {
                Self(PhantomData)
            }
        }

        impl<$t> Default for $name<$t> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<'de, $t: $bound> DeserializeSeed<'de> for $name<$t> {
            type Value = $value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$value, D::Error> {
                $read(d)
            }
        }
    )*};
}

seeds! {
    /// A required scalar, read with [`lenient`].
    Scalar<T: Lenient> => T, lenient;
    /// An optional scalar, read with [`lenient_opt`].
    ScalarOpt<T: Lenient> => Option<T>, lenient_opt;
    /// A required list, read with [`list`].
    List<T: Deserialize<'de>> => Vec<T>, list;
    /// An optional list, read with [`list_opt`].
    ListOpt<T: Deserialize<'de>> => Option<Vec<T>>, list_opt;
}

/// Reads an object key as the index of the field it names, by the type's own `match` over its
/// wire names (the function given); `None` for a key the type does not know. A `match` on the
/// key compiles to a length switch and word compares, where a search of a list of names cost a
/// `memcmp` call per candidate: it runs for every key of every object of every answer.
#[derive(Debug, Clone, Copy)]
pub struct FieldIndex(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok((self.0)(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(v).ok().and_then(self.0))
    }
}

/// The value of a required field, or serde's "missing field" error naming its wire name.
pub fn required<T, E: de::Error>(value: Option<T>, wire: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(wire))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(deserialize_with = "lenient")]
        errno: i64,
        #[serde(default, deserialize_with = "lenient_opt")]
        custom: Option<String>,
        #[serde(default, deserialize_with = "list_opt")]
        ids: Option<Vec<i64>>,
    }

    #[test]
    fn numbers_and_strings_are_interchangeable() {
        let a: Sample = serde_json::from_str(r#"{"errno":"1","custom":123}"#).unwrap();
        assert_eq!(a.errno, 1);
        assert_eq!(a.custom.as_deref(), Some("123"));
        let b: Sample = serde_json::from_str(r#"{"errno":841,"custom":null}"#).unwrap();
        assert_eq!((b.errno, b.custom), (841, None));
    }

    #[test]
    fn lists_are_read_plain_or_wrapped() {
        let plain: Sample = serde_json::from_str(r#"{"errno":1,"ids":[1,2]}"#).unwrap();
        let wrapped: Sample =
            serde_json::from_str(r#"{"errno":1,"ids":{"number":[1,2]}}"#).unwrap();
        assert_eq!(plain.ids, Some(vec![1, 2]));
        assert_eq!(wrapped.ids, plain.ids);
        let absent: Sample = serde_json::from_str(r#"{"errno":1}"#).unwrap();
        assert_eq!(absent.ids, None);
    }

    #[test]
    fn field_index_reads_keys_from_text_or_bytes() {
        fn field_of(key: &str) -> Option<usize> {
            match key {
                "errno" => Some(0),
                "customColumn" => Some(1),
                _ => None,
            }
        }
        let at = |v: serde_json::Value| FieldIndex(field_of).deserialize(v).unwrap();
        assert_eq!(at(serde_json::json!("customColumn")), Some(1));
        assert_eq!(at(serde_json::json!("errno")), Some(0));
        assert_eq!(at(serde_json::json!("custom_column")), None);
        let bytes: Result<_, de::value::Error> =
            FieldIndex(field_of).visit_bytes(b"customColumn".as_slice());
        assert_eq!(bytes.unwrap(), Some(1));
        let not_text: Result<_, de::value::Error> = FieldIndex(field_of).visit_bytes(b"\xff");
        assert_eq!(not_text.unwrap(), None);
    }

    #[test]
    fn seeds_read_like_the_functions_they_wrap() {
        let v = serde_json::json!({"number": [1, 2]});
        let ints: Vec<i64> = List::new().deserialize(&v).unwrap();
        assert_eq!(ints, [1, 2]);
        let none: Option<Vec<i64>> = ListOpt::new().deserialize(serde_json::Value::Null).unwrap();
        assert_eq!(none, None);
        let n: i32 = Scalar::new()
            .deserialize(serde_json::json!(" 42 "))
            .unwrap();
        assert_eq!(n, 42);
        let s: Option<String> = ScalarOpt::new()
            .deserialize(serde_json::json!(1.5))
            .unwrap();
        assert_eq!(s.as_deref(), Some("1.5"));
        let missing: Result<i64, de::value::Error> = required(None, "errno");
        assert_eq!(missing.unwrap_err().to_string(), "missing field `errno`");
    }

    #[test]
    fn empty_strings_and_objects_are_absent_where_optional() {
        let a: Sample = serde_json::from_str(r#"{"errno":1,"ids":"","custom":""}"#).unwrap();
        assert_eq!((a.ids, a.custom.as_deref()), (None, Some("")));
        let b: Sample = serde_json::from_str(r#"{"errno":1,"ids":{}}"#).unwrap();
        assert_eq!(b.ids, None);
        let n: Option<i64> = lenient_opt(serde_json::json!("")).unwrap();
        assert_eq!(n, None);
        let n: Option<i64> = lenient_opt(serde_json::json!({})).unwrap();
        assert_eq!(n, None);
        let n: Option<i64> = lenient_opt(serde_json::json!("12")).unwrap();
        assert_eq!(n, Some(12));
        assert!(lenient_opt::<_, i64>(serde_json::json!({"a": 1})).is_err());
        assert!(list_opt::<_, i64>(serde_json::json!("x")).is_err());
        #[derive(Deserialize, Debug, PartialEq)]
        struct Inner {
            a: i64,
        }
        let read = |v| ObjectOpt::<Inner>::new().deserialize(v);
        assert_eq!(read(serde_json::json!("")).unwrap(), None);
        assert_eq!(read(serde_json::json!({})).unwrap(), None);
        assert_eq!(read(serde_json::json!(null)).unwrap(), None);
        assert_eq!(
            read(serde_json::json!({"a": 1})).unwrap(),
            Some(Inner { a: 1 })
        );
        assert!(read(serde_json::json!({"b": 1})).is_err());
        assert!(read(serde_json::json!("x")).is_err());
        // Broken JSON inside the object is an error, not an absent object.
        let broken: Result<Option<Inner>, _> =
            ObjectOpt::new().deserialize(&mut serde_json::Deserializer::from_str(r#"{"a\q}"#));
        assert!(broken.is_err());
    }

    #[test]
    fn bad_shapes_are_errors_not_panics() {
        assert!(serde_json::from_str::<Sample>(r#"{"errno":"x"}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"errno":1,"ids":{"a":[1],"b":[2]}}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"errno":1e300}"#).is_err());
    }
}
