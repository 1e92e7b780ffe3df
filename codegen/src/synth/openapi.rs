//! The JSON-only synthetic API as one OpenAPI 3.0 document, for comparing with generators that
//! read OpenAPI (progenitor reads 3.0, not the 3.1 of [`crate::openapi`]).
//!
//! The document is written from the spec files themselves, read back into the plain
//! [`model`](crate::model), so the two descriptions cannot drift apart: each endpoint is one
//! `POST` operation named after its client method, with its request as an `application/json`
//! body and its answer (`errcode`, `errmsg` and the payload's fields beside them, as DingTalk
//! oapi answers) as the `200` response. Every object and enum type is under
//! `components/schemas` with the same fields, types, required flags and limits: string lengths
//! (`length` as equal `minLength` and `maxLength`), anchored patterns, numeric ranges, list sizes
//! and per-item limits; advisory limits are `x-` keywords. Rules between fields have no
//! OpenAPI 3.0 keyword and are left out, as are error codes and the access token (a client
//! concern, not part of any operation's parameters here).

use std::path::Path;

use serde_json::{json, Map, Value};

use super::{specs_with, Mode};
use crate::model::{EnumValue, Field, Object, SpecFile, TypeDef};
use crate::naming;
use crate::typeexpr::{Prim, TypeExpr};

/// The OpenAPI version the document follows.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// `count` endpoints of [`Mode::JsonOnly`] as one OpenAPI 3.0 document: the same API
/// [`specs_with`] writes as spec files. Schema names are the spec's type names (`PageInfo`,
/// `<Name>Request`, `<Name>Response`, `<Name>Detail`), unique across the set.
///
/// Fails only if a synthetic spec does not read back into the spec model, which would be a
/// defect of this module.
pub fn openapi(count: usize) -> Result<Value, serde_yaml::Error> {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for (path, text) in specs_with(count, Mode::JsonOnly) {
        let spec: SpecFile = serde_yaml::from_str(&text)?;
        for (name, def) in spec.types.iter() {
            schemas.insert(name.clone(), type_def(def));
        }
        let (Some(base), Some(request)) = (&spec.name, &spec.request) else {
            continue; // `common.yaml`: shared types only
        };
        let module = path
            .rsplit_once('/')
            .map_or(path.as_str(), |(_, file)| file)
            .trim_end_matches(".yaml");
        let request_name = format!("{base}Request");
        let response_name = format!("{base}Response");
        schemas.insert(request_name.clone(), object(request));
        let mut response = spec
            .response
            .as_ref()
            .map_or_else(|| json!({ "type": "object" }), object);
        envelope(&mut response);
        schemas.insert(response_name.clone(), response);

        let route = spec
            .http
            .as_ref()
            .and_then(|h| h.path.clone())
            .unwrap_or_else(|| format!("/{module}"));
        let mut op = Map::new();
        op.insert("operationId".into(), json!(naming::method_name(module)));
        if let Some(title) = &spec.title {
            op.insert("summary".into(), json!(title));
        }
        if let Some(description) = &spec.description {
            op.insert("description".into(), json!(description));
        }
        op.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "application/json": { "schema": schema_ref(&request_name) } },
            }),
        );
        op.insert(
            "responses".into(),
            json!({
                "200": {
                    "description": "The answer: `errcode` 0 and the payload, or the error.",
                    "content": { "application/json": { "schema": schema_ref(&response_name) } },
                },
            }),
        );
        paths.insert(route, json!({ "post": op }));
    }
    Ok(json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": format!("Synthetic API: {count} plain JSON endpoints"),
            "version": "1.0.0",
        },
        "servers": [{ "url": crate::openapi::OAPI_SERVER }],
        "paths": paths,
        "components": { "schemas": schemas },
    }))
}

/// Writes [`openapi()`] to `file`, creating its folder: YAML when the name ends in `.yaml` or
/// `.yml`, pretty-printed JSON otherwise.
pub fn write_openapi(count: usize, file: &Path) -> std::io::Result<()> {
    let document = openapi(count).map_err(std::io::Error::other)?;
    let yaml = matches!(
        file.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let text = if yaml {
        serde_yaml::to_string(&document).map_err(std::io::Error::other)?
    } else {
        serde_json::to_string_pretty(&document)? + "\n"
    };
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, text)
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The oapi envelope's fields beside the payload's: `errcode` is always there.
fn envelope(schema: &mut Value) {
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.insert(
            "errcode".into(),
            json!({
                "type": "integer",
                "format": "int64",
                "description": "0 on success; otherwise the error code.",
            }),
        );
        properties.insert(
            "errmsg".into(),
            json!({ "type": "string", "description": "What went wrong, when `errcode` is not 0." }),
        );
    }
    let required = schema
        .as_object_mut()
        .map(|o| o.entry("required").or_insert_with(|| json!([])));
    if let Some(Value::Array(required)) = required {
        required.insert(0, json!("errcode"));
    }
}

