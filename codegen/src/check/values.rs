//! Values written in specs: a field's `default`, which must be of the field's type and inside
//! its own limits, and the values rule conditions compare with, each turned into a typed value.

use super::enums::Enums;
use super::fields::FieldAt;
use super::{show_value, Ctx, Problem};
use crate::diagnostic::Code;
use crate::model::Field as FieldDef;
use crate::resolved::{must_not_be_empty, Example, Ty, Value};
use crate::typeexpr::Prim;

/// The example, as JSON: for a scalar or enum field it must be a value of the field's type; any
/// example must be expressible in JSON (no tagged values, no non-text keys), since the fake
/// vendor answers with the examples.
pub(crate) fn example(
    cx: &mut Ctx<'_>,
    at: &FieldAt<'_>,
    ty: &Ty,
    enums: &Enums,
) -> Option<Example> {
    let ex = at.def.example.as_ref()?;
    let (file, wire) = (at.file, at.wire);
    let ep = at.path.key("example");
    if matches!(ty, Ty::Prim(_) | Ty::Enum(..)) {
        let folder = cx.files[file].source.vendor.clone();
        if let Err(unfit) = typed(&folder, ty, ex, enums) {
            let what = format!("field `{wire}`: example {}", show_value(ex));
            if let Some(problem) = unfit.problem(Code::BadExample, what) {
                cx.at_value(file, &ep, problem);
            }
            return None;
        }
    }
    // Written straight from the YAML, the text keeps the keys in the order the spec has them.
    match (serde_json::to_value(ex), serde_json::to_string(ex)) {
        (Ok(json), Ok(text)) => Some(Example { text, json }),
        (Err(e), _) | (_, Err(e)) => {
            cx.at_value(
                file,
                &ep,
                Problem::new(
                    Code::BadExample,
                    format!("field `{wire}`: the example cannot be written as JSON ({e})"),
                )
                .hint("write it as the API's JSON would hold it: text keys, no YAML tags"),
            );
            None
        }
    }
}

/// The default as a typed value, when it is one of the field's type and within its limits.
pub(crate) fn default(cx: &mut Ctx<'_>, at: &FieldAt<'_>, ty: &Ty, enums: &Enums) -> Option<Value> {
    let d = at.def.default.as_ref()?;
    let (file, wire) = (at.file, at.wire);
    let dp = at.path.key("default");
    if matches!(ty, Ty::Object(_) | Ty::List(_) | Ty::File) {
        cx.at_key(
            file,
            &dp,
            Problem::new(
                Code::BadDefault,
                format!("field `{wire}`: defaults are supported for scalars and enums only"),
            )
            .hint("describe the default in `description` instead"),
        );
        return None;
    }
    let folder = cx.files[file].source.vendor.clone();
    let value = match typed(&folder, ty, d, enums) {
        Ok(v) => v,
        Err(unfit) => {
            let what = format!("field `{wire}`: default {}", show_value(d));
            if let Some(problem) = unfit.problem(Code::BadDefault, what) {
                cx.at_value(file, &dp, problem);
            }
            return None;
        }
    };
    let outside = outside_limits(cx, &value, at.def);
    if let Some(bound) = outside {
        cx.at_value(
            file,
            &dp,
            Problem::new(Code::BadDefault, format!("field `{wire}`: default {} is outside the field's own limits ({bound})", show_value(d)))
                .hint("`new()` would build a value that fails its own `validate()`; fix the default or the limit"),
        );
        return None;
    }
    Some(value)
}

/// Which limit a default breaks, in words.
fn outside_limits(cx: &mut Ctx<'_>, v: &Value, f: &FieldDef) -> Option<String> {
    match v {
        Value::Int(_) | Value::Float(_) => {
            let n = match v {
                Value::Int(i) => *i as f64,
                Value::Float(x) => *x,
                _ => return None,
            };
            if let Some(min) = f.min.filter(|m| n < *m) {
                return Some(format!("`min: {min}`"));
            }
            if let Some(max) = f.max.filter(|m| n > *m) {
                return Some(format!("`max: {max}`"));
            }
            None
        }
        Value::Str(s) => {
            let chars = s.chars().count() as u64;
            if let Some(n) = f.length.filter(|n| chars != *n) {
                return Some(format!("`length: {n}`"));
            }
            if let Some(n) = f.min_length.filter(|n| chars < *n) {
                return Some(format!("`min_length: {n}`"));
            }
            if let Some(n) = f.max_length.filter(|n| chars > *n) {
                return Some(format!("`max_length: {n}`"));
            }
            if let Some(p) = &f.pattern {
                if matches!(cx.pattern(p), Ok(r) if !r.is_match(s)) {
                    return Some(format!("`pattern: {p}`"));
                }
            }
            if s.is_empty() && must_not_be_empty(f.required, f.min_length, f.length) {
                return Some("a required string is not empty".to_owned());
            }
            None
        }
        _ => None,
    }
}

/// Why a value does not fit a type.
pub(crate) enum Unfit {
    /// It does not: `tail` says how (to follow what the value is), `hint` how to fix it.
    Wrong { tail: String, hint: Option<String> },
    /// The type has problems of its own, reported with it: nothing more to say.
    Silent,
}

impl Unfit {
    /// The problem to report, with `what` naming the value (`field \`x\`: default 3`).
    pub(crate) fn problem(self, code: Code, what: String) -> Option<Problem> {
        let Unfit::Wrong { tail, hint } = self else {
            return None;
        };
        let p = Problem::new(code, format!("{what} {tail}"));
        Some(match hint {
            Some(h) => p.hint(h),
            None => p,
        })
    }
}

/// A spec value as a value of type `ty` (a scalar or an enum).
pub(crate) fn typed(
    folder: &str,
    ty: &Ty,
    v: &serde_yaml::Value,
    enums: &Enums,
) -> Result<Value, Unfit> {
    let unfit = |what: &str| Unfit::Wrong {
        tail: format!("is not a `{what}`"),
        hint: None,
    };
    match ty {
        Ty::Prim(Prim::String) => v
            .as_str()
            .map(|s| Value::Str(s.to_owned()))
            .ok_or_else(|| unfit("string")),
        Ty::Prim(Prim::Bool) => v.as_bool().map(Value::Bool).ok_or_else(|| unfit("bool")),
        Ty::Prim(Prim::Int32) => v
            .as_i64()
            .filter(|n| i32::try_from(*n).is_ok())
            .map(Value::Int)
            .ok_or_else(|| unfit("int32")),
        Ty::Prim(Prim::Int64) => v.as_i64().map(Value::Int).ok_or_else(|| unfit("int64")),
        Ty::Prim(Prim::Number) => match (v.as_i64(), v.as_f64()) {
            (Some(i), _) => Ok(Value::Float(i as f64)),
            (None, Some(x)) if x.is_finite() => Ok(Value::Float(x)),
            _ => Err(unfit("number")),
        },
        Ty::Enum(r, _) => {
            let Ok(e) = enums.find(folder, r) else {
                // The enum has problems of its own, reported with it.
                return Err(Unfit::Silent);
            };
            match e.variant_of(v) {
                Some((rust, wire)) => {
                    Ok(Value::Variant(r.clone(), rust.to_owned(), Box::new(wire)))
                }
                None => Err(Unfit::Wrong {
                    tail: format!("is not a value of enum `{}`", e.spec_name),
                    hint: Some(format!("the values are {}", e.shown_values())),
                }),
            }
        }
        Ty::File | Ty::List(_) | Ty::Object(_) => Err(Unfit::Wrong {
            tail: "cannot be compared: only scalars and enums can".into(),
            hint: None,
        }),
    }
}
