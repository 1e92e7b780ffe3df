//! Every Rust name the generator writes: case conversion, keyword escaping, and renaming of
//! names that would shadow what generated code uses. Names are derived only from the spec, so
//! regenerating never renames an item a user's code depends on.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords, strict and reserved, in every edition up to 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code, or code that glob-imports a generated module, relies on.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Endpoint",
    "Eq",
    "Err",
    "ErrorCode",
    "From",
    "Hash",
    "Into",
    "ItemResult",
    "None",
    "Ok",
    "Option",
    "Ord",
    "Outcome",
    "PartialEq",
    "PartialOrd",
    "Path",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToString",
    "Validate",
    "Vec",
    "Violations",
];

/// Method names the generated vendor client already has.
const RESERVED_METHODS: &[&str] = &["call", "clone", "from", "into", "inner", "new", "deref"];

/// Why a name cannot be derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The name has characters that cannot be turned into an ASCII identifier.
    NotAscii,
    /// Nothing is left after case conversion.
    Empty,
    /// A given field name is not snake_case (the compiler would warn about it).
    NotSnakeCase,
    /// An enum value that does not start with a letter gives no variant name of its own.
    NotAWord,
    /// A given field name starts with `_`, which in Rust marks a name as deliberately unused;
    /// a public field and its builder setter are meant to be used.
    LeadingUnderscore,
}

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Whether `s` is a plain ASCII identifier (letters, digits, `_`, not starting with a digit).
pub fn is_ascii_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `s` is snake_case as the compiler's `non_snake_case` lint sees it: no uppercase
/// letter, and no `__` between words (leading and trailing underscores are allowed).
pub fn is_snake_case(s: &str) -> bool {
    let inner = s.trim_matches('_');
    !inner.is_empty() && !inner.contains("__") && !inner.chars().any(|c| c.is_ascii_uppercase())
}

fn ascii_words(s: &str) -> Result<(), NameError> {
    if s.chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ' ' || c == '.'))
    {
        return Err(NameError::NotAscii);
    }
    if !s.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(NameError::Empty);
    }
    Ok(())
}

/// The Rust field name for a wire name: snake_case, keywords and `build` given a trailing `_`, a leading
/// digit given a leading `v` as variant names are (`type` → `type_`, `2fa` → `v2fa`, `deptId` →
/// `dept_id`). Never a leading `_`: case conversion drops it.
pub fn field_name(wire: &str) -> Result<String, NameError> {
    ascii_words(wire)?;
    Ok(escape_snake(wire.to_snake_case()))
}

/// The Rust field name for a field: its given `rust_name`, which must be snake_case ASCII, or
/// the one derived from its wire name.
pub fn field_name_for(wire: &str, given: Option<&str>) -> Result<String, NameError> {
    match given {
        Some(name) if !name.chars().any(|c| c.is_ascii_alphanumeric()) => Err(NameError::Empty),
        Some(name) if !is_ascii_ident(name) => Err(NameError::NotAscii),
        Some(name) if !is_snake_case(name) => Err(NameError::NotSnakeCase),
        Some(name) if name.starts_with('_') => Err(NameError::LeadingUnderscore),
        Some(name) => Ok(escape_snake(name.to_owned())),
        None => field_name(wire),
    }
}

/// A user-given snake_case name, escaped the same way.
fn escape_snake(name: String) -> String {
    // `build` also names the builder's finishing method.
    if is_keyword(&name) || name == "build" {
        format!("{name}_")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{name}")
    } else {
        name
    }
}

/// The Rust type name for a spec type name or endpoint name: UpperCamelCase; names that would
/// shadow what generated code uses get a `Type` suffix; a leading digit gets a `T` prefix.
pub fn type_name(name: &str) -> Result<String, NameError> {
    ascii_words(name)?;
    Ok(escape_camel(name.to_upper_camel_case(), "Type"))
}

fn escape_camel(name: String, suffix: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    };
    // `XBuilder` is the name of type `X`'s builder.
    if RESERVED_TYPES.contains(&name.as_str()) || is_keyword(&name) || name.ends_with("Builder") {
        format!("{name}{suffix}")
    } else {
        name
    }
}

