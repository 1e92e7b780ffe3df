//! Comparing the fields of one object: each field matched by wire name (or, when its wire name
//! changed, by Rust name), its shape, type, default, encoding and limits, and the order of the
//! constructor's parameters.

use super::compare::{effects, level_of, shown_value, Walk};
use super::limits;
use super::{ChangeKind, Level, WireEffect};
use crate::ir::Usage;
use crate::resolved::{Field, Object, Ty, TypeRef};
use crate::typeexpr::Prim;

impl Walk {
    /// The fields of one object on both sides.
    pub(super) fn fields(&mut self, o: &Object, n: &Object, base: &str, usage: Usage) {
        let mut unmatched_old: Vec<&Field> = Vec::new();
        for of in &o.fields {
            match n.fields.iter().find(|nf| nf.wire == of.wire) {
                Some(nf) => self.field(of, nf, base, usage),
                None => unmatched_old.push(of),
            }
        }
        let mut unmatched_new: Vec<&Field> = n
            .fields
            .iter()
            .filter(|nf| !o.fields.iter().any(|of| of.wire == nf.wire))
            .collect();
        for of in unmatched_old {
            if let Some(i) = unmatched_new.iter().position(|nf| nf.rust == of.rust) {
                let nf = unmatched_new.remove(i);
                let decoded_required = !of.optional() && !nf.optional();
                self.add(
                    ChangeKind::WireNameChanged,
                    format!("{base}.{}", nf.rust),
                    format!("{:?} -> {:?}", of.wire, nf.wire),
                    (Some(&of.at), Some(&nf.at)),
                    Level::Patch,
                    effects(
                        usage,
                        Some(WireEffect::RequestsSentDifferently),
                        Some(if decoded_required {
                            WireEffect::ResponsesMayFailToDecode
                        } else {
                            WireEffect::ResponsesReadDifferently
                        }),
                    ),
                );
                self.field(of, nf, base, usage);
                continue;
            }
            self.add(
                ChangeKind::FieldRemoved,
                format!("{base}.{}", of.rust),
                field_summary(of, &self.module_name),
                (Some(&of.at), Some(&n.at)),
                Level::Major,
                Vec::new(),
            );
        }
        for nf in unmatched_new {
            let mut detail = field_summary(nf, &self.module_name);
            if nf.required && nf.default.is_none() {
                detail.push_str("; `new` takes it");
            } else {
                detail.push_str("; breaks struct literals and exhaustive patterns");
            }
            let always_decoded = !nf.optional();
            self.add(
                ChangeKind::FieldAdded,
                format!("{base}.{}", nf.rust),
                detail,
                (Some(&o.at), Some(&nf.at)),
                Level::Major,
                effects(
                    usage,
                    nf.required.then_some(WireEffect::RequestsMayBeRefused),
                    always_decoded.then_some(WireEffect::ResponsesMayFailToDecode),
                ),
            );
        }
    }

