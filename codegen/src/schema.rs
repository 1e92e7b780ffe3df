//! JSON Schema of each endpoint's request, written from the same IR as the Rust code.
//!
//! It states the blocking limits only (errors, not warnings), so a request passes its schema
//! exactly when `validate()` finds no error: an independent check of the generated validators.
//! The same functions write the schemas of the OpenAPI export ([`crate::openapi`]), in the
//! [`Dialect::OpenApi`] form that adds descriptions, formats, defaults and the advisory limits.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value};

use crate::ir::{
    EnumIr, EnumValuesIr, FieldIr, GroupIr, GroupKind, Ir, Limits, Literal, RuleCheckIr, RuleIr,
    StructIr, TestIr, TyIr, TypePath, VariantIr, VendorIr,
};
use crate::model::SeverityName;
use crate::typeexpr::Prim;

/// Which document a schema is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A standalone JSON Schema: named types under `$defs`, keywords that decide validity only.
    JsonSchema,
    /// An OpenAPI 3.1 document: named types under `components/schemas`, with descriptions,
    /// integer formats, defaults, the advisory limits and per-item result fields as `x-`
    /// keywords, and files as binary parts of a `multipart/form-data` body.
    OpenApi,
}

impl Dialect {
    /// Where references to named types point.
    fn ref_prefix(self) -> &'static str {
        match self {
            Dialect::JsonSchema => "#/$defs/",
            Dialect::OpenApi => "#/components/schemas/",
        }
    }

    /// Whether schemas carry what is there for people and tools rather than for validity.
    fn annotated(self) -> bool {
        self == Dialect::OpenApi
    }
}

