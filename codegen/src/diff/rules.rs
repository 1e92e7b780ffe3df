//! Comparing the rules, groups and per-item result marker of one object: rules matched by what
//! they read and check, groups by their fields.

use std::collections::BTreeSet;

use super::compare::{effects, shown_value, Walk};
use super::{ChangeKind, Level, WireEffect};
use crate::ir::Usage;
use crate::model::SeverityName;
use crate::resolved::{Check, Group, GroupKind, Object, Rule, Test};

impl Walk {
    /// The rules of one object on both sides.
    pub(super) fn rules(&mut self, o: &Object, n: &Object, base: &str, usage: Usage) {
        let mut olds: Vec<(usize, &Rule)> = o.rules.iter().enumerate().collect();
        for (i, nr) in n.rules.iter().enumerate() {
            let path = format!("{base}.rules[{i}]");
            let Some(at) = olds
                .iter()
                .position(|(_, or)| rule_text(or, false) == rule_text(nr, false))
            else {
                let refuses = nr.severity == SeverityName::Error;
                self.add(
                    ChangeKind::RuleAdded,
                    path,
                    severity_text(&rule_text(nr, true), nr.severity),
                    (Some(&o.at), Some(&nr.at)),
                    Level::Patch,
                    effects(
                        usage,
                        refuses.then_some(WireEffect::RequestsMayBeRefused),
                        None,
                    ),
                );
                continue;
            };
            let (_, or) = olds.remove(at);
            let mut parts = Vec::new();
            let (ob, nb) = (bound(or), bound(nr));
            if ob != nb {
                parts.push(format!(
                    "max_items {} -> {}",
                    ob.unwrap_or_default(),
                    nb.unwrap_or_default()
                ));
            }
            if or.severity != nr.severity {
                parts.push(format!(
                    "{} -> {}",
                    severity_name(or.severity),
                    severity_name(nr.severity)
                ));
            }
            if or.description != nr.description {
                parts.push(format!(
                    "description {} -> {}",
                    shown_text(&or.description),
                    shown_text(&nr.description)
                ));
            }
            if parts.is_empty() {
                continue;
            }
            let tighter = nb < ob || or.severity == SeverityName::Warning;
            let refuses = tighter && nr.severity == SeverityName::Error;
            self.add(
                ChangeKind::RuleChanged,
                path,
                format!("{}: {}", rule_text(nr, false), parts.join("; ")),
                (Some(&or.at), Some(&nr.at)),
                Level::Patch,
                effects(
                    usage,
                    refuses.then_some(WireEffect::RequestsMayBeRefused),
                    None,
                ),
            );
        }
        for (i, or) in olds {
            self.add(
                ChangeKind::RuleRemoved,
                format!("{base}.rules[{i}]"),
                severity_text(&rule_text(or, true), or.severity),
                (Some(&or.at), Some(&n.at)),
                Level::Patch,
                Vec::new(),
            );
        }
    }

    /// The groups of one object on both sides.
    pub(super) fn groups(&mut self, o: &Object, n: &Object, base: &str, usage: Usage) {
        let key =
            |g: &Group| -> BTreeSet<String> { g.fields.iter().map(|f| f.wire.clone()).collect() };
        let name = |g: &Group| -> String {
            let wires: Vec<&str> = g.fields.iter().map(|f| f.wire.as_str()).collect();
            format!("({})", wires.join("|"))
        };
        let mut olds: Vec<&Group> = o.groups.iter().collect();
        for ng in &n.groups {
            let path = format!("{base}.{}", name(ng));
            let Some(at) = olds.iter().position(|og| key(og) == key(ng)) else {
                let refuses = ng.severity == SeverityName::Error;
                self.add(
                    ChangeKind::GroupAdded,
                    path,
                    severity_text(ng.kind.key(), ng.severity),
                    (Some(&o.at), Some(&ng.at)),
                    Level::Patch,
                    effects(
                        usage,
                        refuses.then_some(WireEffect::RequestsMayBeRefused),
                        None,
                    ),
                );
                continue;
            };
            let og = olds.remove(at);
            if og.kind == ng.kind && og.severity == ng.severity && og.description == ng.description
            {
                continue;
            }
            let looser_kind = accepted(ng.kind).is_superset(&accepted(og.kind));
            // An error group refuses more when its kind accepts less or it was a warning.
            let tighter = ng.severity == SeverityName::Error
                && (!looser_kind || og.severity == SeverityName::Warning);
            self.add(
                ChangeKind::GroupChanged,
                path,
                {
                    let mut detail = format!(
                        "{} -> {}",
                        severity_text(og.kind.key(), og.severity),
                        severity_text(ng.kind.key(), ng.severity)
                    );
                    if og.description != ng.description {
                        detail.push_str(&format!(
                            "; description {} -> {}",
                            shown_text(&og.description),
                            shown_text(&ng.description)
                        ));
                    }
                    detail
                },
                (Some(&og.at), Some(&ng.at)),
                Level::Patch,
                effects(
                    usage,
                    tighter.then_some(WireEffect::RequestsMayBeRefused),
                    None,
                ),
            );
        }
        for og in olds {
            self.add(
                ChangeKind::GroupRemoved,
                format!("{base}.{}", name(og)),
                severity_text(og.kind.key(), og.severity),
                (Some(&og.at), Some(&n.at)),
                Level::Patch,
                Vec::new(),
            );
        }
    }

