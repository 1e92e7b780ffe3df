//! Property test: on random requests `validate()` never panics, and its verdict (any error or
//! none) agrees with JSON Schema written from the same specs, run by the `jsonschema` crate on
//! the serialized request.

mod request_strategies;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use client_runtime::Validate;
use proptest::prelude::*;
use request_strategies::{classin_request, ext_request, period_request, pool_request};
use serde::Serialize;

/// The compiled schema of each endpoint's request, by API name, built once.
static SCHEMAS: LazyLock<BTreeMap<String, jsonschema::Validator>> = LazyLock::new(|| {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let ir = codegen::ir_from_dir(&spec).expect("specs are valid");
    codegen::schema::request_schemas(&ir)
        .into_iter()
        .map(|(api, schema)| {
            (
                api,
                jsonschema::validator_for(&schema).expect("the schema compiles"),
            )
        })
        .collect()
});

fn schema_for(api: &str) -> &'static jsonschema::Validator {
    &SCHEMAS[api]
}

fn agrees<T: Validate + Serialize>(
    schema: &jsonschema::Validator,
    request: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_value(request).expect("requests serialize");
    let ours = request.validate().is_ok();
    let theirs = schema.is_valid(&json);
    prop_assert_eq!(
        ours,
        theirs,
        "validate() ok = {}, schema valid = {}, request {}",
        ours,
        theirs,
        json
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn classin_agrees_with_json_schema(r in classin_request()) {
        agrees(schema_for("classin.course.addCourseStudentMultiple"), &r)?;
    }

    #[test]
    fn studentpool_agrees_with_json_schema(r in pool_request()) {
        agrees(schema_for("dingtalk.oapi.industry.studentpool.batchadd"), &r)?;
    }

    #[test]
    fn period_agrees_with_json_schema(r in period_request()) {
        agrees(schema_for("dingtalk.oapi.edu.period.create"), &r)?;
    }

    #[test]
    fn extcontact_agrees_with_json_schema(r in ext_request()) {
        agrees(schema_for("dingtalk.corp.extcontact.update"), &r)?;
    }
}
