//! An API split over crates: `split-types` generates the shared types once, and each part
//! (`split-courses`, `split-lessons`) re-exports them, so a value read from one part's response
//! goes into another part's request as it is, with the limits its spec gives it.

use std::any::TypeId;

use client_runtime::Validate;
use split_courses::dingtalk::course_get;
use split_lessons::dingtalk::{common, lesson_schedule};

#[test]
fn each_part_re_exports_the_one_shared_type() {
    assert_eq!(
        TypeId::of::<split_courses::dingtalk::common::TimeRange>(),
        TypeId::of::<split_types::dingtalk::common::TimeRange>()
    );
    assert_eq!(
        TypeId::of::<common::CourseType>(),
        TypeId::of::<split_types::dingtalk::common::CourseType>()
    );
}

#[test]
fn a_period_read_from_one_part_is_sent_by_the_other() {
    let answer = r#"{"errcode":0,"errmsg":"ok","result":{"name":"数学","course_type":2,"period":{"start":1000,"end":2000}}}"#;
    let course: course_get::CourseGetResponse = serde_json::from_str(answer).unwrap();
    let course = course.result.expect("the answer has a course");

    let request = lesson_schedule::LessonScheduleRequest::builder()
        .course_id(7)
        .period(course.period.expect("the course has a period"))
        .course_type(course.course_type.expect("the course has a type"))
        .build();
    request.validate().expect("within every limit");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"course_id": 7, "period": {"start": 1000, "end": 2000}, "course_type": 2})
    );
}

#[test]
fn the_shared_types_limits_hold_in_every_part() {
    let period = common::TimeRange::builder().start(-1).end(2_000).build();
    let request = lesson_schedule::LessonScheduleRequest::builder()
        .course_id(7)
        .period(period)
        .build();
    let report = request.validate().unwrap_err().to_string();
    assert!(report.contains("period.start"), "{report}");
}

#[test]
fn each_part_has_a_client_for_its_own_endpoints() {
    // Each part wraps the same runtime client; clones share credentials and connections.
    let runtime = client_runtime::dingtalk::DingTalkClient::builder()
        .app_credentials("app key", "app secret")
        .build()
        .unwrap();
    let courses = split_courses::dingtalk::DingTalkClient::new(runtime.clone());
    let lessons = split_lessons::dingtalk::DingTalkClient::new(runtime);
    let request = lesson_schedule::LessonScheduleRequest::builder()
        .course_id(7)
        .period(common::TimeRange::builder().start(0).end(1).build())
        .build();
    // Not awaited: the calls only have to exist, each on its own part's client.
    drop(lessons.lesson_schedule(&request));
    drop(courses.course_get(&course_get::CourseGetRequest::new(7)));
}
