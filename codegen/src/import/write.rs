//! Writes an imported endpoint as spec YAML text, every guess as a `# review:` comment above
//! what it concerns. The same endpoint always gives the same text.

use std::fmt::Write as _;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::draft::{Endpoint, Field, Object, TypeBody};

/// The first line of every imported spec.
pub const HEADER: &str =
    "# Imported by `codegen import`. Each `# review:` comment marks a guess: check, then delete it.";

/// The spec text of `e`.
pub fn spec_text(e: &Endpoint) -> String {
    let mut out = String::new();
    if e.header.is_empty() {
        out.push_str(HEADER);
        out.push('\n');
    } else {
        for l in &e.header {
            out.push_str(l);
            out.push('\n');
        }
    }
    if !e.page_notes.is_empty() {
        out.push_str("#\n# Page quirks the spec settles:\n");
        for n in &e.page_notes {
            wrap_comment(&mut out, 0, "- ", n);
        }
    }
    reviews(&mut out, 0, &e.reviews);
    kv(&mut out, 0, "api", &scalar_str(&e.api));
    kv(&mut out, 0, "title", &scalar_str(&e.title));
    if let Some(d) = &e.description {
        kv(&mut out, 0, "description", &scalar_str(d));
    }
    if let Some(d) = &e.docs {
        kv(&mut out, 0, "docs", &scalar_str(d));
    }
    kv(&mut out, 0, "protocol", e.family.as_str());
    out.push_str("http:\n");
    kv(&mut out, 2, "method", e.method);
    if let Some(p) = &e.path {
        kv(&mut out, 2, "path", &scalar_str(p));
    }
    if let Some(a) = &e.action {
        kv(&mut out, 2, "action", &scalar_str(a));
    }
    if let Some(n) = &e.name {
        kv(&mut out, 0, "name", &scalar_str(n));
    }
    if let Some(n) = &e.notes {
        kv(&mut out, 0, "notes", &scalar_str(n));
    }
    out.push('\n');
    out.push_str("request:\n");
    object(&mut out, 2, &e.request);
    out.push('\n');
    out.push_str("response:\n");
    object(&mut out, 2, &e.response);
    if !e.types.is_empty() {
        out.push_str("\ntypes:\n");
        for (i, t) in e.types.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            reviews(&mut out, 2, &t.reviews);
            let _ = writeln!(out, "  {}:", key(&t.name));
            if let Some(d) = &t.description {
                kv(&mut out, 4, "description", &scalar_str(d));
            }
            match &t.body {
                TypeBody::Object(o) => object_body(&mut out, 4, o),
                TypeBody::Enum(values) => {
                    out.push_str("    enum:\n");
                    for v in values {
                        let _ = writeln!(out, "      - value: {}", json_flow(&v.value));
                        if let Some(n) = &v.name {
                            kv(&mut out, 8, "name", &scalar_str(n));
                        }
                        if let Some(d) = &v.description {
                            kv(&mut out, 8, "description", &scalar_str(d));
                        }
                    }
                }
            }
        }
    }
    if !e.errors.is_empty() {
        out.push_str("\nerrors:\n");
        for c in &e.errors {
            let mut parts = vec![format!("code: {}", c.code)];
            if let Some(n) = &c.name {
                parts.push(format!("name: {}", scalar_str(n)));
            }
            if let Some(k) = c.kind {
                parts.push(format!("kind: {k}"));
            }
            if let Some(m) = &c.meaning {
                parts.push(format!("meaning: {}", quoted(m)));
            }
            let _ = writeln!(out, "  - {{{}}}", parts.join(", "));
        }
    }
    out
}

/// An object's keys under `request:`/`response:` (or a type), at `indent`.
fn object(out: &mut String, indent: usize, o: &Object) {
    if let Some(d) = &o.description {
        kv(out, indent, "description", &scalar_str(d));
    }
    object_body(out, indent, o);
}

fn object_body(out: &mut String, indent: usize, o: &Object) {
    if let Some((code, message)) = &o.item_result {
        let pad = " ".repeat(indent);
        let _ = writeln!(
            out,
            "{pad}item_result: {{code: {}, message: {}}}",
            scalar_str(code),
            scalar_str(message)
        );
    }
    if o.fields.is_empty() {
        let _ = writeln!(out, "{}fields: {{}}", " ".repeat(indent));
    } else {
        let _ = writeln!(out, "{}fields:", " ".repeat(indent));
        for f in &o.fields {
            field(out, indent + 2, f);
        }
    }
    if !o.groups.is_empty() {
        let pad = " ".repeat(indent);
        let _ = writeln!(out, "{pad}groups:");
        for g in &o.groups {
            reviews(out, indent + 2, &g.reviews);
            let names: Vec<String> = g.fields.iter().map(|f| scalar_str(f)).collect();
            let _ = writeln!(out, "{pad}  - {}: [{}]", g.kind, names.join(", "));
            let _ = writeln!(out, "{pad}    description: {}", scalar_str(&g.description));
        }
    }
    for line in &o.kept {
        let _ = writeln!(out, "{}{line}", " ".repeat(indent));
    }
}

