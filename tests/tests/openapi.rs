//! The OpenAPI 3.1 export of the project's specs: every document reads with `oas3` (an OpenAPI
//! 3.1 reader) and passes the OpenAPI 3.1 schema (the OpenAPI Initiative's `2022-10-07`
//! release, shipped in `openapi/`); its servers are the runtime's defaults; its answer schemas
//! take the vendors' envelopes; the spec files the READMEs show export valid documents too;
//! and on random requests built from the generated types, the request-body schema of each
//! operation, run by the `jsonschema` crate, agrees with `validate()`: valid exactly when
//! `validate()` finds no error.

mod request_strategies;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use client_runtime::Validate;
use codegen::openapi;
use proptest::prelude::*;
use request_strategies::{classin_request, ext_request, period_request, pool_request};
use serde::Serialize;
use serde_json::{json, Value};

static IR: LazyLock<codegen::ir::Ir> = LazyLock::new(|| {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    codegen::ir_from_dir(&spec).expect("specs are valid")
});

/// The exported documents, by vendor.
static DOCS: LazyLock<BTreeMap<String, Value>> = LazyLock::new(|| openapi::documents(&IR));

/// ClassIn's credential fields as a client sends them.
fn classin_credentials() -> Value {
    json!({
        "SID": "1234567",
        "safeKey": "0123456789abcdef0123456789abcdef",
        "timeStamp": 1_700_000_000,
    })
}

/// The path key, method and operation with `operation_id` in `doc`.
fn find_operation<'a>(doc: &'a Value, operation_id: &str) -> (&'a str, &'a str, &'a Value) {
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if op["operationId"] == operation_id {
                return (path, method, op);
            }
        }
    }
    panic!("no operation {operation_id}");
}

/// A JSON pointer token.
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A validator for the schema at `pointer` in `doc`, with the document as the root every
/// `$ref` resolves against.
fn validator_at(doc: &Value, pointer: &str) -> jsonschema::Validator {
    let mut root = doc.clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(format!("#{pointer}"));
    jsonschema::validator_for(&root).expect("the schema compiles")
}

/// The request body's schema of an operation, with its only media type.
fn request_validator(vendor: &str, operation_id: &str) -> jsonschema::Validator {
    let doc = &DOCS[vendor];
    let (path, method, op) = find_operation(doc, operation_id);
    let content = op["requestBody"]["content"].as_object().expect("a body");
    assert_eq!(content.len(), 1, "one media type for {operation_id}");
    let media = content.keys().next().expect("a media type");
    validator_at(
        doc,
        &format!(
            "/paths/{}/{method}/requestBody/content/{}/schema",
            token(path),
            token(media)
        ),
    )
}

/// The `200` answer's schema of an operation.
fn response_validator(vendor: &str, operation_id: &str) -> jsonschema::Validator {
    let doc = &DOCS[vendor];
    let (path, method, _) = find_operation(doc, operation_id);
    validator_at(
        doc,
        &format!(
            "/paths/{}/{method}/responses/200/content/application~1json/schema",
            token(path)
        ),
    )
}

static CLASSIN: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| request_validator("classin", "add_course_student_multiple"));
static POOL: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| request_validator("dingtalk", "industry_studentpool_batchadd"));
static PERIOD: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| request_validator("dingtalk", "edu_period_create"));
static EXT: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| request_validator("dingtalk", "corp_extcontact_update"));

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The object schema `schema` is or refers to.
fn object(schema: &oas3::spec::Schema, spec: &oas3::Spec) -> oas3::spec::ObjectSchema {
    match schema.resolve(spec).expect("the schema resolves") {
        oas3::spec::Schema::Object(o) => match *o {
            oas3::spec::ObjectOrReference::Object(s) => s,
            oas3::spec::ObjectOrReference::Ref { ref_path, .. } => {
                panic!("{ref_path} is left unresolved")
            }
        },
        oas3::spec::Schema::Boolean(_) => panic!("a boolean schema"),
    }
}

