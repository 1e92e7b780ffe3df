//! Documentation text written into generated code: the spec's descriptions kept as written,
//! examples, and every limit spelled out in words.

use crate::ir::Limits;

/// "1 to 20 items", "at most 20 items", "at least 1 item", ...
fn range_words(min: Option<String>, max: Option<String>, unit: &str) -> Option<String> {
    // `unit` is plural; a bound of exactly one takes the singular.
    let unit_for = |n: &str| {
        if n == "1" {
            unit.strip_suffix('s').unwrap_or(unit)
        } else {
            unit
        }
    };
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("exactly {a} {}", unit_for(&a))),
        (Some(a), Some(b)) => Some(format!("{a} to {b} {unit}")),
        (Some(a), None) => Some(format!("at least {a} {}", unit_for(&a))),
        (None, Some(b)) => Some(format!("at most {b} {}", unit_for(&b))),
        (None, None) => None,
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Each limit as a sentence fragment, in a fixed order.
pub fn limit_words(l: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = range_words(
        l.min_items.map(|v| v.to_string()),
        l.max_items.map(|v| v.to_string()),
        "items",
    ) {
        out.push(format!("List of {s}."));
    }
    if let Some(n) = l.recommended_max_items {
        out.push(format!("The vendor recommends at most {n} items per call."));
    }
    if let Some(n) = l.length {
        let unit = if n == 1 { "character" } else { "characters" };
        out.push(format!("Exactly {n} {unit}."));
    }
    if let Some(s) = range_words(
        l.min_length.map(|v| v.to_string()),
        l.max_length.map(|v| v.to_string()),
        "characters",
    ) {
        out.push(format!("Text of {s} (characters, not bytes)."));
    }
    if let Some(n) = l.truncated_beyond {
        out.push(format!(
            "The server truncates text beyond {n} characters (a warning when validating)."
        ));
    }
    if let Some(s) = range_words(l.min.map(num), l.max.map(num), "") {
        out.push(format!("A number {}.", s.trim_end()));
    }
    if let Some(p) = &l.pattern {
        out.push(format!("Must match the pattern `{p}`."));
    }
    out
}

/// Joins paragraphs with blank lines, skipping empty ones.
pub fn paragraphs<I: IntoIterator<Item = String>>(parts: I) -> String {
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_of_one_is_singular() {
        let l = Limits {
            min_items: Some(1),
            min_length: Some(1),
            ..Limits::default()
        };
        assert_eq!(
            limit_words(&l),
            [
                "List of at least 1 item.",
                "Text of at least 1 character (characters, not bytes)."
            ]
        );
    }

    #[test]
    fn limits_read_as_words() {
        let l = Limits {
            max_items: Some(20),
            min_length: Some(1),
            max_length: Some(24),
            truncated_beyond: Some(24),
            min: Some(0.0),
            ..Limits::default()
        };
        assert_eq!(
            limit_words(&l),
            [
                "List of at most 20 items.",
                "Text of 1 to 24 characters (characters, not bytes).",
                "The server truncates text beyond 24 characters (a warning when validating).",
                "A number at least 0.",
            ]
        );
    }
}
