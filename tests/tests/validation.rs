//! Every documented limit of the four specs, checked at its boundary: a value just inside passes,
//! a value just outside is reported with its Rust and wire path, its rule and bound, and its
//! severity.

use client_runtime::{Found, Rule, Severity, Validate, Violations};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};

/// (rust path, wire path, rule, severity) of everything `validate()` found.
fn found(v: &impl Validate) -> Vec<(String, String, Rule, Severity)> {
    let all: Violations = match v.validate() {
        Ok(warnings) => warnings,
        Err(e) => e.violations,
    };
    all.iter()
        .map(|x| {
            (
                x.rust_path.clone(),
                x.wire_path.clone(),
                x.rule.clone(),
                x.severity,
            )
        })
        .collect()
}

fn one(
    rust: &str,
    wire: &str,
    rule: Rule,
    severity: Severity,
) -> Vec<(String, String, Rule, Severity)> {
    vec![(rust.to_owned(), wire.to_owned(), rule, severity)]
}

fn text(n: usize, c: char) -> String {
    std::iter::repeat_n(c, n).collect()
}

// ---- dingtalk.oapi.industry.studentpool.batchadd ----

fn student(patriarchs: usize) -> pool::TrainingStudentDto {
    let mut s = pool::TrainingStudentDto::new();
    s.name = Some("丁小明".into());
    s.mobile = Some("18511111111".into());
    s.patriarchs = Some((0..patriarchs).map(|_| pool::PatriarchDto::new()).collect());
    s
}

#[test]
fn batchadd_student_list_holds_at_most_20() {
    let mut r = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    r.student_list = Some((0..20).map(|_| student(3)).collect());
    assert!(found(&r).is_empty());
    assert!(r.validate().is_ok());
    r.student_list = Some((0..21).map(|_| student(3)).collect());
    assert_eq!(
        found(&r),
        one(
            "student_list",
            "student_list",
            Rule::MaxItems(20),
            Severity::Error
        )
    );
    assert!(r.validate().is_err());
}

#[test]
fn batchadd_biz_code_is_required_and_not_empty() {
    assert!(found(&pool::IndustryStudentpoolBatchaddRequest::new("1".into())).is_empty());
    let r = pool::IndustryStudentpoolBatchaddRequest::new(String::new());
    assert_eq!(
        found(&r),
        one("biz_code", "biz_code", Rule::NonEmpty, Severity::Error)
    );
}

// ---- dingtalk.oapi.edu.period.create ----

fn period_request(classes: i64) -> period::EduPeriodCreateRequest {
    let grades = vec![period::Grades::builder()
        .grade("2")
        .classes(classes)
        .name("二年级2019级")
        .start_year("2019")
        .build()];
    let open = period::OpenPeriod::builder()
        .step(period::Step::PrimarySchool)
        .grades(grades)
        .period_code(period::PeriodCode::PrimarySchool)
        .build();
    period::EduPeriodCreateRequest::builder()
        .super_id(1233)
        .operator("12334")
        .open_period(open)
        .build()
}

#[test]
fn period_classes_may_be_zero_not_negative() {
    assert!(found(&period_request(0)).is_empty());
    assert_eq!(
        found(&period_request(-1)),
        one(
            "open_period.grades[0].classes",
            "open_period.grades[0].classes",
            Rule::Minimum(0.0),
            Severity::Error
        )
    );
}

#[test]
fn period_name_mode_defaults_to_number() {
    assert_eq!(
        period_request(0).open_period.name_mode,
        period::NameMode::Number
    );
    let json = serde_json::to_value(period_request(0)).unwrap();
    assert_eq!(json["open_period"]["name_mode"], "number");
    assert_eq!(json["open_period"]["step"], "小学");
}

