//! The vendor pages' example responses decode into the generated response types.

use client_runtime::{ErrorCode, ItemResult, Outcome};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};

#[test]
fn batchadd_response_in_the_shape_its_table_states() {
    // The table says `result` is String[]; the page's own example is the TOP-wrapped shape.
    let body = r#"{"result":["丁小明"],"success":true,"errcode":0,"errmsg":"成功"}"#;
    let r: pool::IndustryStudentpoolBatchaddResponse = serde_json::from_str(body).unwrap();
    assert_eq!(r.result.as_deref(), Some(&["丁小明".to_owned()][..]));
    assert_eq!(r.success, Some(true));
}

#[test]
fn batchadd_page_example_with_wrapped_list_still_decodes() {
    let body =
        r#"{"result":{"string":["[\"丁小明\"]"]},"success":true,"errcode":0,"errmsg":"\"成功\""}"#;
    let r: pool::IndustryStudentpoolBatchaddResponse = serde_json::from_str(body).unwrap();
    assert_eq!(r.result, Some(vec![r#"["丁小明"]"#.to_owned()]));
}

#[test]
fn period_create_page_example_keeps_each_wire_name() {
    let body = r#"{
        "result":{
            "deptId":415999017,
            "grades":[{"campus_id":415999016,"dept_id":415998012,"grade":1,"name":"一年级2020级","super_id":415999017}]
        },
        "success":true,"errcode":0,"errmsg":"demo"
    }"#;
    let r: period::EduPeriodCreateResponse = serde_json::from_str(body).unwrap();
    let result = r.result.unwrap();
    assert_eq!(result.dept_id, Some(415999017));
    let grade = &result.grades.unwrap()[0];
    assert_eq!(grade.campus_id, Some(415999016));
    assert_eq!(grade.dept_id, Some(415998012));
    assert_eq!(grade.super_id, Some(415999017));
    assert_eq!(grade.grade, Some(1));
    assert_eq!(grade.name.as_deref(), Some("一年级2020级"));
    assert_eq!(r.success, Some(true));
}

#[test]
fn extcontact_update_page_example_payload_decodes() {
    // The page shows the XML form; this is its JSON form inside the TOP envelope, which the
    // client removes before decoding.
    let body = r#"{"result":{"ding_open_errcode":0,"error_msg":"成功","success":true}}"#;
    let r: ext::CorpExtcontactUpdateResponse = serde_json::from_str(body).unwrap();
    let result = r.result.unwrap();
    assert_eq!(result.ding_open_errcode, Some(0));
    assert_eq!(result.error_msg.as_deref(), Some("成功"));
    assert_eq!(result.success, Some(true));
}

#[test]
fn classin_page_example_decodes_with_per_item_outcomes() {
    let body = r#"{
        "data":[{"customColumn":"123","errno":1,"error":"程序正常执行"}],
        "error_info":{"errno":1,"error":"程序正常执行"}
    }"#;
    let r: classin::AddCourseStudentMultipleResponse = serde_json::from_str(body).unwrap();
    let items = r.data.unwrap();
    assert_eq!(items[0].custom_column.as_deref(), Some("123"));
    assert_eq!(items[0].outcome(), Outcome::Success);
}

#[test]
fn classin_items_report_partial_success_and_failures_with_typed_codes() {
    let body = r#"{"data":[
        {"customColumn":123,"errno":"841","error":"表示成员添加成功,班级昵称同步失败"},
        {"errno":163,"error":"表示课程下已存在此学生"},
        {"errno":464,"error":"busy"},
        {"errno":99999,"error":"new"}
    ],"error_info":{"errno":"1","error":"程序正常执行"}}"#;
    let r: classin::AddCourseStudentMultipleResponse = serde_json::from_str(body).unwrap();
    let items = r.data.unwrap();
    assert_eq!(
        items[0].custom_column.as_deref(),
        Some("123"),
        "numbers are read as text"
    );
    assert_eq!(
        items[0].outcome(),
        Outcome::PartialSuccess {
            code: classin::AddCourseStudentMultipleErrorCode::NicknameSyncFailed,
            message: "表示成员添加成功,班级昵称同步失败"
        }
    );
    assert!(matches!(
        items[1].outcome(),
        Outcome::Failed {
            code: classin::AddCourseStudentMultipleErrorCode::StudentAlreadyInCourse,
            retryable: false,
            ..
        }
    ));
    assert!(matches!(
        items[2].outcome(),
        Outcome::Failed {
            retryable: true,
            ..
        }
    ));
    let unknown = classin::AddCourseStudentMultipleErrorCode::from_code(99999);
    assert!(matches!(
        unknown,
        classin::AddCourseStudentMultipleErrorCode::Unknown(code) if code.value() == 99999
    ));
    assert_eq!(unknown.meaning(), None);
    assert!(matches!(items[3].outcome(), Outcome::Failed { code, .. } if code == unknown));
}

#[test]
fn response_enums_keep_unknown_values() {
    let v: period::PeriodCode = serde_json::from_str(r#""university""#).unwrap();
    assert!(matches!(&v, period::PeriodCode::Unknown(value) if value.as_str() == "university"));
    let i: classin::Identity = serde_json::from_str(r#""2""#).unwrap();
    assert_eq!(i, classin::Identity::Auditor);
}

#[test]
fn all_thirty_classin_codes_round_trip() {
    let codes = [
        1, 100, 102, 104, 113, 114, 125, 129, 130, 131, 133, 134, 144, 147, 149, 153, 155, 163,
        164, 174, 228, 288, 332, 333, 369, 400, 464, 841, 886, 887,
    ];
    for c in codes {
        let code = classin::AddCourseStudentMultipleErrorCode::from_code(c);
        assert!(
            !matches!(code, classin::AddCourseStudentMultipleErrorCode::Unknown(_)),
            "{c}"
        );
        assert_eq!(code.code(), c);
        assert!(code.meaning().is_some());
    }
}

/// The generated `Deserialize` impls: unknown keys skipped, a repeated key keeps its last value,
/// a missing required field is an error naming its wire name, anything but an object is refused.
#[test]
fn response_objects_are_read_key_by_key() {
    let item: classin::StudentAddResult = serde_json::from_str(
        r#"{"new":{"deep":[1,{"x":null}]},"errno":"2","customColumn":7,"errno":163,"extra":true}"#,
    )
    .unwrap();
    assert_eq!(
        item.errno, 163,
        "the last `errno` wins, read from a number or a string"
    );
    assert_eq!(item.custom_column.as_deref(), Some("7"));
    assert_eq!(item.error, None);

    let missing = serde_json::from_str::<classin::StudentAddResult>(r#"{"error":"x"}"#)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("missing field `errno`"), "{missing}");

    let not_an_object =
        serde_json::from_str::<classin::StudentAddResult>(r#"[1,"x","y"]"#).unwrap_err();
    assert!(
        not_an_object
            .to_string()
            .contains("an object `StudentAddResult`"),
        "{not_an_object}"
    );

    let empty: period::EduPeriodCreateResponse = serde_json::from_str("{}").unwrap();
    assert_eq!((empty.result, empty.success), (None, None));
    let nulls: period::EduPeriodCreateResponse =
        serde_json::from_str(r#"{"result":null,"success":null}"#).unwrap();
    assert_eq!((nulls.result, nulls.success), (None, None));
}