    /// Whether, and how, an object is a per-item result on both sides.
    pub(super) fn item_result(&mut self, o: &Object, n: &Object, base: &str) {
        let locs = (Some(&o.at), Some(&n.at));
        match (&o.item_result, &n.item_result) {
            (None, Some(i)) => self.add(
                ChangeKind::ItemResultAdded,
                base.to_owned(),
                format!(
                    "code {}, message {}; implements `ItemResult`",
                    i.code.wire, i.message.wire
                ),
                locs,
                Level::Minor,
                Vec::new(),
            ),
            (Some(i), None) => self.add(
                ChangeKind::ItemResultRemoved,
                base.to_owned(),
                format!(
                    "code {}, message {}; no longer implements `ItemResult`",
                    i.code.wire, i.message.wire
                ),
                locs,
                Level::Major,
                Vec::new(),
            ),
            (Some(a), Some(b))
                if a.code.wire != b.code.wire || a.message.wire != b.message.wire =>
            {
                self.add(
                    ChangeKind::ItemResultChanged,
                    base.to_owned(),
                    format!(
                        "code {}, message {} -> code {}, message {}",
                        a.code.wire, a.message.wire, b.code.wire, b.message.wire
                    ),
                    locs,
                    Level::Patch,
                    vec![WireEffect::ResponsesReadDifferently],
                )
            }
            _ => {}
        }
    }
}

fn severity_name(s: SeverityName) -> &'static str {
    match s {
        SeverityName::Error => "error",
        SeverityName::Warning => "warning",
    }
}

fn severity_text(text: &str, s: SeverityName) -> String {
    format!("{text} ({})", severity_name(s))
}

/// How many of a group's fields may be set: none, one, several.
fn accepted(kind: GroupKind) -> BTreeSet<u8> {
    match kind {
        GroupKind::AtMostOne => [0, 1].into(),
        GroupKind::AtLeastOne => [1, 2].into(),
        GroupKind::ExactlyOne => [1].into(),
    }
}

/// The bound of a rule's `max_items` check.
fn bound(r: &Rule) -> Option<u64> {
    match r.check {
        Check::MaxItems { max, .. } => Some(max),
        Check::Presence { .. } => None,
    }
}

fn shown_text(v: &Option<String>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_owned(), |v| format!("{v:?}"))
}

/// What a rule says, by wire names: its identity between two versions.
/// With `bound` false, a `max_items` check is written without its bound, so that a rule whose
/// bound changed is the same rule.
fn rule_text(r: &Rule, bound: bool) -> String {
    let test = match &r.test {
        Test::Equals(v) => format!("= {}", shown_value(v.wire())),
        Test::NotEquals(v) => format!("!= {}", shown_value(v.wire())),
        Test::In(vs) => {
            let vs: Vec<String> = vs.iter().map(|v| shown_value(v.wire())).collect();
            format!("in [{}]", vs.join(", "))
        }
        Test::Present => "present".to_owned(),
        Test::Absent => "absent".to_owned(),
    };
    let check = match &r.check {
        Check::MaxItems { field, max } if bound => format!("{} max_items {max}", field.wire),
        Check::MaxItems { field, .. } => format!("{} max_items", field.wire),
        Check::Presence {
            list,
            field,
            absent,
        } => {
            let at = match list {
                Some(l) => format!("{}[].{}", l.wire, field.wire),
                None => field.wire.clone(),
            };
            format!("{at} {}", if *absent { "absent" } else { "present" })
        }
    };
    format!("when {} {test}: {check}", r.when.wire)
}
