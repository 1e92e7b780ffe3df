//! The imported specs, compiled as they were written, validate what the pages state: the limits
//! the importer read are enforced at their paths, and the enums it read are the page's values.

use client_runtime::Validate;
use import_build::classin::add_course_student_multiple as students;
use import_build::dingtalk::industry_studentpool_batchadd as pool;
use import_build::dingtalk::{edu_class_create as class, edu_period_create as period};

/// The wire paths of every violation of a request.
fn broken(request: &impl Validate) -> Vec<String> {
    match request.validate() {
        Ok(warnings) => warnings.iter().map(|v| v.wire_path.clone()).collect(),
        Err(e) => e.violations.iter().map(|v| v.wire_path.clone()).collect(),
    }
}

#[test]
fn the_pages_list_limit_is_enforced() {
    let mut r = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    r.student_list = Some(vec![pool::TrainingStudentDto::new(); 20]);
    assert!(broken(&r).is_empty());
    r.student_list = Some(vec![pool::TrainingStudentDto::new(); 21]);
    assert_eq!(broken(&r), ["student_list"]);
}

#[test]
fn the_pages_bounds_and_lengths_are_enforced() {
    let mut r = class::EduClassCreateRequest {
        name: "一年级1班".into(),
        campus_id: 123,
        size: 50,
        remark: None,
    };
    assert!(broken(&r).is_empty());
    r.size = 201;
    r.name = "班".repeat(65);
    assert_eq!(broken(&r), ["name", "size"]);
}

#[test]
fn enumerations_in_words_are_enums_of_the_pages_values() {
    assert_eq!(period::Step::VALUES, ["幼儿园", "小学", "初中", "高中"]);
    assert_eq!(
        period::PeriodCode::from_wire("primary_school"),
        period::PeriodCode::PrimarySchool
    );
    assert_eq!(students::Identity::Auditor.value(), 2);
}

#[test]
fn classin_text_limits_warn_where_the_server_truncates() {
    let mut item = students::StudentJsonItem::new("1001001".into());
    item.name = Some("名".repeat(25));
    let r = students::AddCourseStudentMultipleRequest {
        course_id: 490583,
        identity: students::Identity::Student,
        student_json: vec![item],
    };
    let warnings = r.validate().expect("truncation is a warning, not an error");
    let paths: Vec<&str> = warnings.iter().map(|v| v.wire_path.as_str()).collect();
    assert_eq!(paths, ["studentJson[0].name"]);
}
