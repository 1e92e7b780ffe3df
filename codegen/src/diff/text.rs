//! The report as text for people: one line per change, grouped by module, then a summary.

use std::fmt;

use super::{Change, Level, Report};

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut module: Option<&str> = None;
        for c in &self.changes {
            if module != Some(c.module.as_str()) {
                writeln!(f, "{}", c.module)?;
                module = Some(&c.module);
            }
            writeln!(f, "  {c}")?;
        }
        match self.level() {
            None => write!(f, "no changes"),
            Some(level) => {
                let n = self.changes.len();
                write!(
                    f,
                    "{n} change{}: {} major, {} minor, {} patch; semver: {level}{}",
                    if n == 1 { "" } else { "s" },
                    self.count(Level::Major),
                    self.count(Level::Minor),
                    self.count(Level::Patch),
                    if level == Level::Major {
                        " (breaking)"
                    } else {
                        ""
                    }
                )
            }
        }
    }
}

impl fmt::Display for Change {
    /// `major  field removed: path (detail); wire: none; old file:line:col, new file:line:col`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wire = if self.wire.is_empty() {
            "none".to_owned()
        } else {
            let effects: Vec<&str> = self.wire.iter().map(|w| w.as_str()).collect();
            effects.join(", ")
        };
        let at = |loc: &Option<crate::resolved::Loc>| {
            loc.as_ref()
                .map_or_else(|| "-".to_owned(), |l| l.to_string())
        };
        write!(
            f,
            "{:<5}  {}: {} ({}); wire: {wire}; old {}, new {}",
            self.rust.as_str(),
            self.kind.as_str(),
            self.path,
            self.detail,
            at(&self.old),
            at(&self.new)
        )
    }
}
