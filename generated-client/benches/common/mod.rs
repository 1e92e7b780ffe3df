//! What the request-side benches share: the requests they send, how the client and a hand-written
//! baseline prepare them (`prepare`), and plain `serde` mirrors of the answers they read. Each
//! bench uses part of it.
#![allow(dead_code)]

pub mod prepare;

use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
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

pub fn pool_request() -> pool::IndustryStudentpoolBatchaddRequest {
    let mut r = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    r.student_list = Some(
        (0..20)
            .map(|i| {
                let mut s = pool::TrainingStudentDto::new();
                s.name = Some(format!("学员{i}"));
                s.mobile = Some("18511111111".into());
                s.patriarchs = Some(
                    (0..3)
                        .map(|_| {
                            let mut p = pool::PatriarchDto::new();
                            p.name = Some("丁明".into());
                            p.relation = Some("F".into());
                            p
                        })
                        .collect(),
                );
                s
            })
            .collect(),
    );
    r
}

pub fn ext_request() -> ext::CorpExtcontactUpdateRequest {
    let c = ext::OpenExtContact::builder()
        .label_ids(vec![1, 2, 3])
        .follower_user_id("023420013645")
        .name("张三")
        .user_id("123420013632")
        .title("开发工程师")
        .share_user_ids(vec!["023420013644".into()])
        .build();
    ext::CorpExtcontactUpdateRequest::new(c)
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
