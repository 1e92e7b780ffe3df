//! Strategies for random requests of the project's four endpoints, built from the generated
//! types, with values around every documented limit; shared by the property tests that compare
//! `validate()` with JSON Schema.

use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use proptest::prelude::*;

/// Text around the interesting lengths, mixing ASCII and CJK so bytes and characters differ.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![Just('a'), Just('丁'), Just('1')], 0..=max)
        .prop_map(|v| v.into_iter().collect())
}

/// Text of up to `max` characters that is empty once in fifty: lists of many items whose
/// items are all valid are common enough to reach the list's own limits.
pub fn mostly_non_empty(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(String::new()), 49 => text(max).prop_filter("non-empty", |t| !t.is_empty())]
}

/// An account, valid most of the time, so that a request often holds over 20 valid accounts.
pub fn account() -> impl Strategy<Value = classin::StudentAccount> {
    (
        mostly_non_empty(2),
        prop::option::of(mostly_non_empty(26)),
        prop::option::of(mostly_non_empty(52)),
    )
        .prop_map(|(uid, name, custom)| {
            let mut a = classin::StudentAccount::new(uid);
            a.name = name;
            a.custom_column = custom;
            a
        })
}

pub fn classin_request() -> impl Strategy<Value = classin::AddCourseStudentMultipleRequest> {
    (
        any::<i64>(),
        prop_oneof![Just(1i64), Just(2), Just(3)],
        prop::collection::vec(account(), 0..34),
    )
        .prop_map(|(course, identity, accounts)| {
            classin::AddCourseStudentMultipleRequest::builder()
                .course_id(course)
                .student_json(accounts)
                .identity(classin::Identity::from_wire(identity))
                .build()
        })
}

pub fn pool_request() -> impl Strategy<Value = pool::IndustryStudentpoolBatchaddRequest> {
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

pub fn period_request() -> impl Strategy<Value = period::EduPeriodCreateRequest> {
    let grade = (text(2), -3i64..3, text(2), text(2)).prop_map(|(g, classes, name, year)| {
        period::Grades::builder()
            .grade(g)
            .classes(classes)
            .name(name)
            .start_year(year)
            .build()
    });
    (
        text(2),
        prop_oneof![Just("小学"), Just("大学")],
        prop_oneof![Just("high_school"), Just("college")],
        prop_oneof![Just("number"), Just("text"), Just("roman")],
        prop::collection::vec(grade, 0..3),
    )
        .prop_map(|(operator, step, code, mode, grades)| {
            let open = period::OpenPeriod::builder()
                .step(period::Step::from_wire(step))
                .grades(grades)
                .period_code(period::PeriodCode::from_wire(code))
                .name_mode(period::NameMode::from_wire(mode))
                .build();
            period::EduPeriodCreateRequest::builder()
                .super_id(1233)
                .operator(operator)
                .open_period(open)
                .build()
        })
}

pub fn ext_request() -> impl Strategy<Value = ext::CorpExtcontactUpdateRequest> {
    (
        prop::collection::vec(any::<i64>(), 0..3),
        text(2),
        text(2),
        text(2),
        prop::option::of(text(3)),
    )
        .prop_map(|(labels, follower, name, user, title)| {
            let c = ext::OpenExtContact::builder()
                .label_ids(labels)
                .follower_user_id(follower)
                .name(name)
                .user_id(user)
                .maybe_title(title)
                .build();
            ext::CorpExtcontactUpdateRequest::new(c)
        })
}
