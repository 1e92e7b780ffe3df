//! Problems found in spec files, each with its file, line and column, the rule it breaks and a
//! hint, rendered the way rustc renders its own.

use std::fmt;

use crate::locate::Pos;

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the user named it (for example `spec/dingtalk/edu_period_create.yaml`).
    pub file: String,
    /// Where in the file.
    pub pos: Pos,
    /// A short stable name of the rule broken, for example `unknown-type`.
    pub rule: &'static str,
    /// What is wrong, naming the offending item.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line the position points into, for display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem at `pos` of `file`; `text` is the file's content, used to show the line.
    pub fn new(
        file: &str,
        text: &str,
        pos: Pos,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_owned(),
            pos,
            rule,
            message: message.into(),
            hint: None,
            source_line: text
                .lines()
                .nth(pos.line.saturating_sub(1))
                .map(str::to_owned),
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
            // The caret goes under the column, counted in characters.
            let lead: String = line
                .chars()
                .take(self.pos.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
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