/// Reads `doc` with `oas3` and checks it whole: one operation per endpoint of `vendor`, each
/// with a summary, a description, its family's parameters, a body when it is a `POST` and an
/// answer; every component resolves and every reference names one.
fn read_checked(vendor: &codegen::ir::VendorIr, doc: &Value) -> oas3::Spec {
    let name = &vendor.name;
    let spec = oas3::from_json(doc.to_string())
        .unwrap_or_else(|e| panic!("{name}: not an OpenAPI 3.1 document: {e}"));
    spec.validate_version()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut ids: Vec<String> = spec
        .operations()
        .map(|(_, _, op)| op.operation_id.clone().expect("an operationId"))
        .collect();
    ids.sort();
    let mut expected: Vec<String> = vendor
        .modules
        .values()
        .filter_map(|m| m.endpoint.as_ref().map(|e| e.method_name.clone()))
        .collect();
    expected.sort();
    assert_eq!(ids, expected, "{name}");
    for (path, method, op) in spec.operations() {
        let at = format!("{name} {method} {path}");
        assert!(op.summary.as_deref().is_some_and(|s| !s.is_empty()), "{at}");
        assert!(
            op.description.as_deref().is_some_and(|s| !s.is_empty()),
            "{at}"
        );
        let parameters = op.parameters(&spec).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert!(!parameters.is_empty(), "{at}: the family's parameters");
        let body = op
            .request_body(&spec)
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(
            body.is_some(),
            method == "POST",
            "{at}: a body exactly for POST"
        );
        for (media, content) in body.iter().flat_map(|b| &b.content) {
            assert!(content.schema.is_some(), "{at} {media}: a schema");
        }
        let responses = op.responses(&spec);
        let ok = responses.get("200").unwrap_or_else(|| panic!("{at}: 200"));
        assert!(ok.content.contains_key("application/json"), "{at}");
    }
    let components = spec.components.as_ref().expect("components");
    for (component, schema) in &components.schemas {
        schema
            .resolve(&spec)
            .unwrap_or_else(|e| panic!("{name}: {component}: {e}"));
    }
    let mut found = Vec::new();
    refs(doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let component = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{name}: {r} is not a component"));
        assert!(
            components.schemas.contains_key(component),
            "{name}: {r} is missing"
        );
    }
    spec
}

/// The OpenAPI 3.1 schema, compiled once.
static META: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let meta: Value = serde_json::from_str(include_str!("openapi/oas-3.1-schema-2022-10-07.json"))
        .expect("the OpenAPI 3.1 schema is JSON");
    jsonschema::validator_for(&meta).expect("the OpenAPI 3.1 schema compiles")
});

/// What the OpenAPI 3.1 schema finds wrong with `doc`.
fn meta_errors(doc: &Value) -> Vec<String> {
    META.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_document_reads_as_openapi_3_1_with_one_operation_per_endpoint() {
    assert_eq!(DOCS.keys().collect::<Vec<_>>(), ["classin", "dingtalk"]);
    for (vendor, doc) in DOCS.iter() {
        read_checked(&IR.vendors[vendor], doc);
    }
    // The typed reading keeps the limits: a sample.
    let spec = read_checked(&IR.vendors["classin"], &DOCS["classin"]);
    let schemas = &spec.components.as_ref().expect("components").schemas;
    let account = object(
        &schemas["add_course_student_multiple.StudentAccount"],
        &spec,
    );
    let name = object(&account.properties["name"], &spec);
    assert_eq!(name.min_length, Some(1));
    assert!(name
        .description
        .as_deref()
        .is_some_and(|d| d.contains("超过24字会自动截取为24字")));
    assert_eq!(name.extensions.get("truncated-beyond"), Some(&json!(24)));
}

#[test]
fn every_document_passes_the_openapi_3_1_schema() {
    for (vendor, doc) in DOCS.iter() {
        let errors = meta_errors(doc);
        assert!(errors.is_empty(), "{vendor}: {errors:#?}");
        // The schema does catch a broken document.
        let mut broken = doc.clone();
        broken["paths"]["router/rest"] = json!({});
        assert!(
            !META.is_valid(&broken),
            "{vendor}: a path without a leading /"
        );
        let mut broken = doc.clone();
        broken["info"]
            .as_object_mut()
            .expect("info")
            .remove("version");
        assert!(!META.is_valid(&broken), "{vendor}: info without a version");
    }
}

/// The spec files README.md and spec/README.md show (each YAML block names its file on its
/// first line, `# spec/<vendor>/<module>.yaml`), written into a folder of their own.
fn readme_specs() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi-readme-specs");
    let _ = std::fs::remove_dir_all(&dir);
    let write = |block: &str| {
        let rel = block
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# spec/"))
            .expect("a YAML example names its file")
            .trim();
        let file = dir.join(rel);
        std::fs::create_dir_all(file.parent().expect("a vendor folder")).expect("writable");
        std::fs::write(&file, block).expect("writable");
    };
    for doc in ["README.md", "spec/README.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("readable");
        let mut block: Option<String> = None;
        for line in text.lines() {
            let fence = line.trim_start();
            match &mut block {
                None if fence == "```yaml" => block = Some(String::new()),
                None => {}
                Some(b) if fence.starts_with("```") => {
                    write(b);
                    block = None;
                }
                Some(b) => {
                    b.push_str(line);
                    b.push('\n');
                }
            }
        }
    }
    dir
}