/// One JSON Schema per endpoint, keyed by API name. Every object and enum type of the vendor is
/// under `$defs`, named `<module>.<Type>`.
pub fn request_schemas(ir: &Ir) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for vendor in ir.vendors.values() {
        let defs = type_schemas(vendor, Dialect::JsonSchema);
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

/// The schema of every object and enum type of `vendor`, keyed `<module>.<Type>`.
pub fn type_schemas(vendor: &VendorIr, dialect: Dialect) -> Map<String, Value> {
    let mut defs = Map::new();
    for m in vendor.modules.values() {
        let cx = Cx {
            vendor,
            module: &m.name,
            dialect,
        };
        for s in &m.structs {
            defs.insert(format!("{}.{}", m.name, s.name), cx.struct_schema(s));
        }
        for e in &m.enums {
            defs.insert(format!("{}.{}", m.name, e.name), enum_schema(e, dialect));
        }
    }
    defs
}

/// A reference to the named type `name` of `module`.
pub fn type_ref(module: &str, name: &str, dialect: Dialect) -> Value {
    json!({ "$ref": format!("{}{module}.{name}", dialect.ref_prefix()) })
}

/// The schema of one top-level field of `module`'s types, as its object's schema holds it.
pub fn field_schema(vendor: &VendorIr, module: &str, f: &FieldIr, dialect: Dialect) -> Value {
    Cx {
        vendor,
        module,
        dialect,
    }
    .field_schema(f)
}

fn enum_schema(e: &EnumIr, dialect: Dialect) -> Value {
    let (ty, values, names, docs) = match &e.values {
        EnumValuesIr::Str(vs) => (
            "string",
            column(vs, |v| json!(v.value)),
            column(vs, |v| json!(v.name)),
            column(vs, |v| json!(v.doc)),
        ),
        EnumValuesIr::Int(vs) => (
            "integer",
            column(vs, |v| json!(v.value)),
            column(vs, |v| json!(v.name)),
            column(vs, |v| json!(v.doc)),
        ),
    };
    if !dialect.annotated() {
        return json!({ "enum": values });
    }
    let mut m = Map::new();
    m.insert("type".into(), json!(ty));
    m.insert("enum".into(), Value::Array(values));
    describe(&mut m, &e.doc);
    m.insert("x-enum-varnames".into(), Value::Array(names));
    m.insert("x-enum-descriptions".into(), Value::Array(docs));
    Value::Object(m)
}

/// One value of each variant.
fn column<T>(vs: &[VariantIr<T>], f: impl Fn(&VariantIr<T>) -> Value) -> Vec<Value> {
    vs.iter().map(f).collect()
}

fn describe(m: &mut Map<String, Value>, doc: &str) {
    if !doc.trim().is_empty() {
        m.insert("description".into(), json!(doc_text(doc)));
    }
}

/// Rustdoc's links to generated items (``[`Step`]``, ``[`Step`](super::common::Step)``).
static DOC_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[(`[^`\]]+`)\](?:\((?:super|crate|self)::[^)\s]*\))?")
        .expect("the pattern is valid")
});

/// Generated documentation as plain CommonMark, for readers other than rustdoc: links to
/// generated items become code spans; everything else, the spec's words included, is kept.
pub fn doc_text(doc: &str) -> String {
    DOC_LINK.replace_all(doc, "$1").into_owned()
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

/// Where a schema is written: the vendor (to look up enum values), the module references are
/// relative to, and the dialect.
struct Cx<'a> {
    vendor: &'a VendorIr,
    module: &'a str,
    dialect: Dialect,
}

impl Cx<'_> {
    fn reference(&self, p: &TypePath) -> Value {
        type_ref(
            p.module.as_deref().unwrap_or(self.module),
            &p.name,
            self.dialect,
        )
    }

    /// A literal as it travels on the wire: an enum variant as its value.
    fn wire_literal(&self, l: &Literal) -> Value {
        let Literal::Variant(p, variant) = l else {
            return literal(l);
        };
        let module = p.module.as_deref().unwrap_or(self.module);
        let found = self
            .vendor
            .modules
            .get(module)
            .and_then(|m| m.enums.iter().find(|e| e.name == p.name));
        match found.map(|e| &e.values) {
            Some(EnumValuesIr::Str(vs)) => vs
                .iter()
                .find(|v| &v.name == variant)
                .map_or(Value::Null, |v| json!(v.value)),
            Some(EnumValuesIr::Int(vs)) => vs
                .iter()
                .find(|v| &v.name == variant)
                .map_or(Value::Null, |v| json!(v.value)),
            None => Value::Null,
        }
    }

    fn struct_schema(&self, s: &StructIr) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        for f in &s.fields {
            props.insert(f.wire.clone(), self.field_schema(f));
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
        if self.dialect.annotated() {
            if let Value::Object(m) = &mut schema {
                describe(m, &s.doc);
                if let Some(r) = &s.item_result {
                    let wire = |rust: &str| {
                        s.fields
                            .iter()
                            .find(|f| f.rust == rust)
                            .map(|f| f.wire.clone())
                    };
                    m.insert(
                        "x-item-result".into(),
                        json!({ "code": wire(&r.code_field), "message": wire(&r.message_field) }),
                    );
                }
            }
        }
        schema
    }

    fn scalar(&self, prim: Prim, l: &Limits, non_empty: bool) -> Value {
        let mut m = Map::new();
        let ty = match prim {
            Prim::String => "string",
            Prim::Bool => "boolean",
            Prim::Int32 | Prim::Int64 => "integer",
            Prim::Number => "number",
        };
        m.insert("type".into(), json!(ty));
        if self.dialect.annotated() {
            let format = match prim {
                Prim::Int32 => Some("int32"),
                Prim::Int64 => Some("int64"),
                Prim::Number => Some("double"),
                Prim::String | Prim::Bool => None,
            };
            if let Some(format) = format {
                m.insert("format".into(), json!(format));
            }
        }
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
            if let (Some(n), true) = (l.truncated_beyond, self.dialect.annotated()) {
                m.insert("x-truncated-beyond".into(), json!(n));
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

    /// A file: in a JSON rendering of the request, its summary (name, length, media type); on
    /// the wire, the bytes of a `multipart/form-data` part.
    fn file(&self, l: &Limits) -> Value {
        if !self.dialect.annotated() {
            return json!({ "type": "object" });
        }
        let mut m = Map::new();
        m.insert("type".into(), json!("string"));
        let media = match l.media_types.as_slice() {
            [one] => one.as_str(),
            _ => "application/octet-stream",
        };
        m.insert("contentMediaType".into(), json!(media));
        if let Some(n) = l.max_bytes {
            m.insert("x-max-bytes".into(), json!(n));
        }
        if !l.extensions.is_empty() {
            m.insert("x-extensions".into(), json!(l.extensions));
        }
        if !l.media_types.is_empty() {
            m.insert("x-media-types".into(), json!(l.media_types));
        }
        Value::Object(m)
    }

    fn field_schema(&self, f: &FieldIr) -> Value {
        let schema = match &f.ty {
            TyIr::Prim(p) => self.scalar(*p, &f.limits, f.non_empty && !f.optional),
            TyIr::File => self.file(&f.limits),
            TyIr::Struct(p) | TyIr::Enum(p, _) => self.reference(p),
            TyIr::List(inner) => {
                let items = match inner.as_ref() {
                    TyIr::Prim(p) => self.scalar(*p, &f.limits, false),
                    TyIr::Struct(p) | TyIr::Enum(p, _) => self.reference(p),
                    TyIr::List(_) => json!({ "type": "array" }),
                    TyIr::File => self.file(&f.limits),
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
                if let (Some(n), true) = (f.limits.recommended_max_items, self.dialect.annotated())
                {
                    m.insert("x-recommended-max-items".into(), json!(n));
                }
                Value::Object(m)
            }
        };
        if !self.dialect.annotated() {
            return schema;
        }
        let Value::Object(mut m) = schema else {
            return schema;
        };
        describe(&mut m, &f.doc);
        if let Some(d) = &f.default {
            let v = self.wire_literal(d);
            if !v.is_null() {
                m.insert("default".into(), v);
            }
        }
        Value::Object(m)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    out.push(k);
                    keys(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn rustdoc_links_become_code_spans() {
        assert_eq!(
            doc_text("One of `1` (Student) ([`Identity`]); see [`Step`](super::common::Step)."),
            "One of `1` (Student) (`Identity`); see `Step`."
        );
        assert_eq!(
            doc_text("学段名 [1, 2] [x](https://a.b)"),
            "学段名 [1, 2] [x](https://a.b)"
        );
    }

    #[test]
    fn request_schemas_hold_only_what_decides_validity() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let schemas = request_schemas(&crate::ir_from_dir(&spec).expect("valid specs"));
        let schema = &schemas["classin.course.addCourseStudentMultiple"];
        let mut found = Vec::new();
        keys(schema, &mut found);
        for k in ["description", "default", "format", "x-truncated-beyond"] {
            assert!(!found.contains(&k), "{k} in {schema:#}");
        }
        assert_eq!(
            schema["$defs"]["add_course_student_multiple.Identity"],
            json!({ "enum": [1, 2] })
        );
        assert_eq!(
            schema["$defs"]["add_course_student_multiple.AddCourseStudentMultipleRequest"]
                ["properties"]["studentJson"]["items"]["$ref"],
            "#/$defs/add_course_student_multiple.StudentAccount"
        );
    }
}
