//! Problems found in spec files, each with its file, line and column, the rule it breaks and a
//! hint, rendered the way rustc renders its own.

use std::fmt;

use unicode_width::UnicodeWidthChar;

use crate::locate::Pos;

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident => $name:literal,)+) => {
        /// The rules a spec can break, each with a short stable name shown as `error[name]`.
        /// spec/README.md lists every one (a test keeps the two in step).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every rule, in the order spec/README.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The rule's stable name, for example `unknown-type`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }
        }
    };
}

codes! {
    /// A file or folder cannot be read.
    Io => "io",
    /// A spec file is not inside a vendor folder.
    Layout => "layout",
    /// A spec file is empty.
    EmptyFile => "empty-file",
    /// Lists and mappings nest deeper than the loader reads.
    TooDeep => "too-deep",
    /// The text is not valid YAML.
    YamlSyntax => "yaml-syntax",
    /// A key the format does not have (usually a typo).
    UnknownKey => "unknown-key",
    /// A value outside a key's fixed set (a protocol, a method, a kind).
    UnknownValue => "unknown-value",
    /// A required key is missing.
    MissingKey => "missing-key",
    /// A value of the wrong type (a list where a number belongs).
    WrongType => "wrong-type",
    /// A key written twice in one mapping, or a type defined twice in one file.
    DuplicateKey => "duplicate-key",
    /// A type expression that does not parse.
    BadType => "bad-type",
    /// Two folders or files that become the same module.
    ModuleCollision => "module-collision",
    /// An endpoint in a folder given as extern specs, which holds only shared types.
    ExternEndpoint => "extern-endpoint",
    /// A name that cannot become a Rust name.
    BadName => "bad-name",
    /// Two items that would get the same Rust name.
    NameCollision => "name-collision",
    /// A type that is neither an object nor an enum, or both.
    TypeShape => "type-shape",
    /// A file that describes an endpoint without `api`, or that holds nothing.
    MissingApi => "missing-api",
    /// An API name that is not dotted ASCII words.
    BadApiName => "bad-api-name",
    /// An HTTP route that does not fit the protocol family.
    BadRoute => "bad-route",
    /// Two files that specify the same API.
    DuplicateApi => "duplicate-api",
    /// A vendor folder whose endpoints need two different clients.
    MixedVendor => "mixed-vendor",
    /// An enum without values.
    EmptyEnum => "empty-enum",
    /// Enum values that are neither all strings nor all integers.
    EnumValues => "enum-values",
    /// An enum value listed twice.
    DuplicateValue => "duplicate-value",
    /// An enum value that needs an explicit `name`.
    EnumNameNeeded => "enum-name-needed",
    /// An error code listed twice.
    DuplicateCode => "duplicate-code",
    /// A reference to a type that is not defined where it is looked up.
    UnknownType => "unknown-type",
    /// An unqualified reference that two shared files could answer.
    AmbiguousType => "ambiguous-type",
    /// A limit on a field of a type it does not apply to.
    LimitType => "limit-type",
    /// A bound that is not a finite number.
    BadLimit => "bad-limit",
    /// A lower bound above its upper bound.
    MinAboveMax => "min-above-max",
    /// Limits that contradict or repeat each other.
    LimitConflict => "limit-conflict",
    /// A pattern that does not compile.
    BadPattern => "bad-pattern",
    /// A default of the wrong type, not among an enum's values, or outside the field's limits.
    BadDefault => "bad-default",
    /// An example of the wrong type, or one JSON cannot hold.
    BadExample => "bad-example",
    /// A form encoding where it does not apply.
    BadEncoding => "bad-encoding",
    /// A file field where a file cannot be sent.
    BadFile => "bad-file",
    /// A per-item result marker that does not fit its object.
    ItemResult => "item-result",
    /// A rule whose condition or check does not fit the object's fields.
    BadRule => "bad-rule",
    /// A field group that does not fit the object's fields.
    BadGroup => "bad-group",
    /// An object type that contains itself.
    RecursiveType => "recursive-type",
    /// A `pagination` that does not fit the endpoint's request and response.
    BadPagination => "bad-pagination",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the user named it (for example `spec/dingtalk/edu_period_create.yaml`).
    pub file: String,
    /// Where in the file.
    pub pos: Pos,
    /// The rule broken, shown by its short stable name, for example `unknown-type`.
    pub rule: Code,
    /// What is wrong, naming the offending item.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line the position points into, for display; of a line longer than
    /// [`SHOWN_CHARS`], the part around the column, marked with `…` where it is cut.
    pub source_line: Option<String>,
    /// How many characters of `source_line` come before the column.
    pub caret: usize,
}

