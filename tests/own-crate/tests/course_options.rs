//! Two DingTalk endpoints each define a type `CourseOption`: each endpoint's module holds its
//! own, with its own fields and wire names, while both use the shared `common` types.

use std::any::TypeId;

use own_crate::dingtalk::{common, course_create, course_update};

#[test]
fn each_endpoint_has_its_own_course_option() {
    assert_ne!(
        TypeId::of::<course_create::CourseOption>(),
        TypeId::of::<course_update::CourseOption>()
    );

    let mut created = course_create::CourseOption::new();
    created.public = true;
    created.max_students = Some(30);
    let mut updated = course_update::CourseOption::new();
    updated.visible = Some(false);
    updated.cover_url = Some("https://img.example.com/c.png".into());

    assert_eq!(
        serde_json::to_value(&created).unwrap(),
        serde_json::json!({"public": true, "maxStudents": 30})
    );
    assert_eq!(
        serde_json::to_value(&updated).unwrap(),
        serde_json::json!({"is_visible": false, "cover_url": "https://img.example.com/c.png"})
    );
}

#[test]
fn both_endpoints_use_the_one_shared_time_range_and_course_type() {
    let period = common::TimeRange::builder().start(1_000).end(2_000).build();
    let create = course_create::CourseCreateRequest::builder()
        .class_id(1)
        .name("数学")
        .period(period.clone())
        .course_type(common::CourseType::Live)
        .build();
    let mut update = course_update::CourseUpdateRequest::new(2);
    update.period = Some(period);
    update.course_type = Some(common::CourseType::Live);
    let create = serde_json::to_value(&create).unwrap();
    let update = serde_json::to_value(&update).unwrap();
    assert_eq!(
        create["period"],
        serde_json::json!({"start": 1000, "end": 2000})
    );
    assert_eq!(create["period"], update["period"]);
    assert_eq!(
        (&create["course_type"], &update["course_type"]),
        (&1.into(), &1.into())
    );
}
