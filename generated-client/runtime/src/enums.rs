//! What a generated enum holds for a value its spec does not list, and the error of a strict
//! conversion.
//!
//! Generated enums and error-code tables are `#[non_exhaustive]`: a value added to a spec becomes
//! a new variant without breaking a user's `match`, which keeps a wildcard arm. Each has an
//! `Unknown` variant for what a response may hold beyond the spec; it holds an [`UnknownValue`],
//! whose constructor is hidden and meant for generated code only, so a documented value always reads as its own variant and
//! `Unknown` never holds one.

use std::fmt;

/// A wire value that its enum's spec does not list, kept as a response held it.
///
/// Enums of strings hold an `UnknownValue` (read it with [`as_str`](Self::as_str)); enums of
/// integers and error-code tables hold an `UnknownValue<i64>` (read it with
/// [`value`](UnknownValue::<i64>::value)).
///
/// It cannot be built outside generated code, so nobody can write an `Unknown` that holds a
/// documented value (which would not equal that value's variant):
///
/// ```compile_fail
/// use client_runtime::UnknownValue;
///
/// let kindergarten = UnknownValue("幼儿园".to_owned());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownValue<T = String>(T);

impl<T> UnknownValue<T> {
    /// Not part of the API: generated code calls it, for a value its spec does not list only.
    /// It may change or disappear in any release.
    #[doc(hidden)]
    pub fn __new(value: impl Into<T>) -> Self {
        UnknownValue(value.into())
    }
}

impl UnknownValue {
    /// The value, as read.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Not part of the API: generated code calls it to refuse the value in `TryFrom<&str>`.
    /// It may change or disappear in any release.
    #[doc(hidden)]
    pub fn __refused(
        self,
        enum_name: &'static str,
        documented: &'static [&'static str],
    ) -> UnknownEnumValue {
        UnknownEnumValue {
            enum_name,
            value: self.0,
            text: true,
            documented,
        }
    }
}

impl UnknownValue<i64> {
    /// The value, as read.
    pub fn value(self) -> i64 {
        self.0
    }

    /// Not part of the API: generated code calls it to refuse the value in `TryFrom<i64>`.
    /// It may change or disappear in any release.
    #[doc(hidden)]
    pub fn __refused(
        self,
        enum_name: &'static str,
        documented: &'static [&'static str],
    ) -> UnknownEnumValue {
        UnknownEnumValue {
            enum_name,
            value: self.0.to_string(),
            text: false,
            documented,
        }
    }
}

impl<T: fmt::Display> fmt::Display for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A value that is not one of an enum's documented values: the error of a generated enum's
/// `TryFrom<&str>` or `TryFrom<i64>`.
///
/// Its message names the enum, the value and the documented values:
/// ``"大学" is not a documented value of `Step`; expected one of "幼儿园", "小学", "初中", "高中"``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    enum_name: &'static str,
    value: String,
    text: bool,
    documented: &'static [&'static str],
}

impl UnknownEnumValue {
    /// The Rust name of the enum, for example `Step`.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The value refused, as text (an integer in decimal).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The enum's documented values, in spec order, as text (the enum's `VALUES`).
    pub fn documented(&self) -> &'static [&'static str] {
        self.documented
    }
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |f: &mut fmt::Formatter<'_>, value: &str| {
            if self.text {
                write!(f, "{value:?}")
            } else {
                f.write_str(value)
            }
        };
        show(f, &self.value)?;
        write!(f, " is not a documented value of `{}`; ", self.enum_name)?;
        if self.documented.is_empty() {
            return f.write_str("it documents none");
        }
        f.write_str("expected one of ")?;
        for (i, value) in self.documented.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            show(f, value)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownEnumValue {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_read_back_as_they_were_made() {
        let text: UnknownValue = UnknownValue::__new("大学");
        assert_eq!(text.as_str(), "大学");
        assert_eq!(text.to_string(), "大学");
        let number = UnknownValue::<i64>::__new(-3);
        assert_eq!(number.value(), -3);
        assert_eq!(number.to_string(), "-3");
    }

    #[test]
    fn the_error_names_the_enum_the_value_and_the_documented_values() {
        let text = UnknownValue::<String>::__new("say \"roman\"")
            .__refused("NameMode", &["number", "text"]);
        assert_eq!(
            text.to_string(),
            r#""say \"roman\"" is not a documented value of `NameMode`; expected one of "number", "text""#
        );
        assert_eq!(text.value(), "say \"roman\"");
        let number = UnknownValue::<i64>::__new(3).__refused("Identity", &["1", "2"]);
        assert_eq!(
            number.to_string(),
            "3 is not a documented value of `Identity`; expected one of 1, 2"
        );
        assert_eq!(
            (number.enum_name(), number.value(), number.documented()),
            ("Identity", "3", &["1", "2"][..])
        );
        let none = UnknownValue::<String>::__new("").__refused("Empty", &[]);
        assert_eq!(
            none.to_string(),
            r#""" is not a documented value of `Empty`; it documents none"#
        );
    }
}
