//! What the request-side benches share: the requests they send and plain `serde` mirrors of the
//! answers they read. Each bench uses part of it.
#![allow(dead_code)]

use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::edu_period_create as period;
use serde::Deserialize;

// ---- the requests ----

pub fn period_request() -> period::EduPeriodCreateRequest {
    let grades = (0..6)
        .map(|g| {
            period::Grades::builder()
                .grade(g.to_string())
                .classes(2)
                .name(format!("{g}年级2019级"))
                .start_year("2019")
                .build()
        })
        .collect();
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

pub fn classin_request() -> classin::AddCourseStudentMultipleRequest {
    let accounts = (0..20)
        .map(|i| {
            let mut a = classin::StudentAccount::new(format!("1001{i:03}"));
            a.custom_column = Some(format!("{}", 123 + i));
            a
        })
        .collect();
    classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts)
        .build()
}

// ---- plain mirrors of the answers ----

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainPeriodResult {
    #[serde(rename = "deptId")]
    pub dept_id: Option<i64>,
    pub grades: Option<Vec<PlainGrade>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainGrade {
    pub campus_id: Option<i64>,
    pub dept_id: Option<i64>,
    pub grade: Option<i64>,
    pub name: Option<String>,
    pub super_id: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainClassInItem {
    #[serde(rename = "customColumn")]
    pub custom_column: Option<String>,
    pub errno: i64,
    pub error: Option<String>,
}
