//! Request validation: the paths, rules and collected violations that generated `validate()`
//! code reports.
//!
//! A path is built on the stack while validation descends into a request, and turned into text
//! only when a violation is recorded, so a valid request validates without allocating.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// How many violations one validation keeps before it only counts the rest.
pub const DEFAULT_VIOLATION_CAP: usize = 100;

/// A location inside a request, as a chain of stack frames.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The request itself.
    Root,
    /// A named field of the value at `parent`.
    Field {
        /// The value holding the field.
        parent: &'a Path<'a>,
        /// The field's Rust name.
        rust: &'static str,
        /// The field's wire name.
        wire: &'static str,
    },
    /// An element of the list at `parent`.
    Index {
        /// The list.
        parent: &'a Path<'a>,
        /// The element's position, from 0.
        index: usize,
    },
    /// A group of fields of the value at `parent` with a rule between them, written
    /// `(telephone|email)`.
    Group {
        /// The value holding the fields.
        parent: &'a Path<'a>,
        /// The fields' Rust names.
        rust: &'static [&'static str],
        /// The fields' wire names.
        wire: &'static [&'static str],
    },
}

impl<'a> Path<'a> {
    /// The path of field `rust` (wire name `wire`) below this one.
    pub fn field(&'a self, rust: &'static str, wire: &'static str) -> Path<'a> {
        Path::Field {
            parent: self,
            rust,
            wire,
        }
    }

    /// The path of element `index` below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index {
            parent: self,
            index,
        }
    }

    /// The path of the group of fields `rust` (wire names `wire`) below this one.
    pub fn group(
        &'a self,
        rust: &'static [&'static str],
        wire: &'static [&'static str],
    ) -> Path<'a> {
        Path::Group {
            parent: self,
            rust,
            wire,
        }
    }

    /// The path in Rust terms, for example `student_list[3].patriarchs[0].mobile`.
    pub fn rust_path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, false);
        out
    }

    /// The path in wire terms, for example `studentJson[4].name`.
    pub fn wire_path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true);
        out
    }

    fn write(&self, out: &mut String, wire: bool) {
        match *self {
            Path::Root => {}
            Path::Field {
                parent,
                rust,
                wire: wire_name,
            } => {
                parent.write(out, wire);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(if wire { wire_name } else { rust });
            }
            Path::Index { parent, index } => {
                parent.write(out, wire);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Path::Group {
                parent,
                rust,
                wire: wire_names,
            } => {
                parent.write(out, wire);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('(');
                for (i, name) in (if wire { wire_names } else { rust }).iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    out.push_str(name);
                }
                out.push(')');
            }
        }
    }
}

/// Whether a violation blocks the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The server accepts the value but changes it, or the vendor advises against it.
    Warning,
    /// The server would reject the request.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A documented limit, with its bound.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The field must be present.
    Required,
    /// A required string must not be empty.
    NonEmpty,
    /// At least this many list items.
    MinItems(u64),
    /// At most this many list items.
    MaxItems(u64),
    /// At least this many characters (Unicode scalar values, not bytes).
    MinChars(u64),
    /// At most this many characters.
    MaxChars(u64),
    /// Exactly this many characters.
    ExactChars(u64),
    /// A number at least this large.
    Minimum(f64),
    /// A number at most this large.
    Maximum(f64),
    /// Text matching a regular expression.
    Pattern(&'static str),
    /// One of the documented enum values.
    OneOf(&'static [&'static str]),
    /// The server truncates text beyond this many characters.
    TruncatedBeyond(u64),
    /// The vendor recommends at most this many list items per call.
    RecommendedMaxItems(u64),
    /// A rule the documentation states in words, for example one that depends on another field.
    Stated(&'static str),
    /// A file of at most this many bytes.
    MaxBytes(u64),
    /// A file whose name has one of these extensions (compared without regard to case).
    Extensions(&'static [&'static str]),
    /// A file of one of these media types.
    MediaTypes(&'static [&'static str]),
    /// How many of a group of fields (Rust names) may or must be set.
    Group(GroupKind, &'static [&'static str]),
}

