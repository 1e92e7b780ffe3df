//! JSON Schema of each endpoint's request, written from the same IR as the Rust code.
//!
//! It states the blocking limits only (errors, not warnings), so a request passes its schema
//! exactly when `validate()` finds no error: an independent check of the generated validators.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::ir::{
    EnumValuesIr, FieldIr, GroupIr, GroupKind, Ir, Limits, Literal, RuleCheckIr, RuleIr, StructIr,
    TestIr, TyIr, TypePath,
};
use crate::model::SeverityName;
use crate::typeexpr::Prim;

/// One JSON Schema per endpoint, keyed by API name. Every object and enum type of the vendor is
/// under `$defs`, named `<module>.<Type>`.
pub fn request_schemas(ir: &Ir) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for vendor in ir.vendors.values() {
        let mut defs = Map::new();
        for m in vendor.modules.values() {
            for s in &m.structs {
                defs.insert(format!("{}.{}", m.name, s.name), struct_schema(s, &m.name));
            }
            for e in &m.enums {
                let values: Vec<Value> = match &e.values {
                    EnumValuesIr::Str(vs) => vs.iter().map(|v| json!(v.value)).collect(),
                    EnumValuesIr::Int(vs) => vs.iter().map(|v| json!(v.value)).collect(),
                };
                defs.insert(format!("{}.{}", m.name, e.name), json!({ "enum": values }));
            }
        }
        for m in vendor.modules.values() {
            if let Some(e) = &m.endpoint {
                out.insert(
                    e.api.clone(),
                    json!({
                        "$schema": "https://json-schema.org/draft/2020-12/schema",
                        "$ref": format!("#/$defs/{}.{}", m.name, e.request),
                        "$defs": defs.clone(),
                    }),
                );
            }
        }
    }
    out
}

fn reference(p: &TypePath, here: &str) -> Value {
    let module = p.module.as_deref().unwrap_or(here);
    json!({ "$ref": format!("#/$defs/{module}.{}", p.name) })
}

fn literal(l: &Literal) -> Value {
    match l {
        Literal::Str(s) => json!(s),
        Literal::Int(i) => json!(i),
        Literal::Float(f) => json!(f),
        Literal::Bool(b) => json!(b),
        Literal::Variant(..) => Value::Null,
    }
}

fn struct_schema(s: &StructIr, module: &str) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in &s.fields {
        props.insert(f.wire.clone(), field_schema(f, module));
        if !f.optional {
            required.push(json!(f.wire));
        }
    }
    let rules: Vec<Value> = s
        .rules
        .iter()
        .filter(|r| r.severity == SeverityName::Error)
        .map(rule_schema)
        .chain(
            s.groups
                .iter()
                .filter(|g| g.severity == SeverityName::Error)
                .map(group_schema),
        )
        .collect();
    let mut schema = json!({ "type": "object", "properties": props, "required": required });
    if !rules.is_empty() {
        schema["allOf"] = Value::Array(rules);
    }
    schema
}

fn scalar(prim: Prim, l: &Limits, non_empty: bool) -> Value {
    let mut m = Map::new();
    let ty = match prim {
        Prim::String => "string",
        Prim::Bool => "boolean",
        Prim::Int32 | Prim::Int64 => "integer",
        Prim::Number => "number",
    };
    m.insert("type".into(), json!(ty));
    if prim == Prim::String {
        let min = match (l.length, l.min_length, non_empty) {
            (Some(n), _, _) => Some(n),
            (None, Some(n), _) => Some(n),
            (None, None, true) => Some(1),
            _ => None,
        };
        if let Some(n) = min {
            m.insert("minLength".into(), json!(n));
        }
        if let Some(n) = l.length.or(l.max_length) {
            m.insert("maxLength".into(), json!(n));
        }
        if let Some(p) = &l.pattern {
            m.insert("pattern".into(), json!(format!("^(?:{p})$")));
        }
    }
    if prim.is_numeric() {
        if let Some(v) = l.min {
            m.insert("minimum".into(), json!(v));
        }
        if let Some(v) = l.max {
            m.insert("maximum".into(), json!(v));
        }
    }
    Value::Object(m)
}

fn field_schema(f: &FieldIr, module: &str) -> Value {
    match &f.ty {
        TyIr::Prim(p) => scalar(*p, &f.limits, f.non_empty && !f.optional),
        // A file travels as a part of a multipart body: its summary (name, length, media type)
        // is what a JSON rendering of the request holds.
        TyIr::File => json!({ "type": "object" }),
        TyIr::Struct(p) | TyIr::Enum(p, _) => reference(p, module),
        TyIr::List(inner) => {
            let items = match inner.as_ref() {
                TyIr::Prim(p) => scalar(*p, &f.limits, false),
                TyIr::Struct(p) | TyIr::Enum(p, _) => reference(p, module),
                TyIr::List(_) => json!({ "type": "array" }),
                TyIr::File => json!({ "type": "object" }),
            };
            let mut m = Map::new();
            m.insert("type".into(), json!("array"));
            m.insert("items".into(), items);
            if let Some(n) = f.limits.min_items {
                m.insert("minItems".into(), json!(n));
            }
            if let Some(n) = f.limits.max_items {
                m.insert("maxItems".into(), json!(n));
            }
            Value::Object(m)
        }
    }
}

fn rule_schema(r: &RuleIr) -> Value {
    let wire = r.when.wire.clone();
    let is = |values: Vec<Value>| json!({ "properties": { wire.clone(): { "enum": values } }, "required": [wire.clone()] });
    let cond = match &r.test {
        TestIr::Equals(v) => is(vec![literal(&v.wire)]),
        TestIr::NotEquals(v) => json!({ "not": is(vec![literal(&v.wire)]) }),
        TestIr::In(vs) => is(vs.iter().map(|v| literal(&v.wire)).collect()),
        TestIr::Present => json!({ "required": [wire] }),
        TestIr::Absent => json!({ "not": { "required": [wire] } }),
    };
    let then = match &r.check {
        RuleCheckIr::MaxItems { field, max } => {
            json!({ "properties": { field.wire.clone(): { "maxItems": max } } })
        }
        RuleCheckIr::Presence {
            list: None,
            field,
            absent: true,
        } => {
            json!({ "not": { "required": [field.wire.clone()] } })
        }
        RuleCheckIr::Presence {
            list: None,
            field,
            absent: false,
        } => {
            json!({ "required": [field.wire.clone()] })
        }
        RuleCheckIr::Presence {
            list: Some(list),
            field,
            absent,
        } => {
            let item = if *absent {
                json!({ "not": { "required": [field.wire.clone()] } })
            } else {
                json!({ "required": [field.wire.clone()] })
            };
            json!({ "properties": { list.wire.clone(): { "items": item } } })
        }
    };
    json!({ "if": cond, "then": then })
}

/// How many of a group's fields are present, as JSON Schema says it: each "exactly n present"
/// is a `oneOf` over which field it is.
fn group_schema(g: &GroupIr) -> Value {
    let present = |wire: &str| json!({ "required": [wire] });
    let each: Vec<Value> = g.fields.iter().map(|f| present(&f.wire)).collect();
    match g.kind {
        GroupKind::AtLeastOne => json!({ "anyOf": each }),
        GroupKind::ExactlyOne => json!({ "oneOf": each }),
        GroupKind::AtMostOne => {
            json!({ "not": { "anyOf": pairs(&g.fields.iter().map(|f| f.wire.as_str()).collect::<Vec<_>>()) } })
        }
    }
}

/// Every two of `names` present together.
fn pairs(names: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            out.push(json!({ "required": [a, b] }));
        }
    }
    out
}
