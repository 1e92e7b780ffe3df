//! Property test: on random requests `validate()` never panics, and its verdict (any error or
//! none) agrees with JSON Schema written from the same specs, run by the `jsonschema` crate on
//! the serialized request.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use client_runtime::Validate;
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use proptest::prelude::*;
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

/// Text around the interesting lengths, mixing ASCII and CJK so bytes and characters differ.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![Just('a'), Just('丁'), Just('1')], 0..=max)
        .prop_map(|v| v.into_iter().collect())
}

fn account() -> impl Strategy<Value = classin::StudentAccount> {
    (
        text(2),
        prop::option::of(text(26)),
        prop::option::of(text(52)),
    )
        .prop_map(|(uid, name, custom)| {
            let mut a = classin::StudentAccount::new(uid);
            a.name = name;
            a.custom_column = custom;
            a
        })
}

fn classin_request() -> impl Strategy<Value = classin::AddCourseStudentMultipleRequest> {
    (
        any::<i64>(),
        prop_oneof![Just(1i64), Just(2), Just(3)],
        prop::collection::vec(account(), 0..34),
    )
        .prop_map(|(course, identity, accounts)| {
            let mut r = classin::AddCourseStudentMultipleRequest::new(course, accounts);
            r.identity = classin::Identity::from_wire(identity);
            r
        })
}

fn pool_request() -> impl Strategy<Value = pool::IndustryStudentpoolBatchaddRequest> {
    let patriarch =
        (prop::option::of(text(3)), prop::option::of(text(3))).prop_map(|(name, mobile)| {
            let mut p = pool::PatriarchDto::new();
            p.name = name;
            p.mobile = mobile;
            p
        });
    let student = (
        prop::option::of(text(3)),
        prop::option::of(prop::collection::vec(patriarch, 0..4)),
    )
        .prop_map(|(name, patriarchs)| {
            let mut s = pool::TrainingStudentDto::new();
            s.name = name;
            s.patriarchs = patriarchs;
            s
        });
    (
        text(2),
        prop::option::of(prop::collection::vec(student, 0..23)),
    )
        .prop_map(|(biz, list)| {
            let mut r = pool::IndustryStudentpoolBatchaddRequest::new(biz);
            r.student_list = list;
            r
        })
}

fn period_request() -> impl Strategy<Value = period::EduPeriodCreateRequest> {
    let grade = (text(2), -3i64..3, text(2), text(2))
        .prop_map(|(g, classes, name, year)| period::Grades::new(g, classes, name, year));
    (
        text(2),
        prop_oneof![Just("小学"), Just("大学")],
        prop_oneof![Just("high_school"), Just("college")],
        prop_oneof![Just("number"), Just("text"), Just("roman")],
        prop::collection::vec(grade, 0..3),
    )
        .prop_map(|(operator, step, code, mode, grades)| {
            let mut open = period::OpenPeriod::new(
                period::Step::from_wire(step),
                grades,
                period::PeriodCode::from_wire(code),
            );
            open.name_mode = period::NameMode::from_wire(mode);
            period::EduPeriodCreateRequest::new(1233, operator, open)
        })
}

fn ext_request() -> impl Strategy<Value = ext::CorpExtcontactUpdateRequest> {
    (
        prop::collection::vec(any::<i64>(), 0..3),
        text(2),
        text(2),
        text(2),
        prop::option::of(text(3)),
    )
        .prop_map(|(labels, follower, name, user, title)| {
            let mut c = ext::OpenExtContact::new(labels, follower, name, user);
            c.title = title;
            ext::CorpExtcontactUpdateRequest::new(c)
        })
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