/// How many fields of a group may or must be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// None or one.
    AtMostOne,
    /// One or more.
    AtLeastOne,
    /// Exactly one.
    ExactlyOne,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::NonEmpty => f.write_str("must not be empty"),
            Rule::MinItems(n) => write!(f, "at least {n} item{}", plural(*n)),
            Rule::MaxItems(n) => write!(f, "at most {n} item{}", plural(*n)),
            Rule::MinChars(n) => write!(f, "at least {n} character{}", plural(*n)),
            Rule::MaxChars(n) => write!(f, "at most {n} character{}", plural(*n)),
            Rule::ExactChars(n) => write!(f, "exactly {n} character{}", plural(*n)),
            Rule::Minimum(n) => write!(f, "at least {n}"),
            Rule::Maximum(n) => write!(f, "at most {n}"),
            Rule::Pattern(p) => write!(f, "must match `{p}`"),
            Rule::OneOf(values) => write!(f, "one of {}", values.join(", ")),
            Rule::TruncatedBeyond(n) => {
                write!(f, "the server truncates beyond {n} character{}", plural(*n))
            }
            Rule::RecommendedMaxItems(n) => {
                write!(f, "the vendor recommends at most {n} item{}", plural(*n))
            }
            Rule::Stated(text) => f.write_str(text),
            Rule::MaxBytes(n) => write!(f, "at most {n} byte{}", plural(*n)),
            Rule::Extensions(list) => {
                f.write_str("a file of type ")?;
                either_of(f, list)
            }
            Rule::MediaTypes(list) => {
                f.write_str("a file of media type ")?;
                either_of(f, list)
            }
            Rule::Group(kind, fields) => {
                f.write_str(match kind {
                    GroupKind::AtMostOne => "at most one of ",
                    GroupKind::AtLeastOne => "at least one of ",
                    GroupKind::ExactlyOne => "exactly one of ",
                })?;
                f.write_str(&fields.join(", "))
            }
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn either_of(f: &mut fmt::Formatter<'_>, items: &[&str]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == items.len() { " or " } else { ", " })?;
        }
        f.write_str(item)?;
    }
    Ok(())
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What validation found, never the value of a text field (it may be personal or secret).
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The field is absent.
    Missing,
    /// A list of this many items.
    Items(usize),
    /// Text of this many characters.
    Chars(usize),
    /// A number.
    Number(f64),
    /// A value that is not one of an enum's documented values (enum values are not secret).
    Value(String),
    /// Text that does not match a pattern, of this many characters.
    Mismatch(usize),
    /// Nothing to add beyond the rule.
    Present,
    /// A file of this many bytes.
    Bytes(u64),
    /// This many fields of a group set.
    Set(usize),
    /// A file name with this extension, or none (extensions are not secret; names may be).
    Extension(Option<String>),
    /// A file of this media type, or of none known.
    MediaType(Option<String>),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Missing => f.write_str("absent"),
            Found::Items(n) => write!(f, "{n} item{}", plural(*n as u64)),
            Found::Chars(n) => write!(f, "{n} character{}", plural(*n as u64)),
            Found::Number(n) => write!(f, "{n}"),
            Found::Value(v) => write!(f, "{v:?}"),
            Found::Mismatch(n) => write!(f, "text of {n} character{}", plural(*n as u64)),
            Found::Present => f.write_str("present"),
            Found::Bytes(n) => write!(f, "{n} byte{}", plural(*n)),
            Found::Set(0) => f.write_str("none set"),
            Found::Set(n) => write!(f, "{n} set"),
            Found::Extension(Some(ext)) => write!(f, "extension `{ext}`"),
            Found::Extension(None) => f.write_str("no extension"),
            Found::MediaType(Some(media_type)) => write!(f, "media type `{media_type}`"),
            Found::MediaType(None) => f.write_str("no known media type"),
        }
    }
}

/// One broken limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Path in Rust terms, for example `student_list[3].patriarchs[0].mobile`.
    pub rust_path: String,
    /// Path in wire terms, for example `studentJson[4].name`.
    pub wire_path: String,
    /// The rule and its bound.
    pub rule: Rule,
    /// What was found.
    pub found: Found,
    /// Whether it blocks the call.
    pub severity: Severity,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.rust_path)?;
        if self.wire_path != self.rust_path {
            write!(f, " (wire `{}`)", self.wire_path)?;
        }
        write!(f, ": {}, found {}", self.rule, self.found)
    }
}