#[test]
fn period_enums_refuse_unknown_values() {
    let mut r = period_request(0);
    r.open_period.step = period::Step::from_wire("大学");
    r.open_period.period_code = period::PeriodCode::from_wire("university");
    r.open_period.name_mode = period::NameMode::from_wire("roman");
    let f = found(&r);
    assert_eq!(f.len(), 3, "{f:?}");
    assert_eq!(
        f[0],
        (
            "open_period.step".into(),
            "open_period.step".into(),
            Rule::OneOf(&["幼儿园", "小学", "初中", "高中"]),
            Severity::Error
        )
    );
    assert_eq!(
        f[1].2,
        Rule::OneOf(&[
            "kindergarten",
            "primary_school",
            "middle_school",
            "high_school"
        ])
    );
    assert_eq!(f[2].2, Rule::OneOf(&["number", "text"]));
}

#[test]
fn period_required_strings_are_not_empty() {
    let mut r = period_request(0);
    r.operator.clear();
    r.open_period.grades[0].grade.clear();
    r.open_period.grades[0].name.clear();
    r.open_period.grades[0].start_year.clear();
    let paths: Vec<String> = found(&r).into_iter().map(|x| x.0).collect();
    assert_eq!(
        paths,
        [
            "operator",
            "open_period.grades[0].grade",
            "open_period.grades[0].name",
            "open_period.grades[0].start_year"
        ]
    );
}

// ---- dingtalk.corp.extcontact.update ----

#[test]
fn extcontact_required_strings_are_not_empty() {
    let ok = ext::OpenExtContact::builder()
        .label_ids(vec![1, 2, 3])
        .follower_user_id("023420013645")
        .name("张三")
        .user_id("123420013632")
        .build();
    assert!(found(&ext::CorpExtcontactUpdateRequest::new(ok)).is_empty());
    let bad = ext::OpenExtContact::builder()
        .label_ids(vec![])
        .follower_user_id("")
        .name("")
        .user_id("")
        .build();
    let paths: Vec<String> = found(&ext::CorpExtcontactUpdateRequest::new(bad))
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(
        paths,
        [
            "contact.follower_user_id",
            "contact.name",
            "contact.user_id"
        ]
    );
}

// ---- ClassIn addCourseStudentMultiple ----

fn accounts(n: usize) -> Vec<classin::StudentAccount> {
    (0..n)
        .map(|i| classin::StudentAccount::new(format!("10010{i:02}")))
        .collect()
}

#[test]
fn classin_student_json_needs_at_least_one_account() {
    assert!(found(
        &classin::AddCourseStudentMultipleRequest::builder()
            .course_id(490583)
            .student_json(accounts(1))
            .build()
    )
    .is_empty());
    let r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(0))
        .build();
    assert_eq!(
        found(&r),
        one(
            "student_json",
            "studentJson",
            Rule::MinItems(1),
            Severity::Error
        )
    );
}

#[test]
fn classin_recommends_at_most_30_students_as_a_warning() {
    let r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(30))
        .build();
    assert!(found(&r).is_empty());
    let r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(31))
        .build();
    assert_eq!(
        found(&r),
        one(
            "student_json",
            "studentJson",
            Rule::RecommendedMaxItems(30),
            Severity::Warning
        )
    );
    let warnings = r.validate().expect("a warning does not block the call");
    assert_eq!(warnings.warnings().count(), 1);
}

#[test]
fn classin_auditors_are_at_most_20() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(20))
        .identity(classin::Identity::Auditor)
        .build();
    assert!(found(&r).is_empty());
    r.student_json = accounts(21);
    let f = found(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str(), f[0].3),
        ("student_json", "studentJson", Severity::Error)
    );
    assert!(
        matches!(f[0].2, Rule::Stated(t) if t.contains("at most 20 items when `identity` is 2"))
    );
    // Students are not bound by the auditors' limit.
    r.identity = classin::Identity::Student;
    assert!(found(&r).is_empty());
}