#[test]
fn the_readme_examples_export_valid_documents() {
    let ir = codegen::ir_from_dir(&readme_specs()).expect("the README examples are valid");
    let docs = openapi::documents(&ir);
    assert_eq!(docs.keys().collect::<Vec<_>>(), ["classin", "dingtalk"]);
    for (vendor, doc) in &docs {
        read_checked(&ir.vendors[vendor], doc);
        let errors = meta_errors(doc);
        assert!(errors.is_empty(), "{vendor}: {errors:#?}");
        // Every request-body schema compiles.
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("a path item") {
                for media in op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                {
                    validator_at(
                        doc,
                        &format!(
                            "/paths/{}/{method}/requestBody/content/{}/schema",
                            token(path),
                            token(media.0)
                        ),
                    );
                }
            }
        }
    }
    // A shared type is one component, referred to across modules.
    let period_list = &docs["dingtalk"]["components"]["schemas"]["edu_period_list.Period"];
    assert_eq!(
        period_list["properties"]["step"]["$ref"],
        "#/components/schemas/common.Step"
    );
    // A request with a file is multipart, its groups hold on the form's fields.
    let doc = &docs["classin"];
    let (path, method, op) = find_operation(doc, "user_register");
    assert!(op["requestBody"]["content"]["multipart/form-data"].is_object());
    let register = validator_at(
        doc,
        &format!(
            "/paths/{}/{method}/requestBody/content/multipart~1form-data/schema",
            token(path)
        ),
    );
    let body = |fields: Value| {
        let mut body = classin_credentials();
        body.as_object_mut()
            .expect("an object")
            .extend(fields.as_object().expect("an object").clone());
        body
    };
    assert!(register.is_valid(&body(
        json!({"telephone": "13800000000", "password": "secret1"})
    )));
    assert!(
        !register.is_valid(&body(json!({"password": "secret1"}))),
        "telephone or email"
    );
    assert!(
        !register.is_valid(&body(json!({
            "email": "a@b.c",
            "password": "secret1",
            "md5pass": "0123456789abcdef0123456789abcdef",
        }))),
        "password or md5pass, not both"
    );
    assert!(
        !register.is_valid(&body(
            json!({"telephone": "23800000000", "password": "secret1"})
        )),
        "the telephone's pattern"
    );
}

#[test]
fn servers_are_the_runtime_defaults() {
    assert_eq!(
        openapi::OAPI_SERVER,
        client_runtime::dingtalk::DEFAULT_OAPI_BASE_URL
    );
    assert_eq!(
        openapi::TOP_SERVER,
        client_runtime::dingtalk::DEFAULT_TOP_BASE_URL
    );
    assert_eq!(openapi::TOP_ROUTER_PATH, client_runtime::top::ROUTER_PATH);
    assert_eq!(
        openapi::CLASSIN_SERVER,
        client_runtime::classin::DEFAULT_BASE_URL
    );
}

