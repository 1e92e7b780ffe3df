//! Request validation: the paths, rules and collected violations that generated `validate()`
//! code reports.
//!
//! A path is built on the stack while validation descends into a request, and turned into text
//! only when a violation is recorded, so a valid request validates without allocating.

use std::fmt;

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
        }
    }
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
    use super::{Found, Path, Rule, Severity, Violations};

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

    /// A pattern; `matches` is the result of running the compiled expression.
    pub fn pattern(
        path: &Path<'_>,
        s: &str,
        pattern: &'static str,
        matches: bool,
        out: &mut Violations,
    ) {
        if !matches {
            out.push(
                path,
                Rule::Pattern(pattern),
                Found::Mismatch(char_count(s)),
                Severity::Error,
            );
        }
    }
}