/// The violations one validation collected, at most a cap of them, the rest counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Violations {
    items: Vec<Violation>,
    dropped: usize,
    cap: usize,
}

impl Default for Violations {
    fn default() -> Self {
        Self::with_cap(DEFAULT_VIOLATION_CAP)
    }
}

impl Violations {
    /// An empty collection that keeps at most `cap` violations.
    pub fn with_cap(cap: usize) -> Self {
        Violations {
            items: Vec::new(),
            dropped: 0,
            cap,
        }
    }

    /// Record a violation at `path`.
    pub fn push(&mut self, path: &Path<'_>, rule: Rule, found: Found, severity: Severity) {
        if self.items.len() >= self.cap {
            self.dropped += 1;
            return;
        }
        self.items.push(Violation {
            rust_path: path.rust_path(),
            wire_path: path.wire_path(),
            rule,
            found,
            severity,
        });
    }

    /// The kept violations, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.items.iter()
    }

    /// How many violations were found beyond the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }

    /// Whether any kept violation is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|v| v.severity == Severity::Error)
    }

    /// The kept warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.items
            .iter()
            .filter(|v| v.severity == Severity::Warning)
    }
}

/// A request that breaks one or more documented limits; nothing was sent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render(.violations))]
pub struct ValidationError {
    /// Everything found, errors and warnings.
    pub violations: Violations,
}

fn render(v: &Violations) -> String {
    use std::fmt::Write;
    let errors = v.iter().filter(|x| x.severity == Severity::Error).count();
    let warnings = v.iter().count() - errors;
    let mut out = format!(
        "request breaks {errors} documented limit{}",
        plural(errors as u64)
    );
    if warnings > 0 {
        let _ = write!(
            out,
            " (and has {warnings} warning{})",
            plural(warnings as u64)
        );
    }
    for item in v.iter() {
        let _ = write!(out, "\n  - {item}");
    }
    if v.dropped() > 0 {
        let _ = write!(out, "\n  ... and {} more not listed", v.dropped());
    }
    out
}

/// A type whose documented limits can be checked before it is sent. Generated for every request
/// and nested type.
pub trait Validate {
    /// Check every limit of `self`, found at `path`, into `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations);

    /// Check every limit. `Ok` carries the warnings (empty for a clean request, without
    /// allocating); `Err` carries every error and warning when any error was found.
    fn validate(&self) -> Result<Violations, ValidationError> {
        let mut out = Violations::default();
        self.validate_at(&Path::Root, &mut out);
        if out.has_errors() {
            Err(ValidationError { violations: out })
        } else {
            Ok(out)
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&path.index(i), out);
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        if let Some(v) = self {
            v.validate_at(path, out);
        }
    }
}

/// Checks that generated `validate_at` bodies call, one per kind of limit.
pub mod check {
    use super::{Found, GroupKind, Path, Pattern, Rule, Severity, Violations};
    use crate::file::File;