#[test]
fn classin_name_is_counted_in_characters_and_truncated_beyond_24() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(5))
        .identity(classin::Identity::Auditor)
        .build();
    r.student_json[4].name = Some(text(24, '丁'));
    assert!(found(&r).is_empty(), "24 CJK characters are 24, not 72");
    r.student_json[4].name = Some(text(25, '丁'));
    assert_eq!(
        found(&r),
        one(
            "student_json[4].name",
            "studentJson[4].name",
            Rule::TruncatedBeyond(24),
            Severity::Warning
        )
    );
    assert!(r.validate().is_ok(), "truncation warns, it does not block");
    r.student_json[4].name = Some(String::new());
    assert_eq!(
        found(&r),
        one(
            "student_json[4].name",
            "studentJson[4].name",
            Rule::MinChars(1),
            Severity::Error
        )
    );
}

#[test]
fn classin_custom_column_is_1_to_50_characters_truncated_beyond() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(2))
        .build();
    r.student_json[1].custom_column = Some(text(50, 'x'));
    assert!(found(&r).is_empty());
    r.student_json[1].custom_column = Some(text(51, '标'));
    assert_eq!(
        found(&r),
        one(
            "student_json[1].custom_column",
            "studentJson[1].customColumn",
            Rule::TruncatedBeyond(50),
            Severity::Warning
        )
    );
    r.student_json[1].custom_column = Some(String::new());
    assert_eq!(
        found(&r),
        one(
            "student_json[1].custom_column",
            "studentJson[1].customColumn",
            Rule::MinChars(1),
            Severity::Error
        )
    );
}

#[test]
fn classin_uid_is_required_and_not_empty() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(3))
        .build();
    r.student_json[2].uid.clear();
    assert_eq!(
        found(&r),
        one(
            "student_json[2].uid",
            "studentJson[2].uid",
            Rule::NonEmpty,
            Severity::Error
        )
    );
}

#[test]
fn classin_name_is_only_meaningful_for_auditors() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(2))
        .build();
    r.student_json[1].name = Some("张三".into());
    let f = found(&r);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].1.as_str(), f[0].3),
        ("studentJson[1].name", Severity::Warning)
    );
    r.identity = classin::Identity::Auditor;
    assert!(found(&r).is_empty());
}

#[test]
fn classin_identity_refuses_unknown_values() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(1))
        .build();
    r.identity = classin::Identity::from_wire(3);
    let f = found(&r);
    assert_eq!(
        f,
        one(
            "identity",
            "identity",
            Rule::OneOf(&["1", "2"]),
            Severity::Error
        )
    );
    assert!(
        matches!(r.validate(), Err(e) if e.violations.iter().next().unwrap().found == Found::Value("3".into()))
    );
}

#[test]
fn violations_are_capped() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(500))
        .build();
    for a in &mut r.student_json {
        a.uid.clear();
    }
    let e = r.validate().unwrap_err();
    assert_eq!(
        e.violations.iter().count(),
        client_runtime::validate::DEFAULT_VIOLATION_CAP
    );
    // 500 empty uids and the recommendation warning: everything past the cap is counted.
    assert_eq!(
        e.violations.dropped(),
        501 - client_runtime::validate::DEFAULT_VIOLATION_CAP
    );
    assert!(e.to_string().contains("more not listed"));
}

#[test]
fn rendered_error_lists_every_fault() {
    let mut r = classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts(22))
        .identity(classin::Identity::Auditor)
        .build();
    r.student_json[0].uid.clear();
    r.student_json[3].name = Some(text(30, '丁'));
    r.student_json[4].custom_column = Some(String::new());
    r.student_json[5].custom_column = Some(text(51, 'c'));
    let e = r.validate().unwrap_err();
    insta::assert_snapshot!(e.to_string());
}

/// Reading stays tolerant: a response with more items and longer text than any request limit
/// allows decodes, because response types carry no request-side limits.
#[test]
fn responses_beyond_request_limits_still_decode() {
    let body = serde_json::json!({"data": (0..50).map(|_| serde_json::json!({"errno": 1, "customColumn": text(80, 'x')})).collect::<Vec<_>>()});
    let r: classin::AddCourseStudentMultipleResponse = serde_json::from_value(body).unwrap();
    assert_eq!(r.data.unwrap().len(), 50);
}
