//! The synthetic specs are valid specs: written to a folder they pass every check and generate
//! one module per endpoint.

use std::path::PathBuf;

fn fresh_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn fifty_synthetic_endpoints_pass_every_check() {
    let dir = fresh_dir("synth-50").join("spec");
    let files = codegen::synth::write(50, &dir).expect("write the specs");
    assert_eq!(files, 52, "50 endpoints and one common.yaml per vendor");
    let diags = codegen::check_dir(&dir);
    assert!(diags.is_empty(), "{diags}");
    let out = codegen::generate_dir(&dir, codegen::Layout::Tree).expect("generate");
    let endpoints: usize = out.summary.vendors.values().map(|c| c.endpoints).sum();
    assert_eq!(endpoints, 50);
    assert_eq!(out.summary.vendors.len(), 2, "{}", out.summary);
    // Every family appears: oapi and TOP routes under dingtalk, ClassIn actions under classin.
    let all: String = out.files.values().cloned().collect();
    for route in ["Route::Path(", "Route::TopMethod(", "Route::Action {"] {
        assert!(all.contains(route), "no {route}");
    }
}

#[test]
fn in_memory_sources_match_the_files() {
    let sources = codegen::synth::sources(4);
    let out = codegen::generate_sources(sources, codegen::Layout::Tree).expect("generate");
    let dir = fresh_dir("synth-4").join("spec");
    codegen::synth::write(4, &dir).expect("write the specs");
    let from_dir = codegen::generate_dir(&dir, codegen::Layout::Tree).expect("generate");
    assert_eq!(out, from_dir);
}

/// Only the vendors named in `vendor_features` are gated, in both layouts, and nothing but the
/// root file changes.
#[test]
fn vendor_features_gate_only_the_named_vendors() {
    for layout in [codegen::Layout::Tree, codegen::Layout::OutDir] {
        let plain =
            codegen::generate_sources(codegen::synth::sources(4), layout).expect("generate");
        let options = codegen::Options {
            layout,
            vendor_features: ["classin".to_owned(), "unrelated".to_owned()].into(),
            ..codegen::Options::from(layout)
        };
        let gated =
            codegen::generate_sources(codegen::synth::sources(4), options).expect("generate");
        let lib = &gated.files["lib.rs"];
        assert!(
            lib.contains("#[cfg(feature = \"classin\")]\npub mod classin"),
            "{lib}"
        );
        assert!(!lib.contains("feature = \"dingtalk\""), "{lib}");
        assert!(!lib.contains("unrelated"), "{lib}");
        assert!(!plain.files["lib.rs"].contains("#[cfg("));
        for (file, text) in &plain.files {
            if file != "lib.rs" {
                assert_eq!(gated.files.get(file), Some(text), "{file}");
            }
        }
    }
}

/// The JSON-only set is valid and plain: every endpoint `dingtalk-oapi`, routed by path, under
/// one vendor.
#[test]
fn json_only_endpoints_pass_every_check_and_are_all_oapi() {
    let dir = fresh_dir("synth-json-12").join("spec");
    let mode = codegen::synth::Mode::JsonOnly;
    let files = codegen::synth::write_with(12, mode, &dir).expect("write the specs");
    assert_eq!(files, 13, "12 endpoints and dingtalk/common.yaml");
    let diags = codegen::check_dir(&dir);
    assert!(diags.is_empty(), "{diags}");
    let out = codegen::generate_dir(&dir, codegen::Layout::Tree).expect("generate");
    assert_eq!(out.summary.vendors.len(), 1, "{}", out.summary);
    assert_eq!(out.summary.vendors["dingtalk"].endpoints, 12);
    let all: String = out.files.values().cloned().collect();
    assert!(all.contains("Route::Path("));
    for other in ["Route::TopMethod(", "Route::Action {"] {
        assert!(!all.contains(other), "{other}");
    }
}