    /// A file's size, extension and media type. Empty `extensions` or `media_types` admit any.
    pub fn file(
        path: &Path<'_>,
        file: &File,
        max_bytes: Option<u64>,
        extensions: &'static [&'static str],
        media_types: &'static [&'static str],
        out: &mut Violations,
    ) {
        if let Some(max) = max_bytes {
            if file.len() > max {
                out.push(
                    path,
                    Rule::MaxBytes(max),
                    Found::Bytes(file.len()),
                    Severity::Error,
                );
            }
        }
        if !extensions.is_empty() {
            let ext = file.extension_str();
            let listed = ext.is_some_and(|ext| {
                extensions
                    .iter()
                    .any(|e| e.trim_start_matches('.').eq_ignore_ascii_case(ext))
            });
            if !listed {
                out.push(
                    path,
                    Rule::Extensions(extensions),
                    Found::Extension(file.extension()),
                    Severity::Error,
                );
            }
        }
        if !media_types.is_empty() {
            let media_type = file.media_type();
            let listed =
                media_type.is_some_and(|m| media_types.iter().any(|t| same_media_type(t, m)));
            if !listed {
                out.push(
                    path,
                    Rule::MediaTypes(media_types),
                    Found::MediaType(media_type.map(str::to_owned)),
                    Severity::Error,
                );
            }
        }
    }

    /// Whether `actual` is of the `listed` media type: compared without regard to case or
    /// parameters (`; charset=...`), `image/*` admitting every image type.
    fn same_media_type(listed: &str, actual: &str) -> bool {
        fn essence(m: &str) -> &str {
            m.split(';').next().unwrap_or("").trim()
        }
        let (listed, actual) = (essence(listed), essence(actual));
        match listed.strip_suffix("/*") {
            Some(top) => actual
                .split_once('/')
                .is_some_and(|(t, _)| t.eq_ignore_ascii_case(top)),
            None => listed.eq_ignore_ascii_case(actual),
        }
    }

    /// How many of a group's fields are set (`set`), against `kind`. The violation's path names
    /// the group: `(telephone|email)` below `path`.
    pub fn group(
        path: &Path<'_>,
        kind: GroupKind,
        rust: &'static [&'static str],
        wire: &'static [&'static str],
        set: usize,
        severity: Severity,
        out: &mut Violations,
    ) {
        let broken = match kind {
            GroupKind::AtMostOne => set > 1,
            GroupKind::AtLeastOne => set == 0,
            GroupKind::ExactlyOne => set != 1,
        };
        if broken {
            out.push(
                &path.group(rust, wire),
                Rule::Group(kind, rust),
                Found::Set(set),
                severity,
            );
        }
    }

    /// Characters, not bytes: 24 CJK characters count 24.
    pub fn char_count(s: &str) -> usize {
        s.chars().count()
    }

    /// A required string must not be empty.
    pub fn non_empty(path: &Path<'_>, s: &str, out: &mut Violations) {
        if s.is_empty() {
            out.push(path, Rule::NonEmpty, Found::Chars(0), Severity::Error);
        }
    }

    /// List length bounds.
    pub fn items(
        path: &Path<'_>,
        len: usize,
        min: Option<u64>,
        max: Option<u64>,
        out: &mut Violations,
    ) {
        if let Some(min) = min {
            if (len as u64) < min {
                out.push(
                    path,
                    Rule::MinItems(min),
                    Found::Items(len),
                    Severity::Error,
                );
            }
        }
        if let Some(max) = max {
            if len as u64 > max {
                out.push(
                    path,
                    Rule::MaxItems(max),
                    Found::Items(len),
                    Severity::Error,
                );
            }
        }
    }

    /// A recommended list size: a warning beyond it.
    pub fn recommended_max_items(path: &Path<'_>, len: usize, max: u64, out: &mut Violations) {
        if len as u64 > max {
            out.push(
                path,
                Rule::RecommendedMaxItems(max),
                Found::Items(len),
                Severity::Warning,
            );
        }
    }

    /// String length bounds in characters.
    pub fn chars(
        path: &Path<'_>,
        s: &str,
        min: Option<u64>,
        max: Option<u64>,
        out: &mut Violations,
    ) {
        // Byte length bounds the character count from above and below, so most strings need no
        // character count at all.
        let bytes = s.len() as u64;
        let needs_min = min.is_some_and(|m| bytes < m.saturating_mul(4));
        let needs_max = max.is_some_and(|m| bytes > m);
        if !needs_min && !needs_max {
            return;
        }
        let n = char_count(s);
        if let Some(min) = min {
            if (n as u64) < min {
                out.push(path, Rule::MinChars(min), Found::Chars(n), Severity::Error);
            }
        }
        if let Some(max) = max {
            if n as u64 > max {
                out.push(path, Rule::MaxChars(max), Found::Chars(n), Severity::Error);
            }
        }
    }

    /// Exact string length in characters.
    pub fn exact_chars(path: &Path<'_>, s: &str, len: u64, out: &mut Violations) {
        let n = char_count(s);
        if n as u64 != len {
            out.push(
                path,
                Rule::ExactChars(len),
                Found::Chars(n),
                Severity::Error,
            );
        }
    }

    /// Text the server truncates beyond `max` characters: a warning.
    pub fn truncated_beyond(path: &Path<'_>, s: &str, max: u64, out: &mut Violations) {
        if s.len() as u64 <= max {
            return;
        }
        let n = char_count(s);
        if n as u64 > max {
            out.push(
                path,
                Rule::TruncatedBeyond(max),
                Found::Chars(n),
                Severity::Warning,
            );
        }
    }

    /// Numeric bounds.
    pub fn range(
        path: &Path<'_>,
        v: f64,
        min: Option<f64>,
        max: Option<f64>,
        out: &mut Violations,
    ) {
        if let Some(min) = min {
            if v < min {
                out.push(path, Rule::Minimum(min), Found::Number(v), Severity::Error);
            }
        }
        if let Some(max) = max {
            if v > max {
                out.push(path, Rule::Maximum(max), Found::Number(v), Severity::Error);
            }
        }
    }

    /// A pattern: `s` must match all of `pattern`.
    pub fn pattern(path: &Path<'_>, s: &str, pattern: &'static Pattern, out: &mut Violations) {
        if !pattern.is_match(s) {
            out.push(
                path,
                Rule::Pattern(pattern.source()),
                Found::Mismatch(char_count(s)),
                Severity::Error,
            );
        }
    }
}