#[test]
fn answer_schemas_take_each_family_s_envelope() {
    let cases: [(&str, &str, Value, bool); 14] = [
        (
            "dingtalk",
            "edu_period_create",
            json!({"errcode": 0, "errmsg": "ok", "result": {"deptId": 415999017, "grades": []}, "success": true, "request_id": "r1"}),
            true,
        ),
        (
            "dingtalk",
            "edu_period_create",
            json!({"errcode": 40035, "errmsg": "参数错误"}),
            true,
        ),
        (
            "dingtalk",
            "edu_period_create",
            json!({"errmsg": "no errcode", "success": true}),
            false,
        ),
        (
            "dingtalk",
            "edu_period_create",
            json!({"errcode": 0, "result": "not an object"}),
            false,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"dingtalk_corp_extcontact_update_response": {"result": {"ding_open_errcode": 0, "error_msg": "成功", "success": true}, "request_id": "r2"}}),
            true,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"error_response": {"code": 50, "msg": "Remote service error", "sub_code": "isv.invalid-parameter", "sub_msg": "非法参数"}}),
            true,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"other_method_response": {"result": {}}}),
            false,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"errcode": 88, "errmsg": "鉴权异常"}),
            true,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"errcode": 0, "errmsg": "ok"}),
            false,
        ),
        (
            "dingtalk",
            "corp_extcontact_update",
            json!({"dingtalk_corp_extcontact_update_response": {"result": {"success": "yes"}}}),
            false,
        ),
        (
            "classin",
            "add_course_student_multiple",
            json!({"error_info": {"errno": 1, "error": "程序正常执行"}, "data": [{"errno": 1, "error": "程序正常执行", "customColumn": "123"}]}),
            true,
        ),
        (
            "classin",
            "add_course_student_multiple",
            json!({"error_info": {"errno": "102", "error": "无权限"}}),
            true,
        ),
        (
            "classin",
            "add_course_student_multiple",
            json!({"data": []}),
            false,
        ),
        (
            "classin",
            "add_course_student_multiple",
            json!({"error_info": {"errno": 1}, "data": [{"error": "no errno"}]}),
            false,
        ),
    ];
    for (vendor, id, body, valid) in cases {
        assert_eq!(
            response_validator(vendor, id).is_valid(&body),
            valid,
            "{id}: {body}"
        );
    }
}

/// Whether `validate()` and the operation's request-body schema agree on `request`, sent as
/// `body` (its JSON, plus whatever the family adds to the body).
fn agrees<T: Validate + Serialize>(
    schema: &jsonschema::Validator,
    request: &T,
    added: Option<Value>,
) -> Result<(), TestCaseError> {
    let mut body = serde_json::to_value(request).expect("requests serialize");
    if let (Some(Value::Object(added)), Value::Object(fields)) = (added, &mut body) {
        fields.extend(added);
    }
    let ours = request.validate().is_ok();
    let theirs = schema.is_valid(&body);
    prop_assert_eq!(
        ours,
        theirs,
        "validate() ok = {}, OpenAPI schema valid = {}, body {}",
        ours,
        theirs,
        body
    );
    Ok(())
}

#[test]
fn a_classin_body_needs_its_credentials() {
    use generated_client::classin::add_course_student_multiple::{
        AddCourseStudentMultipleRequest, StudentAccount,
    };
    let request = AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(vec![StudentAccount::new("1001001".into())])
        .build();
    assert!(request.validate().is_ok());
    let body = serde_json::to_value(&request).expect("serializes");
    assert!(!CLASSIN.is_valid(&body));
    let mut with = body;
    with.as_object_mut().expect("an object").extend(
        classin_credentials()
            .as_object()
            .expect("an object")
            .clone(),
    );
    assert!(CLASSIN.is_valid(&with));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn classin_agrees_with_the_openapi_schema(r in classin_request()) {
        agrees(&CLASSIN, &r, Some(classin_credentials()))?;
    }

    #[test]
    fn studentpool_agrees_with_the_openapi_schema(r in pool_request()) {
        agrees(&POOL, &r, None)?;
    }

    #[test]
    fn period_agrees_with_the_openapi_schema(r in period_request()) {
        agrees(&PERIOD, &r, None)?;
    }

    #[test]
    fn extcontact_agrees_with_the_openapi_schema(r in ext_request()) {
        agrees(&EXT, &r, None)?;
    }
}
