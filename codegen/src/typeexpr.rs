//! The type expressions fields are written with: `string`, `bool`, `int32`, `int64`,
//! `number`, `file`, `list<T>`, or the name of an object or enum type (`OpenPeriod`, or
//! `common.OpenPeriod` for a type of the vendor's shared file `common.yaml`).
//!
//! A field's type is parsed once, as the spec is read; nothing later parses it again.

use std::fmt;

/// A built-in scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prim {
    /// Text.
    String,
    /// `true` or `false`.
    Bool,
    /// 32-bit signed integer.
    Int32,
    /// 64-bit signed integer (DingTalk's `Number`, Java's `Long`).
    Int64,
    /// Floating-point number.
    Number,
}

impl Prim {
    /// The spelling in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Prim::String => "string",
            Prim::Bool => "bool",
            Prim::Int32 => "int32",
            Prim::Int64 => "int64",
            Prim::Number => "number",
        }
    }

    /// Whether the type is numeric.
    pub fn is_numeric(self) -> bool {
        matches!(self, Prim::Int32 | Prim::Int64 | Prim::Number)
    }

    /// Whether the type is an integer.
    pub fn is_integer(self) -> bool {
        matches!(self, Prim::Int32 | Prim::Int64)
    }
}

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum TypeExpr {
    /// A built-in scalar.
    Prim(Prim),
    /// A file sent as a part of a `multipart/form-data` body.
    File,
    /// A list.
    List(Box<TypeExpr>),
    /// A named object or enum type.
    Named(TypeName),
}

/// A reference to a named type: `OpenPeriod`, or `common.OpenPeriod` for a type of the shared
/// file `common.yaml` of the same vendor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeName {
    /// The shared file named, for a qualified reference.
    pub file: Option<String>,
    /// The type's name as its spec writes it.
    pub name: String,
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Prim(p) => f.write_str(p.as_str()),
            TypeExpr::File => f.write_str("file"),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Named(n) => write!(f, "{n}"),
        }
    }
}

/// The words a bad type expression is reported with, so the loader can tell it from other
/// deserialization errors.
pub const BAD_TYPE: &str = "bad type expression: ";

impl TryFrom<String> for TypeExpr {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        TypeExpr::parse(&text).map_err(|e| format!("{BAD_TYPE}{e}"))
    }
}

/// Deepest list nesting accepted: far beyond any documented API, and it keeps parsing bounded.
const MAX_DEPTH: usize = 8;

impl TypeExpr {
    /// Parses a type expression, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        Self::parse_at(text.trim(), 0)
    }

    fn parse_at(s: &str, depth: usize) -> Result<TypeExpr, String> {
        if depth > MAX_DEPTH {
            return Err(format!("lists nest more than {MAX_DEPTH} deep"));
        }
        let prim = match s {
            "string" => Some(Prim::String),
            "bool" => Some(Prim::Bool),
            "int32" => Some(Prim::Int32),
            "int64" => Some(Prim::Int64),
            "number" => Some(Prim::Number),
            _ => None,
        };
        if let Some(p) = prim {
            return Ok(TypeExpr::Prim(p));
        }
        if s == "file" {
            return Ok(TypeExpr::File);
        }
        if let Some(rest) = s.strip_prefix("list<") {
            let inner = rest
                .strip_suffix('>')
                .ok_or_else(|| format!("`{s}` opens `list<` but does not end with `>`"))?;
            return Ok(TypeExpr::List(Box::new(Self::parse_at(
                inner.trim(),
                depth + 1,
            )?)));
        }
        if s.is_empty() {
            return Err("the type is empty".into());
        }
        let (file, name) = match s.split_once('.') {
            Some((file, name)) => (Some(file), name),
            None => (None, s),
        };
        let ident = crate::naming::is_ascii_ident;
        if ident(name) && file.is_none_or(|f| !f.is_empty() && !f.contains('.')) {
            return Ok(TypeExpr::Named(TypeName {
                file: file.map(str::to_owned),
                name: name.to_owned(),
            }));
        }
        Err(format!("`{s}` is not a type expression"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(TypeExpr::parse("int64"), Ok(TypeExpr::Prim(Prim::Int64)));
        assert_eq!(
            TypeExpr::parse("list< list<Grades> >").unwrap().to_string(),
            "list<list<Grades>>"
        );
        assert!(TypeExpr::parse("list<int64").is_err());
        assert!(TypeExpr::parse("").is_err());
        assert!(TypeExpr::parse("a b").is_err());
        assert_eq!(TypeExpr::parse("file"), Ok(TypeExpr::File));
        assert_eq!(
            TypeExpr::parse("list<common.Step>").unwrap().to_string(),
            "list<common.Step>"
        );
        assert!(TypeExpr::parse("a.b.C").is_err());
        assert!(TypeExpr::parse(".C").is_err());
        assert!(TypeExpr::parse(&"list<".repeat(20)).is_err());
    }
}
