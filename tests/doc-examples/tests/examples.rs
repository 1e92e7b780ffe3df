//! Requests built from the documentation's examples validate as the documentation says: every
//! limit, group and rule the examples show is checked, each at its path.

use doc_examples::{classin, dingtalk};
use runtime::{File, GroupKind, Rule, Severity, Validate, Violation};

/// Every violation of a request, errors and warnings, as `(wire path, rule, severity)`.
fn broken(request: &impl Validate) -> Vec<(String, Rule, Severity)> {
    let found: Vec<Violation> = match request.validate() {
        Ok(warnings) => warnings.iter().cloned().collect(),
        Err(e) => e.violations.iter().cloned().collect(),
    };
    found
        .into_iter()
        .map(|v| (v.wire_path, v.rule, v.severity))
        .collect()
}

#[test]
fn the_readme_endpoint_validates_and_its_types_are_its_own() {
    use dingtalk::edu_period_get as api;
    assert!(broken(&api::EduPeriodGetRequest::new(654321)).is_empty());
    // The endpoint's own enum (the project's edu_period_create has a `PeriodCode` of its own:
    // tests/own-crate checks two same-named types side by side).
    assert_eq!(api::PeriodCode::VALUES, ["kindergarten", "primary"]);
    assert_eq!(
        api::PeriodCode::from_wire("primary"),
        api::PeriodCode::Primary
    );
}

#[test]
fn a_registration_needs_one_contact_and_exactly_one_password() {
    use classin::user_register::UserRegisterRequest;
    let empty = broken(&UserRegisterRequest::new());
    assert_eq!(
        empty,
        [
            (
                "(telephone|email)".to_owned(),
                Rule::Group(GroupKind::AtLeastOne, &["telephone", "email"]),
                Severity::Error
            ),
            (
                "(password|md5pass)".to_owned(),
                Rule::Group(GroupKind::ExactlyOne, &["password", "md5pass"]),
                Severity::Error
            ),
        ]
    );
    let mut both = UserRegisterRequest::new();
    both.telephone = Some("13800138000".into());
    both.password = Some("secret1".into());
    both.md5pass = Some("0123456789abcdef0123456789abcdef".into());
    let found = broken(&both);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "(password|md5pass)");
    both.md5pass = None;
    assert!(broken(&both).is_empty());
}

#[test]
fn an_avatar_is_checked_for_size_and_type_before_sending() {
    use classin::user_register::UserRegisterRequest;
    let mut request = UserRegisterRequest::new();
    request.email = Some("a@example.com".into());
    request.md5pass = Some("0123456789abcdef0123456789abcdef".into());
    request.avatar = Some(File::from_bytes("me.PNG", vec![0u8; 1024]));
    assert!(broken(&request).is_empty());
    request.avatar = Some(File::from_bytes("me.png", vec![0u8; 1_048_577]));
    let found = broken(&request);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Filedata");
    assert_eq!(found[0].1, Rule::MaxBytes(1_048_576));
    request.avatar = Some(File::from_bytes("me.bmp", vec![0u8; 16]));
    let rules: Vec<Rule> = broken(&request).into_iter().map(|(_, r, _)| r).collect();
    assert!(
        rules.contains(&Rule::Extensions(&["jpg", "jpeg", "gif", "png"])),
        "{rules:?}"
    );
}

#[test]
fn rules_with_in_and_presence_conditions_apply_when_they_hold() {
    use classin::course_auditor_add::{Account, CourseAuditorAddRequest};
    let accounts = |n: usize| -> Vec<Account> {
        (0..n)
            .map(|i| {
                let mut a = Account::new(format!("{i}"));
                a.name = Some("名字".into());
                a
            })
            .collect()
    };
    // Auditors: at most 20, and names are theirs to have.
    let auditors = CourseAuditorAddRequest::builder()
        .identity(2)
        .student_json(accounts(21))
        .build();
    let found = broken(&auditors);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2),
        ("studentJson", Severity::Error)
    );
    // Students (identity in [1, 3]) with names: a warning per item.
    let students = CourseAuditorAddRequest::builder()
        .identity(3)
        .student_json(accounts(2))
        .build();
    let found = broken(&students);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(_, _, s)| *s == Severity::Warning));
    assert_eq!(found[1].0, "studentJson[1].name");
    // A class without a label: the presence rule.
    let mut classed = CourseAuditorAddRequest::builder()
        .identity(2)
        .student_json(accounts(1))
        .class_id(7)
        .build();
    let found = broken(&classed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "label");
    classed.label = Some("一班".into());
    assert!(broken(&classed).is_empty());
}

#[test]
fn defaults_and_limits_of_the_fields_example_hold() {
    use classin::course_student_add::{CourseStudentAddRequest, Identity, StudentAccount};
    let mut request = CourseStudentAddRequest::new(vec![StudentAccount::new("1001001".into())]);
    assert_eq!(request.identity, Identity::Student);
    assert!(broken(&request).is_empty());
    request.code = Some("12345".into());
    request.score = Some(100.5);
    let paths: Vec<String> = broken(&request).into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(paths, ["code", "score"]);
}

#[test]
fn shared_types_are_used_by_name_and_by_file() {
    use dingtalk::{common, edu_period_list as api};
    let mut request = api::EduPeriodListRequest::new();
    request.step = Some(common::Step::Kindergarten);
    request.identity = Some(common::Identity::Auditor);
    assert!(broken(&request).is_empty());
    let period = api::Period::new(1);
    let _: Option<common::Step> = period.step;
}