/// A `pattern` limit of a text field: the expression as the spec writes it (regex crate syntax),
/// compiled on first use to match the whole value.
///
/// Generated validators keep one in a `static` per limited field, so a crate of many patterns
/// compiles one small item for each (no closure, no type of its own) and each expression is
/// compiled once per process, on its first check.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    /// A pattern of `source`, not compiled yet.
    ///
    /// The generator refuses a spec whose pattern does not compile; a `source` written by hand
    /// that does not compile panics on the first [`Pattern::is_match`].
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The expression as the spec writes it, unanchored.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether all of `s` matches (the expression anchored at both ends).
    ///
    /// # Panics
    ///
    /// If the expression does not compile, which the generator checks for every pattern it
    /// writes.
    pub fn is_match(&self, s: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                Regex::new(&format!("^(?:{})$", self.source))
                    .unwrap_or_else(|e| panic!("pattern `{}` does not compile: {e}", self.source))
            })
            .is_match(s)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use super::*;
    use crate::file::File;

    fn only(out: &Violations) -> &Violation {
        let all: Vec<_> = out.iter().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        all[0]
    }

    #[test]
    fn file_and_group_rules_read_as_words() {
        assert_eq!(
            Rule::MaxBytes(1_048_576).to_string(),
            "at most 1048576 bytes"
        );
        assert_eq!(Rule::MaxBytes(1).to_string(), "at most 1 byte");
        assert_eq!(
            Rule::Extensions(&["jpg", "jpeg", "gif", "png"]).to_string(),
            "a file of type jpg, jpeg, gif or png"
        );
        assert_eq!(Rule::Extensions(&["pdf"]).to_string(), "a file of type pdf");
        assert_eq!(
            Rule::MediaTypes(&["image/png", "image/jpeg"]).to_string(),
            "a file of media type image/png or image/jpeg"
        );
        let group = &["telephone", "email"];
        assert_eq!(
            Rule::Group(GroupKind::AtLeastOne, group).to_string(),
            "at least one of telephone, email"
        );
        assert_eq!(
            Rule::Group(GroupKind::AtMostOne, group).to_string(),
            "at most one of telephone, email"
        );
        assert_eq!(
            Rule::Group(GroupKind::ExactlyOne, group).to_string(),
            "exactly one of telephone, email"
        );
        assert_eq!(Found::Bytes(2048).to_string(), "2048 bytes");
        assert_eq!(Found::Bytes(1).to_string(), "1 byte");
        assert_eq!(Found::Set(0).to_string(), "none set");
        assert_eq!(Found::Set(2).to_string(), "2 set");
        assert_eq!(
            Found::Extension(Some("bmp".into())).to_string(),
            "extension `bmp`"
        );
        assert_eq!(Found::Extension(None).to_string(), "no extension");
        assert_eq!(
            Found::MediaType(Some("image/bmp".into())).to_string(),
            "media type `image/bmp`"
        );
        assert_eq!(Found::MediaType(None).to_string(), "no known media type");
    }

    #[test]
    fn a_pattern_must_match_the_whole_text() {
        // An alternation too: anchoring must hold around all of it, not its first branch.
        static CODE: Pattern = Pattern::new("[0-9]{3}|x");
        let root = Path::Root;
        let path = root.field("code", "code");
        let mut out = Violations::default();
        for fits in ["123", "x"] {
            check::pattern(&path, fits, &CODE, &mut out);
        }
        assert!(out.is_empty(), "{out:?}");
        for text in ["1234", "a123", "xx", "123x", ""] {
            let mut out = Violations::default();
            check::pattern(&path, text, &CODE, &mut out);
            let v = only(&out);
            assert_eq!(v.rule, Rule::Pattern("[0-9]{3}|x"), "{text:?}");
            assert_eq!(v.found, Found::Mismatch(text.chars().count()));
        }
        assert_eq!(CODE.source(), "[0-9]{3}|x");
        assert_eq!(format!("{CODE:?}"), r#"Pattern("[0-9]{3}|x")"#);
    }

    #[test]
    fn a_pattern_is_compiled_once_and_shared_across_threads() {
        static DIGITS: Pattern = Pattern::new("[0-9]+");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| assert!(DIGITS.is_match("42") && !DIGITS.is_match("4a")));
            }
        });
        let first: *const Regex = DIGITS.compiled.get().expect("compiled by the first check");
        assert!(DIGITS.is_match("7"));
        assert!(std::ptr::eq(first, DIGITS.compiled.get().unwrap()));
    }

    #[test]
    fn file_size_is_checked_against_its_bound() {
        let root = Path::Root;
        let path = root.field("photo", "Filedata");
        let mut out = Violations::default();
        let exact = File::from_bytes("a.png", vec![0u8; 1024]);
        check::file(&path, &exact, Some(1024), &[], &[], &mut out);
        assert!(out.is_empty(), "{out:?}");
        let over = File::from_bytes("a.png", vec![0u8; 1025]);
        check::file(&path, &over, Some(1024), &[], &[], &mut out);
        let v = only(&out);
        assert_eq!(v.rule, Rule::MaxBytes(1024));
        assert_eq!(v.found, Found::Bytes(1025));
        assert_eq!(
            (v.rust_path.as_str(), v.wire_path.as_str()),
            ("photo", "Filedata")
        );
        assert_eq!(v.severity, Severity::Error);
        assert_eq!(
            v.to_string(),
            "error: photo (wire `Filedata`): at most 1024 bytes, found 1025 bytes"
        );
    }

    #[test]
    fn file_extension_is_compared_without_regard_to_case() {
        const IMAGES: &[&str] = &["jpg", "jpeg", "gif", "png"];
        let mut out = Violations::default();
        for name in ["a.jpg", "A.JPG", "scan.Png", "x.tar.gif"] {
            check::file(
                &Path::Root,
                &File::from_bytes(name, Vec::new()),
                None,
                IMAGES,
                &[],
                &mut out,
            );
        }
        assert!(out.is_empty(), "{out:?}");
        check::file(
            &Path::Root,
            &File::from_bytes("a.BMP", Vec::new()),
            None,
            IMAGES,
            &[],
            &mut out,
        );
        let v = only(&out);
        assert_eq!(v.rule, Rule::Extensions(IMAGES));
        assert_eq!(v.found, Found::Extension(Some("bmp".into())));
        let mut out = Violations::default();
        check::file(
            &Path::Root,
            &File::from_bytes("README", Vec::new()),
            None,
            IMAGES,
            &[],
            &mut out,
        );
        assert_eq!(only(&out).found, Found::Extension(None));
    }

    #[test]
    fn file_media_type_is_checked_set_or_guessed() {
        const TYPES: &[&str] = &["image/png", "image/jpeg"];
        let mut out = Violations::default();
        let ok = [
            File::from_bytes("a.png", Vec::new()),
            File::from_bytes("a.JPG", Vec::new()),
            File::from_bytes("upload", Vec::new()).with_media_type("IMAGE/PNG"),
        ];
        for file in &ok {
            check::file(&Path::Root, file, None, &[], TYPES, &mut out);
        }
        assert!(out.is_empty(), "{out:?}");
        check::file(
            &Path::Root,
            &File::from_bytes("a.pdf", Vec::new()),
            None,
            &[],
            TYPES,
            &mut out,
        );
        let v = only(&out);
        assert_eq!(v.rule, Rule::MediaTypes(TYPES));
        assert_eq!(v.found, Found::MediaType(Some("application/pdf".into())));
        let mut out = Violations::default();
        check::file(
            &Path::Root,
            &File::from_bytes("upload", Vec::new()),
            None,
            &[],
            TYPES,
            &mut out,
        );
        assert_eq!(only(&out).found, Found::MediaType(None));
    }

    #[test]
    fn listed_media_types_may_be_wildcards_and_extensions_may_have_a_dot() {
        let mut out = Violations::default();
        let png = File::from_bytes("a.png", Vec::new());
        let csv = File::from_bytes("a", Vec::new()).with_media_type("text/csv; charset=utf-8");
        check::file(&Path::Root, &png, None, &[".PNG"], &["image/*"], &mut out);
        check::file(&Path::Root, &csv, None, &[], &["text/csv"], &mut out);
        assert!(out.is_empty(), "{out:?}");
        check::file(&Path::Root, &csv, None, &[], &["image/*"], &mut out);
        assert_eq!(only(&out).rule, Rule::MediaTypes(&["image/*"]));
    }

    #[test]
    fn every_broken_file_rule_is_reported_and_empty_lists_admit_anything() {
        let mut out = Violations::default();
        let file = File::from_bytes("a.exe", vec![0u8; 10]);
        check::file(&Path::Root, &file, None, &[], &[], &mut out);
        assert!(out.is_empty());
        check::file(
            &Path::Root,
            &file,
            Some(9),
            &["png"],
            &["image/png"],
            &mut out,
        );
        let rules: Vec<_> = out.iter().map(|v| v.rule.clone()).collect();
        assert_eq!(
            rules,
            [
                Rule::MaxBytes(9),
                Rule::Extensions(&["png"]),
                Rule::MediaTypes(&["image/png"])
            ]
        );
    }

    #[test]
    fn group_kinds_against_the_number_set() {
        const RUST: &[&str] = &["telephone", "email"];
        for (kind, set, broken) in [
            (GroupKind::AtMostOne, 0, false),
            (GroupKind::AtMostOne, 1, false),
            (GroupKind::AtMostOne, 2, true),
            (GroupKind::AtLeastOne, 0, true),
            (GroupKind::AtLeastOne, 1, false),
            (GroupKind::AtLeastOne, 2, false),
            (GroupKind::ExactlyOne, 0, true),
            (GroupKind::ExactlyOne, 1, false),
            (GroupKind::ExactlyOne, 2, true),
        ] {
            let mut out = Violations::default();
            check::group(
                &Path::Root,
                kind,
                RUST,
                RUST,
                set,
                Severity::Error,
                &mut out,
            );
            assert_eq!(!out.is_empty(), broken, "{kind:?} with {set} set");
            if broken {
                let v = only(&out);
                assert_eq!(v.rule, Rule::Group(kind, RUST));
                assert_eq!(v.found, Found::Set(set));
            }
        }
    }

    #[test]
    fn group_violations_name_the_group_below_its_parent_with_their_severity() {
        let root = Path::Root;
        let contact = root.field("contact", "contactInfo");
        let mut out = Violations::default();
        check::group(
            &contact,
            GroupKind::AtLeastOne,
            &["telephone", "email"],
            &["tel", "mail"],
            0,
            Severity::Warning,
            &mut out,
        );
        let v = only(&out);
        assert_eq!(v.rust_path, "contact.(telephone|email)");
        assert_eq!(v.wire_path, "contactInfo.(tel|mail)");
        assert_eq!(v.severity, Severity::Warning);
        assert!(!out.has_errors());
        assert_eq!(
            v.to_string(),
            "warning: contact.(telephone|email) (wire `contactInfo.(tel|mail)`): \
             at least one of telephone, email, found none set"
        );
        let mut out = Violations::default();
        check::group(
            &Path::Root,
            GroupKind::AtMostOne,
            &["telephone", "email"],
            &["telephone", "email"],
            2,
            Severity::Error,
            &mut out,
        );
        let v = only(&out);
        assert_eq!(v.rust_path, "(telephone|email)");
        assert_eq!(
            v.to_string(),
            "error: (telephone|email): at most one of telephone, email, found 2 set"
        );
    }
}