/// The Rust variant name for an enum value or an explicit variant name: UpperCamelCase; a
/// leading digit gets a `V` prefix; `Unknown` is kept for values the spec does not list.
pub fn variant_name(name: &str) -> Result<String, NameError> {
    ascii_words(name)?;
    let camel = name.to_upper_camel_case();
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    };
    Ok(if camel == "Self" {
        "SelfValue".to_owned()
    } else {
        camel
    })
}

/// The variant name for an enum value without an explicit `name`: only a value that starts
/// with a letter names itself (`primary_school` → `PrimarySchool`; `1` or `幼儿园` need a name).
pub fn variant_from_value(value: &str) -> Result<String, NameError> {
    if value
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_alphabetic())
    {
        return Err(if value.is_ascii() {
            NameError::NotAWord
        } else {
            NameError::NotAscii
        });
    }
    variant_name(value)
}

/// The variant name of an error code without an explicit name: `Code40035`, `CodeMinus1`.
pub fn code_variant(code: i64) -> String {
    if code < 0 {
        format!("CodeMinus{}", code.unsigned_abs())
    } else {
        format!("Code{code}")
    }
}

/// The variant every generated enum has for values its spec does not list.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// An intra-doc link to a generated type from a module of the same vendor: `[`Step`]`, or
/// through its module (`[`Step`](super::common::Step)`), or rustdoc cannot find it.
pub fn doc_link(module: Option<&str>, name: &str) -> String {
    match module {
        Some(m) => format!("[`{name}`](super::{m}::{name})"),
        None => format!("[`{name}`]"),
    }
}

/// The module name for a spec file stem or vendor folder: snake_case, keywords escaped.
pub fn module_name(stem: &str) -> Result<String, NameError> {
    field_name(stem)
}

/// The generated client method for an endpoint module.
pub fn method_name(module: &str) -> String {
    if RESERVED_METHODS.contains(&module) {
        format!("{module}_endpoint")
    } else {
        module.to_owned()
    }
}

/// The visitor type inside a response type's generated `Deserialize` impl (local to the impl).
pub fn visitor_name(type_name: &str) -> String {
    format!("{type_name}Visitor")
}

/// The local that holds a field's value while a response is read: Rust field names are unique
/// in a struct and never raw, so `f_<name>` is too.
pub fn slot_name(field: &str) -> String {
    format!("f_{field}")
}

/// The builder type of a sent type (`Grades` → `GradesBuilder`); no generated type name ends
/// in `Builder` ([`type_name`] gives such a name a `Type` suffix), so it names nothing else.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The builder's type parameter for each required field, by field: `__` and the field in
/// UpperCamelCase (`start_year` → `__StartYear`), so that a compile error about a missing field
/// names it. Type names never start with `_`, so no parameter shadows a type. When two fields
/// give the same name (`foo` and `foo_`), every parameter is named by position (`__Field0`).
pub fn builder_params(fields: &[&str]) -> Vec<String> {
    let camel: Vec<String> = fields
        .iter()
        .map(|f| format!("__{}", f.to_upper_camel_case()))
        .collect();
    let mut sorted: Vec<&String> = camel.iter().collect();
    sorted.sort();
    sorted.dedup();
    if sorted.len() == camel.len() {
        camel
    } else {
        (0..fields.len()).map(|i| format!("__Field{i}")).collect()
    }
}

/// Names of an endpoint's generated items, from its base name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointNames {
    /// The request type.
    pub request: String,
    /// The response type.
    pub response: String,
    /// The error-code enum.
    pub error_code: String,
}

/// The request, response and error-code type names for base name `base` (already UpperCamel).
pub fn endpoint_names(base: &str) -> EndpointNames {
    EndpointNames {
        request: format!("{base}Request"),
        response: format!("{base}Response"),
        error_code: format!("{base}ErrorCode"),
    }
}

/// The client method that returns a stream of an endpoint's pages.
pub fn pages_method(method: &str) -> String {
    format!("{method}_pages")
}