fn type_def(def: &TypeDef) -> Value {
    if let Some(values) = &def.values {
        return enum_schema(def.description.as_deref(), values);
    }
    let mut schema = fields_schema(
        def.description.as_deref(),
        def.fields.iter().flat_map(|f| f.iter()),
    );
    if let Some(r) = &def.item_result {
        schema["x-item-result"] = json!({ "code": r.code, "message": r.message });
    }
    schema
}

fn object(o: &Object) -> Value {
    fields_schema(o.description.as_deref(), o.fields.iter())
}

fn fields_schema<'a>(
    description: Option<&str>,
    fields: impl Iterator<Item = (&'a String, &'a Field)>,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, f) in fields {
        if f.required {
            required.push(json!(name));
        }
        properties.insert(name.clone(), field(f));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    if let Some(d) = description {
        schema.insert("description".into(), json!(d));
    }
    schema.insert("properties".into(), Value::Object(properties));
    // OpenAPI 3.0 wants `required` absent rather than empty.
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    Value::Object(schema)
}

fn enum_schema(description: Option<&str>, values: &[EnumValue]) -> Value {
    let wire: Vec<Value> = values.iter().map(|v| yaml_to_json(&v.value)).collect();
    let integer = wire.iter().all(Value::is_i64);
    let mut schema = Map::new();
    if integer {
        schema.insert("type".into(), json!("integer"));
        schema.insert("format".into(), json!("int32"));
    } else {
        schema.insert("type".into(), json!("string"));
    }
    if let Some(d) = description {
        schema.insert("description".into(), json!(d));
    }
    schema.insert("enum".into(), Value::Array(wire));
    Value::Object(schema)
}

/// A field: a reference for a named type (OpenAPI 3.0 ignores whatever sits beside `$ref`), a
/// list with its sizes around its item's schema, or a scalar with its limits.
fn field(f: &Field) -> Value {
    let mut schema = match &f.ty {
        TypeExpr::Named(name) => return schema_ref(&name.name),
        TypeExpr::List(item) => {
            let mut list = Map::new();
            list.insert("type".into(), json!("array"));
            list.insert("items".into(), item_schema(item, f));
            if let Some(n) = f.min_items {
                list.insert("minItems".into(), json!(n));
            }
            if let Some(n) = f.max_items {
                list.insert("maxItems".into(), json!(n));
            }
            if let Some(n) = f.recommended_max_items {
                list.insert("x-recommended-max-items".into(), json!(n));
            }
            list
        }
        TypeExpr::Prim(p) => scalar(*p, f),
        // No synthetic endpoint sends a file; a JSON body could not carry one anyway.
        TypeExpr::File => Map::new(),
    };
    if let Some(d) = &f.description {
        schema.insert("description".into(), json!(d));
    }
    if let Some(v) = &f.default {
        schema.insert("default".into(), yaml_to_json(v));
    }
    if let Some(v) = &f.example {
        schema.insert("example".into(), yaml_to_json(v));
    }
    Value::Object(schema)
}

/// A list's item: the field's per-item limits apply to it.
fn item_schema(item: &TypeExpr, f: &Field) -> Value {
    match item {
        TypeExpr::Named(name) => schema_ref(&name.name),
        TypeExpr::Prim(p) => Value::Object(scalar(*p, f)),
        TypeExpr::List(inner) => json!({ "type": "array", "items": item_schema(inner, f) }),
        TypeExpr::File => json!({}),
    }
}

/// A scalar with the field's value limits.
fn scalar(p: Prim, f: &Field) -> Map<String, Value> {
    let mut s = Map::new();
    let (ty, format) = match p {
        Prim::String => ("string", None),
        Prim::Bool => ("boolean", None),
        Prim::Int32 => ("integer", Some("int32")),
        Prim::Int64 => ("integer", Some("int64")),
        Prim::Number => ("number", Some("double")),
    };
    s.insert("type".into(), json!(ty));
    if let Some(format) = format {
        s.insert("format".into(), json!(format));
    }
    if p == Prim::String {
        let min = f.length.or(f.min_length);
        let max = f.length.or(f.max_length);
        if let Some(n) = min {
            s.insert("minLength".into(), json!(n));
        }
        if let Some(n) = max {
            s.insert("maxLength".into(), json!(n));
        }
        if let Some(p) = &f.pattern {
            s.insert("pattern".into(), json!(format!("^(?:{p})$")));
        }
        if let Some(n) = f.truncated_beyond {
            s.insert("x-truncated-beyond".into(), json!(n));
        }
    }
    if p.is_numeric() {
        for (key, bound) in [("minimum", f.min), ("maximum", f.max)] {
            if let Some(b) = bound {
                s.insert(key.into(), number(p, b));
            }
        }
    }
    s
}

/// A bound as the type's JSON number: integers without a fraction.
fn number(p: Prim, b: f64) -> Value {
    // Integer bounds in the specs are whole numbers well inside i64.
    if p.is_integer() && b.fract() == 0.0 && b.abs() < 9.0e15 {
        json!(b as i64)
    } else {
        json!(b)
    }
}

fn yaml_to_json(v: &serde_yaml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