fn field(out: &mut String, indent: usize, f: &Field) {
    reviews(out, indent, &f.reviews);
    let _ = writeln!(out, "{}{}:", " ".repeat(indent), key(&f.wire));
    let inner = indent + 2;
    kv(out, inner, "type", &scalar_str(&f.ty.expr()));
    if let Some(r) = &f.rust_name {
        kv(out, inner, "rust_name", &scalar_str(r));
    }
    if f.required {
        kv(out, inner, "required", "true");
    }
    if let Some(d) = &f.default {
        kv(out, inner, "default", &json_flow(d));
    }
    for (k, v) in f.limits.entries() {
        kv(out, inner, k, &v.to_string());
    }
    if let Some(enc) = f.encoding {
        kv(out, inner, "encoding", enc);
    }
    for line in &f.kept {
        let _ = writeln!(out, "{}{line}", " ".repeat(inner));
    }
    if let Some(x) = &f.example {
        kv(out, inner, "example", &json_flow(x));
    }
    if let Some(d) = &f.description {
        kv(out, inner, "description", &scalar_str(d));
    }
}

fn kv(out: &mut String, indent: usize, k: &str, v: &str) {
    let _ = writeln!(out, "{}{k}: {v}", " ".repeat(indent));
}

fn reviews(out: &mut String, indent: usize, notes: &[String]) {
    for n in notes {
        wrap_comment(out, indent, "review: ", n);
    }
}

/// Widest comment line, in columns (a CJK character takes two).
const WIDTH: usize = 100;

/// A comment, wrapped at spaces to [`WIDTH`] columns; continuation lines are indented under
/// the first line's text.
fn wrap_comment(out: &mut String, indent: usize, lead: &str, text: &str) {
    let pad = " ".repeat(indent);
    let hang = " ".repeat(lead.chars().count());
    let mut first = true;
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let prefix = if first { lead } else { hang.as_str() };
            let width = indent + 2 + prefix.len() + UnicodeWidthStr::width(line.as_str());
            if !line.is_empty() && width + 1 + UnicodeWidthStr::width(word) > WIDTH {
                let _ = writeln!(out, "{pad}# {prefix}{line}");
                first = false;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let prefix = if first { lead } else { hang.as_str() };
        let _ = writeln!(out, "{pad}# {prefix}{line}");
        first = false;
    }
}

/// A mapping key: plain when it is safe, quoted otherwise.
fn key(k: &str) -> String {
    scalar_str(k)
}

/// A JSON value as YAML flow text (JSON is YAML); strings plain where YAML reads them back
/// unchanged.
pub fn json_flow(v: &Value) -> String {
    match v {
        Value::String(s) => scalar_str(s),
        other => other.to_string(),
    }
}

/// A string as a YAML scalar: plain when YAML reads it back as the same string, else
/// double-quoted (JSON escapes are YAML escapes).
pub fn scalar_str(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// A string double-quoted.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars()
            .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}')
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return false;
    }
    // Anything that could read as a number, a date or a time (`1003`, `1e5`, `0x1f`, `.5`,
    // `2019-01-01 12:00:00`) is quoted.
    let numberish = s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+');
    !numberish && !lower.starts_with(".inf") && !lower.starts_with(".nan")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_yaml_would_read_otherwise_are_quoted() {
        for s in [
            "1003",
            "true",
            "No",
            "",
            " a",
            "a: b",
            "a #b",
            "-1",
            "1e5",
            "0x1f",
            "[1]",
            "{}",
            "\"x\"",
            "2019-01-01",
            "a\nb",
            "*x",
            ".5",
            "2019-01-01 12:00:00",
            "12 个",
        ] {
            let text = scalar_str(s);
            assert!(text.starts_with('"'), "{s:?} gave {text}");
            let back: String = serde_yaml::from_str(&text).unwrap();
            assert_eq!(back, s);
        }
        for s in [
            "小学",
            "high_school",
            "学段名. 其枚举值:幼儿园",
            "F",
            "a-b",
            "userId列表",
        ] {
            assert_eq!(scalar_str(s), s);
            let back: String = serde_yaml::from_str(&format!("k: {s}"))
                .map(|m: std::collections::BTreeMap<String, String>| m["k"].clone())
                .unwrap();
            assert_eq!(back, s);
        }
    }
}