/// The names of the fields a schema or a spec object requires, sorted.
fn required_in_schema(schema: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = schema["required"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn required_in_spec(object: &serde_yaml::Value) -> Vec<String> {
    let mut names: Vec<String> = object["fields"]
        .as_mapping()
        .map(|fields| {
            fields
                .iter()
                .filter(|(_, f)| f["required"].as_bool() == Some(true))
                .filter_map(|(name, _)| name.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn field_names(object: &serde_yaml::Value) -> Vec<String> {
    let mut names: Vec<String> = object["fields"]
        .as_mapping()
        .map(|f| {
            f.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn property_names(schema: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The OpenAPI document describes the same API as the spec files: one POST operation per
/// endpoint, named after its client method, whose request and answer have the same fields and
/// required fields (the answer adds the envelope's `errcode` and `errmsg`), and every type of
/// the specs as a schema with the same fields and required fields, or the same enum values.
#[test]
fn the_openapi_document_has_one_operation_per_endpoint_with_the_same_required_fields() {
    let count = 30;
    let dir = fresh_dir("synth-openapi");
    let file = dir.join("api.yaml");
    codegen::synth::write_openapi(count, &file).expect("write the document");
    let text = std::fs::read_to_string(&file).expect("read the document");
    let doc: serde_json::Value = serde_yaml::from_str(&text).expect("the document is YAML");
    let json_file = dir.join("api.json");
    codegen::synth::write_openapi(count, &json_file).expect("write the document");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).expect("read the document"))
            .expect("the document is JSON");
    assert_eq!(doc, json, "the YAML and JSON forms hold the same document");
    assert_eq!(doc["openapi"], "3.0.3");

    let schemas = doc["components"]["schemas"]
        .as_object()
        .expect("components/schemas");
    let schema = |reference: &serde_json::Value| {
        let name = reference["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("not a schema reference: {reference}"));
        schemas
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"))
    };
    let paths = doc["paths"].as_object().expect("paths");
    let specs = codegen::synth::specs_with(count, codegen::synth::Mode::JsonOnly);
    let mut endpoints = 0;
    let mut types = 0;
    for (path, text) in &specs {
        let spec: serde_yaml::Value = serde_yaml::from_str(text).expect("a spec is YAML");
        if let Some(defs) = spec["types"].as_mapping() {
            for (name, def) in defs {
                let name = name.as_str().expect("a type name");
                let s = &schemas[name];
                types += 1;
                if let Some(values) = def["enum"].as_sequence() {
                    let wire: Vec<serde_json::Value> = values
                        .iter()
                        .map(|v| serde_json::to_value(&v["value"]).expect("a value"))
                        .collect();
                    assert_eq!(s["enum"], serde_json::Value::Array(wire), "{name}");
                } else {
                    assert_eq!(property_names(s), field_names(def), "{name}");
                    assert_eq!(required_in_schema(s), required_in_spec(def), "{name}");
                }
            }
        }
        if path.ends_with("/common.yaml") {
            continue;
        }
        endpoints += 1;
        let module = path
            .trim_start_matches("dingtalk/")
            .trim_end_matches(".yaml");
        let route = spec["http"]["path"].as_str().expect("an oapi path");
        let ops = paths[route].as_object().expect("the endpoint's path");
        assert_eq!(ops.keys().collect::<Vec<_>>(), ["post"], "{route}");
        let op = &ops["post"];
        assert_eq!(op["operationId"], module, "{route}");
        assert_eq!(op["summary"], spec["title"].as_str().expect("a title"));

        let body = &op["requestBody"]["content"]["application/json"]["schema"];
        let request = schema(body);
        assert_eq!(
            property_names(request),
            field_names(&spec["request"]),
            "{route}"
        );
        assert_eq!(
            required_in_schema(request),
            required_in_spec(&spec["request"]),
            "{route}"
        );

        let answer = schema(&op["responses"]["200"]["content"]["application/json"]["schema"]);
        let mut expected = field_names(&spec["response"]);
        expected.extend(["errcode".to_owned(), "errmsg".to_owned()]);
        expected.sort();
        assert_eq!(property_names(answer), expected, "{route}");
        let mut required = required_in_spec(&spec["response"]);
        required.push("errcode".to_owned());
        required.sort();
        assert_eq!(required_in_schema(answer), required, "{route}");
    }
    assert_eq!(endpoints, count);
    assert_eq!(paths.len(), count, "one path per endpoint");
    assert_eq!(
        schemas.len(),
        types + 2 * count,
        "every type, and a request and an answer per endpoint"
    );
}