    /// One field on both sides.
    fn field(&mut self, o: &Field, n: &Field, base: &str, usage: Usage) {
        let path = format!("{base}.{}", n.rust);
        let locs = (Some(&o.at), Some(&n.at));
        if o.rust != n.rust {
            self.add(
                ChangeKind::RustNameChanged,
                path.clone(),
                format!("{} -> {}", o.rust, n.rust),
                locs,
                Level::Major,
                Vec::new(),
            );
        }
        // The Rust shape of a field: `Option` or not, and whether `new` takes it.
        let shape = |required: bool, default: bool| (!required && !default, required && !default);
        let (od, nd) = (o.default.is_some(), n.default.is_some());
        if o.required != n.required {
            let level = level_of(shape(o.required, od) != shape(n.required, od));
            let kind;
            let wire;
            if n.required {
                kind = ChangeKind::FieldNowRequired;
                let refused = o.optional() || (!o.non_empty() && n.non_empty());
                let fails = o.optional() && !n.optional();
                wire = effects(
                    usage,
                    refused.then_some(WireEffect::RequestsMayBeRefused),
                    fails.then_some(WireEffect::ResponsesMayFailToDecode),
                );
            } else {
                kind = ChangeKind::FieldNowOptional;
                wire = Vec::new();
            }
            let detail = if level == Level::Major {
                "the Rust field or `new` changes"
            } else {
                "it keeps its default: the Rust field and `new` are unchanged"
            };
            self.add(kind, path.clone(), detail.to_owned(), locs, level, wire);
        }
        let level = level_of(shape(n.required, od) != shape(n.required, nd));
        match (&o.default, &n.default) {
            (None, Some(d)) => {
                let fails = o.optional() && !n.optional();
                self.add(
                    ChangeKind::DefaultAdded,
                    path.clone(),
                    format!("default {}", shown_value(d)),
                    locs,
                    level,
                    effects(
                        usage,
                        None,
                        fails.then_some(WireEffect::ResponsesMayFailToDecode),
                    ),
                );
            }
            (Some(d), None) => self.add(
                ChangeKind::DefaultRemoved,
                path.clone(),
                format!("default {}", shown_value(d)),
                locs,
                level,
                Vec::new(),
            ),
            (Some(a), Some(b)) if a.wire() != b.wire() => self.add(
                ChangeKind::DefaultChanged,
                path.clone(),
                format!("default {} -> {}", shown_value(a), shown_value(b)),
                locs,
                Level::Patch,
                effects(usage, Some(WireEffect::RequestsSentDifferently), None),
            ),
            _ => {}
        }
        if !same_ty(&o.ty, &n.ty) {
            let widened = widens(&o.ty, &n.ty);
            self.add(
                ChangeKind::FieldTypeChanged,
                path.clone(),
                format!(
                    "{} -> {}",
                    ty_name(&o.ty, &self.module_name),
                    ty_name(&n.ty, &self.module_name)
                ),
                locs,
                Level::Major,
                effects(
                    usage,
                    (!widened).then_some(WireEffect::RequestsMayBeRefused),
                    (!widened).then_some(WireEffect::ResponsesMayFailToDecode),
                ),
            );
        }
        if o.encoding != n.encoding {
            let shown = |e: &Option<crate::model::EncodingName>| {
                e.map_or_else(|| "none".to_owned(), |e| format!("{e:?}").to_lowercase())
            };
            self.add(
                ChangeKind::EncodingChanged,
                path.clone(),
                format!("encoding {} -> {}", shown(&o.encoding), shown(&n.encoding)),
                locs,
                Level::Patch,
                effects(usage, Some(WireEffect::RequestsSentDifferently), None),
            );
        }
        for change in limits::compare(&o.limits, &n.limits) {
            let refuses = !change.warning
                && matches!(
                    change.kind,
                    ChangeKind::LimitAdded | ChangeKind::LimitTightened | ChangeKind::LimitChanged
                );
            self.add(
                change.kind,
                path.clone(),
                change.detail,
                locs,
                Level::Patch,
                effects(
                    usage,
                    refuses.then_some(WireEffect::RequestsMayBeRefused),
                    None,
                ),
            );
        }
    }
}

/// Types are the same when they name the same type; whether it is an object or an enum, and
/// an enum's representation, are compared with the type itself.
fn same_ty(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::List(a), Ty::List(b)) => same_ty(a, b),
        (Ty::Enum(a, _) | Ty::Object(a), Ty::Enum(b, _) | Ty::Object(b)) => a == b,
        _ => a == b,
    }
}

/// Whether every value of `old` is a value of `new` on the wire: an integer widened.
fn widens(old: &Ty, new: &Ty) -> bool {
    match (old, new) {
        (Ty::List(a), Ty::List(b)) => widens(a, b),
        (Ty::Prim(Prim::Int32), Ty::Prim(Prim::Int64 | Prim::Number)) => true,
        (Ty::Prim(Prim::Int64), Ty::Prim(Prim::Number)) => true,
        _ => false,
    }
}

fn ty_name(t: &Ty, here: &str) -> String {
    let named = |r: &TypeRef| {
        if r.module == here {
            r.rust.clone()
        } else {
            format!("{}::{}", r.module, r.rust)
        }
    };
    match t {
        Ty::Prim(p) => p.as_str().to_owned(),
        Ty::File => "file".to_owned(),
        Ty::List(inner) => format!("list<{}>", ty_name(inner, here)),
        Ty::Object(r) | Ty::Enum(r, _) => named(r),
    }
}

fn field_summary(f: &Field, here: &str) -> String {
    let presence = if f.required {
        "required"
    } else if f.default.is_some() {
        "defaulted"
    } else {
        "optional"
    };
    let mut out = format!("{}, {presence}", ty_name(&f.ty, here));
    if f.wire != f.rust {
        out.push_str(&format!(", wire {:?}", f.wire));
    }
    out
}
