//! Comparing enums: by Rust name, then their values by wire value.

use std::collections::BTreeSet;

use super::compare::{effects, module_loc, shown_value, Walk};
use super::{ChangeKind, Level, WireEffect};
use crate::resolved::{Enum, EnumValues, Loc, Module, Value};

impl Walk {
    /// The enums of one module on both sides.
    pub(super) fn enums(&mut self, o: &Module, n: &Module) {
        let n_objects: BTreeSet<&str> = n.objects.iter().map(|x| x.rust.as_str()).collect();
        let o_objects: BTreeSet<&str> = o.objects.iter().map(|x| x.rust.as_str()).collect();
        let (o_loc, n_loc) = (module_loc(o), module_loc(n));
        for oe in &o.enums {
            match n.enums.iter().find(|ne| ne.rust == oe.rust) {
                Some(ne) => self.enum_pair(oe, ne),
                // An enum that became an object is reported with the objects.
                None if n_objects.contains(oe.rust.as_str()) => {}
                None => self.type_alone(&oe.rust, &oe.at, "enum", Some(&n_loc), true),
            }
        }
        for ne in &n.enums {
            if !o.enums.iter().any(|oe| oe.rust == ne.rust) && !o_objects.contains(ne.rust.as_str())
            {
                self.type_alone(&ne.rust, &ne.at, "enum", Some(&o_loc), false);
            }
        }
    }

    fn enum_pair(&mut self, o: &Enum, n: &Enum) {
        let base = self.type_path(&n.rust);
        let usage = self.usage_of(&n.rust);
        if o.values.repr() != n.values.repr() {
            let repr = |v: &EnumValues| match v {
                EnumValues::Str(_) => "strings",
                EnumValues::Int(_) => "integers",
            };
            self.add(
                ChangeKind::EnumReprChanged,
                base,
                format!("{} -> {}", repr(&o.values), repr(&n.values)),
                (Some(&o.at), Some(&n.at)),
                Level::Major,
                effects(
                    usage,
                    Some(WireEffect::RequestsMayBeRefused),
                    Some(WireEffect::ResponsesReadDifferently),
                ),
            );
            return;
        }
        let olds = variants(o);
        let news = variants(n);
        let mut removed: Vec<&(String, Value, Loc)> = Vec::new();
        for ov in &olds {
            match news.iter().find(|nv| nv.1 == ov.1) {
                Some(nv) if nv.0 != ov.0 => self.add(
                    ChangeKind::VariantRenamed,
                    format!("{base}::{}", nv.0),
                    format!("{} -> {} (value {})", ov.0, nv.0, shown_value(&ov.1)),
                    (Some(&ov.2), Some(&nv.2)),
                    Level::Major,
                    Vec::new(),
                ),
                Some(_) => {}
                None => removed.push(ov),
            }
        }
        let mut added: Vec<&(String, Value, Loc)> = news
            .iter()
            .filter(|nv| !olds.iter().any(|ov| ov.1 == nv.1))
            .collect();
        for ov in removed {
            if let Some(i) = added.iter().position(|nv| nv.0 == ov.0) {
                let nv = added.remove(i);
                self.add(
                    ChangeKind::EnumValueChanged,
                    format!("{base}::{}", nv.0),
                    format!("value {} -> {}", shown_value(&ov.1), shown_value(&nv.1)),
                    (Some(&ov.2), Some(&nv.2)),
                    Level::Patch,
                    effects(
                        usage,
                        Some(WireEffect::RequestsSentDifferently),
                        Some(WireEffect::ResponsesReadDifferently),
                    ),
                );
                continue;
            }
            self.add(
                ChangeKind::EnumValueRemoved,
                format!("{base}::{}", ov.0),
                format!("value {}", shown_value(&ov.1)),
                (Some(&ov.2), Some(&n.at)),
                Level::Major,
                effects(
                    usage,
                    Some(WireEffect::RequestsMayBeRefused),
                    Some(WireEffect::ResponsesReadDifferently),
                ),
            );
        }
        for nv in added {
            self.add(
                ChangeKind::EnumValueAdded,
                format!("{base}::{}", nv.0),
                format!(
                    "value {}; the enum is #[non_exhaustive]",
                    shown_value(&nv.1)
                ),
                (Some(&o.at), Some(&nv.2)),
                Level::Minor,
                Vec::new(),
            );
        }
    }
}

fn variants(e: &Enum) -> Vec<(String, Value, Loc)> {
    match &e.values {
        EnumValues::Str(vs) => vs
            .iter()
            .map(|v| (v.rust.clone(), Value::Str(v.value.clone()), v.at.clone()))
            .collect(),
        EnumValues::Int(vs) => vs
            .iter()
            .map(|v| (v.rust.clone(), Value::Int(v.value), v.at.clone()))
            .collect(),
    }
}