/// The client method that returns a stream of a paged endpoint's items.
pub fn items_method(method: &str) -> String {
    format!("{method}_items")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_escaped() {
        assert_eq!(field_name("deptId").unwrap(), "dept_id");
        assert_eq!(field_name("dept_id").unwrap(), "dept_id");
        assert_eq!(field_name("studentJson").unwrap(), "student_json");
        assert_eq!(field_name("type").unwrap(), "type_");
        assert_eq!(field_name("self").unwrap(), "self_");
        assert_eq!(field_name("Self").unwrap(), "self_");
        assert_eq!(field_name("crate").unwrap(), "crate_");
        assert_eq!(field_name("async").unwrap(), "async_");
        assert_eq!(field_name("build").unwrap(), "build_");
        assert_eq!(field_name("2fa").unwrap(), "v2fa");
        assert_eq!(field_name("a-b").unwrap(), "a_b");
        assert_eq!(field_name("SID").unwrap(), "sid");
        assert_eq!(field_name("学员"), Err(NameError::NotAscii));
        assert_eq!(field_name("--"), Err(NameError::Empty));
    }

    #[test]
    fn builder_parameters_name_their_field_and_never_repeat() {
        assert_eq!(builder_name("Grades"), "GradesBuilder");
        assert_eq!(
            builder_params(&["start_year", "v2fa", "type_"]),
            ["__StartYear", "__V2fa", "__Type"]
        );
        assert_eq!(
            builder_params(&["foo", "foo_", "field1"]),
            ["__Field0", "__Field1", "__Field2"]
        );
    }

    #[test]
    fn types_and_variants_avoid_what_generated_code_uses() {
        assert_eq!(type_name("open_period").unwrap(), "OpenPeriod");
        assert_eq!(type_name("Result").unwrap(), "ResultType");
        assert_eq!(type_name("option").unwrap(), "OptionType");
        assert_eq!(type_name("2fa").unwrap(), "T2fa");
        assert_eq!(type_name("GradesBuilder").unwrap(), "GradesBuilderType");
        assert_eq!(variant_name("primary_school").unwrap(), "PrimarySchool");
        assert_eq!(variant_name("Self").unwrap(), "SelfValue");
        assert_eq!(variant_name("幼儿园"), Err(NameError::NotAscii));
        assert_eq!(method_name("call"), "call_endpoint");
        assert_eq!(
            variant_from_value("primary_school").unwrap(),
            "PrimarySchool"
        );
        assert_eq!(variant_from_value("1"), Err(NameError::NotAWord));
        assert_eq!(variant_from_value("2fa"), Err(NameError::NotAWord));
        assert_eq!(variant_from_value("幼儿园"), Err(NameError::NotAscii));
        assert_eq!(code_variant(-1), "CodeMinus1");
        assert_eq!(
            doc_link(Some("common"), "Step"),
            "[`Step`](super::common::Step)"
        );
        assert!(is_ascii_ident("dept_id") && !is_ascii_ident("2x") && !is_ascii_ident("a-b"));
    }

    #[test]
    fn given_field_names_must_be_snake_case() {
        let given = |name: &str| field_name_for("x", Some(name));
        assert_eq!(given("dept_id"), Ok("dept_id".to_owned()));
        assert_eq!(given("type"), Ok("type_".to_owned()));
        assert_eq!(given("_2fa"), Err(NameError::LeadingUnderscore));
        assert_eq!(given("_id"), Err(NameError::LeadingUnderscore));
        assert_eq!(given("deptId"), Err(NameError::NotSnakeCase));
        assert_eq!(given("Self"), Err(NameError::NotSnakeCase));
        assert_eq!(given("a__b"), Err(NameError::NotSnakeCase));
        assert_eq!(given("_"), Err(NameError::Empty));
        assert_eq!(given("a-b"), Err(NameError::NotAscii));
        assert_eq!(field_name_for("deptId", None), Ok("dept_id".to_owned()));
    }

    #[test]
    fn snake_case_is_what_the_compiler_accepts_without_warning() {
        for ok in ["dept_id", "_2fa", "type_", "a", "x1_y2", "__private"] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["deptId", "Self", "a__b", "_", "__", "ID"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
        // Every name derived from a wire name is snake_case.
        for wire in [
            "deptId",
            "type",
            "2fa",
            "a-b",
            "SID",
            "Self",
            "HTTPServer",
            "x__y",
        ] {
            let name = field_name(wire).unwrap();
            assert!(is_snake_case(&name), "{wire} -> {name}");
        }
    }
}
