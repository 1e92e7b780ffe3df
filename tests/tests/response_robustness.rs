//! Response decoding never panics: arbitrary bytes and arbitrary JSON (including the shapes
//! vendors really send: wrapped lists, numbers as strings, unknown enum values) either decode into
//! the generated response types or are refused with an error.

use client_runtime::ItemResult;
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn decode_all(body: &[u8]) {
    let _ = serde_json::from_slice::<period::EduPeriodCreateResponse>(body);
    let _ = serde_json::from_slice::<pool::IndustryStudentpoolBatchaddResponse>(body);
    let _ = serde_json::from_slice::<ext::CorpExtcontactUpdateResponse>(body);
    if let Ok(r) = serde_json::from_slice::<classin::AddCourseStudentMultipleResponse>(body) {
        for item in r.data.unwrap_or_default() {
            let _ = item.outcome();
        }
    }
}

/// JSON values biased towards the keys and shapes of the four responses.
fn value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("result".to_owned()),
        Just("data".to_owned()),
        Just("errno".to_owned()),
        Just("error".to_owned()),
        Just("customColumn".to_owned()),
        Just("deptId".to_owned()),
        Just("grades".to_owned()),
        Just("grade".to_owned()),
        Just("string".to_owned()),
        Just("success".to_owned()),
        Just("ding_open_errcode".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[0-9]{0,25}".prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(v in value()) {
        decode_all(&serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn classin_items_in_any_shape_never_panic(items in prop::collection::vec(value(), 0..8)) {
        let body = json!({"data": items, "error_info": {"errno": 1, "error": ""}});
        decode_all(&serde_json::to_vec(&body).unwrap());
        let wrapped = json!({"data": {"item": body["data"].clone()}});
        decode_all(&serde_json::to_vec(&wrapped).unwrap());
    }
}

/// The decoders can fail: a proptest that only ever saw errors would prove nothing.
#[test]
fn the_generators_reach_successful_decodes() {
    let body = br#"{"data":[{"errno":"841","error":"x","customColumn":7}]}"#;
    let r: classin::AddCourseStudentMultipleResponse = serde_json::from_slice(body).unwrap();
    assert_eq!(r.data.unwrap()[0].raw_code(), 841);
    assert!(
        serde_json::from_slice::<classin::AddCourseStudentMultipleResponse>(
            br#"{"data":[{"errno":[]}]}"#
        )
        .is_err()
    );
}