/// Longest source line a diagnostic keeps whole: a one-line file of megabytes would otherwise be
/// copied into every diagnostic about it.
pub const SHOWN_CHARS: usize = 160;

/// The line `pos` points into (or the part of it around the column) and the characters of that
/// before the column.
fn excerpt(text: &str, pos: Pos) -> Option<(String, usize)> {
    let start = match pos.line {
        0 | 1 => 0,
        n => text.match_indices('\n').nth(n - 2)?.0 + 1,
    };
    if start >= text.len() {
        return None;
    }
    let col = pos.col.saturating_sub(1);
    let mut line = text[start..].chars().take_while(|&c| c != '\n');
    // Enough of the line to show it whole, or to show the window around the column.
    let mut head: Vec<char> = line
        .by_ref()
        .take(col.max(SHOWN_CHARS) + SHOWN_CHARS)
        .collect();
    let cut_after = line.next().is_some();
    if !cut_after && head.last() == Some(&'\r') {
        head.pop();
    }
    if !cut_after && head.len() <= SHOWN_CHARS {
        return Some((head.into_iter().collect(), col));
    }
    let from = col.saturating_sub(SHOWN_CHARS / 2).min(head.len());
    let to = (from + SHOWN_CHARS).min(head.len());
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(&head[from..to]);
    if cut_after || to < head.len() {
        shown.push('…');
    }
    Some((shown, col - from + usize::from(from > 0)))
}

impl Diagnostic {
    /// A problem at `pos` of `file`; `text` is the file's content, used to show the line.
    pub fn new(file: &str, text: &str, pos: Pos, rule: Code, message: impl Into<String>) -> Self {
        let (source_line, caret) = match excerpt(text, pos) {
            Some((line, caret)) => (Some(line), caret),
            None => (None, 0),
        };
        Diagnostic {
            file: file.to_owned(),
            pos,
            rule,
            message: message.into(),
            hint: None,
            source_line,
            caret,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error[{}]: {}", self.rule, self.message)?;
        write!(f, "  --> {}:{}:{}", self.file, self.pos.line, self.pos.col)?;
        if let Some(line) = &self.source_line {
            let number = self.pos.line.to_string();
            let pad = " ".repeat(number.len());
            // The caret goes under the column: a tab stays a tab, and every other character
            // is padded by its display width (two columns for CJK text).
            let lead: String = line
                .chars()
                .take(self.caret)
                .map(|c| match c {
                    '\t' => "\t".to_owned(),
                    c => " ".repeat(c.width().unwrap_or(0)),
                })
                .collect();
            write!(f, "\n{pad} |\n{number} | {line}\n{pad} | {lead}^")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in a set of spec files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Sorts by file and position, so the report reads top to bottom and never depends on the
    /// order checks ran in.
    pub fn sort(&mut self) {
        self.0.sort();
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{d}")?;
        }
        if !self.0.is_empty() {
            let n = self.0.len();
            write!(f, "\n\n{n} problem{} found", if n == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: usize, col: usize) -> Diagnostic {
        Diagnostic::new(
            "f.yaml",
            text,
            Pos { line, col },
            Code::YamlSyntax,
            "message",
        )
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let d = at("a: 1\r\nbb: \t2\n", 2, 6);
        assert_eq!(d.source_line.as_deref(), Some("bb: \t2"));
        assert!(d.to_string().ends_with("2 | bb: \t2\n  |     \t^"), "{d}");
        assert_eq!(at("a: 1\n", 2, 1).source_line, None);
        assert_eq!(at("", 1, 1).source_line, None);
    }

    #[test]
    fn carets_after_wide_characters_count_display_columns() {
        // `名称: 学段` is 4 characters before `学段`, 6 columns wide.
        let d = at("名称: 学段\n", 1, 5);
        assert!(
            d.to_string().ends_with("1 | 名称: 学段\n  |       ^"),
            "{d}"
        );
    }

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let d = at(&format!("x\n{line}\n"), 2, 1_000_001);
        let shown = d.source_line.clone().unwrap_or_default();
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(d.caret), Some('X'));
        // The start of a long line: cut at the end only.
        let d = at(&line, 1, 3);
        let shown = d.source_line.clone().unwrap_or_default();
        assert!(shown.starts_with("aaa") && shown.ends_with('…'));
        assert_eq!(d.caret, 2);
    }
}
