//! A page as numbered lines, with the helpers every layout reader shares.

/// One line of a page.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// Line number, from 1.
    pub no: usize,
    /// The text without leading and trailing whitespace.
    pub text: &'a str,
    /// Whether the line is a bullet (`•`), with the bullet removed from `text`.
    pub bullet: bool,
    /// Leading whitespace, in characters.
    pub indent: usize,
}

/// Splits `page` into lines, numbered from 1. A byte-order mark and `\r` are dropped; a
/// bullet (`•`, `·` followed by a space) is taken off the text and remembered.
pub fn lines(page: &str) -> Vec<Line<'_>> {
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    page.lines()
        .enumerate()
        .map(|(i, raw)| {
            let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            let (bullet, text) = match t.strip_prefix('•') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, t),
            };
            let indent = raw
                .chars()
                .take_while(|c| c.is_whitespace() || *c == '\u{feff}')
                .count();
            Line {
                no: i + 1,
                text,
                bullet,
                indent,
            }
        })
        .collect()
}

/// The index of the first line at or after `from` whose text is one of `names`.
pub fn find_heading(lines: &[Line<'_>], from: usize, names: &[&str]) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].bullet && names.contains(&lines[i].text))
}

/// Whether `s` holds a CJK character.
pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c))
}

/// Whether `s` is a plain ASCII name (`biz_code`, `deptId`, `SID`).
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Collapses runs of whitespace to one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short quotation of `s` for messages: at most 60 characters.
pub fn quote(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}
