//! How one field's limits changed: each limit added, removed, tightened, loosened or changed.

use std::collections::BTreeSet;

use super::ChangeKind;
use crate::ir::Limits;

/// One limit's change.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LimitChange {
    /// Added, removed, tightened, loosened or changed.
    pub kind: ChangeKind,
    /// The limit and its values: `max_items 50 -> 20`.
    pub detail: String,
    /// Whether the limit only warns (`recommended_max_items`, `truncated_beyond`): changing it
    /// refuses nothing.
    pub warning: bool,
}

/// Which way a bound refuses values.
#[derive(Clone, Copy)]
enum Bound {
    /// Values above it are refused: a smaller bound is tighter.
    Upper,
    /// Values below it are refused: a larger bound is tighter.
    Lower,
    /// Only its value is accepted: any other value is neither tighter nor looser.
    Exact,
}

/// Every limit that differs between `old` and `new`, in the order the spec format lists them.
pub(super) fn compare(old: &Limits, new: &Limits) -> Vec<LimitChange> {
    let mut out = Vec::new();
    let ints = [
        (
            "min_items",
            old.min_items,
            new.min_items,
            Bound::Lower,
            false,
        ),
        (
            "max_items",
            old.max_items,
            new.max_items,
            Bound::Upper,
            false,
        ),
        (
            "recommended_max_items",
            old.recommended_max_items,
            new.recommended_max_items,
            Bound::Upper,
            true,
        ),
        (
            "min_length",
            old.min_length,
            new.min_length,
            Bound::Lower,
            false,
        ),
        (
            "max_length",
            old.max_length,
            new.max_length,
            Bound::Upper,
            false,
        ),
        ("length", old.length, new.length, Bound::Exact, false),
        (
            "truncated_beyond",
            old.truncated_beyond,
            new.truncated_beyond,
            Bound::Upper,
            true,
        ),
    ];
    for (name, o, n, bound, warning) in ints {
        bound_change(
            &mut out,
            name,
            o.map(|v| v as f64),
            n.map(|v| v as f64),
            bound,
            warning,
        );
    }
    bound_change(&mut out, "min", old.min, new.min, Bound::Lower, false);
    bound_change(&mut out, "max", old.max, new.max, Bound::Upper, false);
    if old.pattern != new.pattern {
        let kind = match (&old.pattern, &new.pattern) {
            (None, Some(_)) => ChangeKind::LimitAdded,
            (Some(_), None) => ChangeKind::LimitRemoved,
            _ => ChangeKind::LimitChanged,
        };
        out.push(LimitChange {
            kind,
            detail: format!(
                "pattern {} -> {}",
                shown_text(&old.pattern),
                shown_text(&new.pattern)
            ),
            warning: false,
        });
    }
    bound_change(
        &mut out,
        "max_bytes",
        old.max_bytes.map(|v| v as f64),
        new.max_bytes.map(|v| v as f64),
        Bound::Upper,
        false,
    );
    set_change(&mut out, "extensions", &old.extensions, &new.extensions);
    set_change(&mut out, "media_types", &old.media_types, &new.media_types);
    out
}

fn bound_change(
    out: &mut Vec<LimitChange>,
    name: &str,
    old: Option<f64>,
    new: Option<f64>,
    bound: Bound,
    warning: bool,
) {
    let kind = match (old, new, bound) {
        (None, None, _) => return,
        (Some(o), Some(n), _) if o == n => return,
        (None, Some(_), _) => ChangeKind::LimitAdded,
        (Some(_), None, _) => ChangeKind::LimitRemoved,
        (Some(_), Some(_), Bound::Exact) => ChangeKind::LimitChanged,
        (Some(o), Some(n), Bound::Upper) if n < o => ChangeKind::LimitTightened,
        (Some(o), Some(n), Bound::Lower) if n > o => ChangeKind::LimitTightened,
        (Some(_), Some(_), _) => ChangeKind::LimitLoosened,
    };
    out.push(LimitChange {
        kind,
        detail: format!("{name} {} -> {}", shown_number(old), shown_number(new)),
        warning,
    });
}

/// A list of allowed values, where an empty list allows any value.
fn set_change(out: &mut Vec<LimitChange>, name: &str, old: &[String], new: &[String]) {
    let o: BTreeSet<String> = old.iter().map(|s| s.to_lowercase()).collect();
    let n: BTreeSet<String> = new.iter().map(|s| s.to_lowercase()).collect();
    if o == n {
        return;
    }
    let kind = if o.is_empty() {
        ChangeKind::LimitAdded
    } else if n.is_empty() {
        ChangeKind::LimitRemoved
    } else if n.is_subset(&o) {
        ChangeKind::LimitTightened
    } else if n.is_superset(&o) {
        ChangeKind::LimitLoosened
    } else {
        ChangeKind::LimitChanged
    };
    let shown = |s: &BTreeSet<String>| {
        if s.is_empty() {
            "none".to_owned()
        } else {
            format!("[{}]", s.iter().cloned().collect::<Vec<_>>().join(", "))
        }
    };
    out.push(LimitChange {
        kind,
        detail: format!("{name} {} -> {}", shown(&o), shown(&n)),
        warning: false,
    });
}

fn shown_number(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn shown_text(v: &Option<String>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_owned(), |v| format!("{v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(old: Limits, new: Limits) -> Vec<(ChangeKind, String)> {
        compare(&old, &new)
            .into_iter()
            .map(|c| (c.kind, c.detail))
            .collect()
    }

    #[test]
    fn an_upper_bound_lowered_is_a_tightening_and_a_lower_bound_lowered_a_loosening() {
        let old = Limits {
            max_items: Some(50),
            min: Some(1.0),
            ..Limits::default()
        };
        let new = Limits {
            max_items: Some(20),
            min: Some(0.0),
            ..Limits::default()
        };
        assert_eq!(
            kinds(old, new),
            vec![
                (ChangeKind::LimitTightened, "max_items 50 -> 20".to_owned()),
                (ChangeKind::LimitLoosened, "min 1 -> 0".to_owned()),
            ]
        );
    }

    #[test]
    fn an_exact_length_changed_is_neither_tighter_nor_looser() {
        let old = Limits {
            length: Some(6),
            ..Limits::default()
        };
        let new = Limits {
            length: Some(8),
            ..Limits::default()
        };
        assert_eq!(
            kinds(old, new),
            vec![(ChangeKind::LimitChanged, "length 6 -> 8".to_owned())]
        );
    }

    #[test]
    fn allowed_lists_compare_as_sets_where_empty_allows_anything() {
        let some = |v: &[&str]| Limits {
            extensions: v.iter().map(|s| (*s).to_owned()).collect(),
            ..Limits::default()
        };
        assert_eq!(
            kinds(some(&["jpg", "png"]), some(&["PNG"]))[0].0,
            ChangeKind::LimitTightened
        );
        assert_eq!(
            kinds(some(&["png"]), some(&["png", "gif"]))[0].0,
            ChangeKind::LimitLoosened
        );
        assert_eq!(
            kinds(some(&["png"]), some(&["gif"]))[0].0,
            ChangeKind::LimitChanged
        );
        assert_eq!(
            kinds(some(&[]), some(&["gif"]))[0].0,
            ChangeKind::LimitAdded
        );
        assert_eq!(
            kinds(some(&["gif"]), some(&[]))[0].0,
            ChangeKind::LimitRemoved
        );
        assert!(kinds(some(&["GIF"]), some(&["gif"])).is_empty());
    }
}
