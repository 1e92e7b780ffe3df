//! The generated ClassIn endpoint driven through the runtime's client: the exact wire request
//! (snapshot, fixed credentials and clock) against a raw recording server, which keeps the bytes
//! as they arrived; the decoded answers, typed codes and refused requests against the fake
//! vendor of the `testing` feature.

mod e2e_support;

use std::time::Duration;

use client_runtime::testing::{Answer, FakeClassIn};
use client_runtime::{summarize, Error, ItemResult, ManualClock, Outcome, RetryPolicy};
use e2e_support::Recorder;
use generated_client::classin::add_course_student_multiple::{
    AddCourseStudentMultipleErrorCode as Code, AddCourseStudentMultipleRequest, Identity,
    StudentAccount,
};
use generated_client::classin::ClassInClient;

/// The vendor page's example time stamp.
const NOW: i64 = 1_493_725_870;
const SID: &str = "2339736";
const SECRET: &str = "e2e-classin-secret";

const ADD_OK: &str = r#"{"data":[{"customColumn":"123","errno":1,"error":"程序正常执行"}],"error_info":{"errno":1,"error":"程序正常执行"}}"#;

fn client(server: &Recorder) -> ClassInClient {
    client_at(&server.base)
}

fn client_at(base: &str) -> ClassInClient {
    let runtime = client_runtime::classin::ClassInClient::builder(SID, SECRET)
        .base_url(base)
        .clock(ManualClock::at_unix(NOW))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    ClassInClient::new(runtime)
}

fn request(n: usize) -> AddCourseStudentMultipleRequest {
    let students = (0..n)
        .map(|i| {
            let mut s = StudentAccount::new(format!("{}", 1001001 + i * 1000));
            s.custom_column = Some(format!("{}", 123 + i));
            s
        })
        .collect();
    AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(students)
        .build()
}

#[tokio::test]
async fn add_course_student_multiple_wire_and_answer() {
    let server = Recorder::start(|_| (200, ADD_OK.to_owned())).await;
    let response = client(&server)
        .add_course_student_multiple(&request(1))
        .await
        .unwrap();
    let data = response.data.unwrap();
    assert_eq!(data[0].custom_column.as_deref(), Some("123"));
    assert_eq!(data[0].outcome(), Outcome::Success);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    insta::assert_yaml_snapshot!(requests[0]);
}

async fn fake() -> FakeClassIn {
    FakeClassIn::builder(SID, SECRET)
        .clock(ManualClock::at_unix(NOW))
        .start()
        .await
        .unwrap()
}

/// The per-item answer as the server writes it: `errno` as a number or a string,
/// `customColumn` as a string or a number.
const MIXED_ITEMS: &str = r#"{"data":[{"customColumn":"123","errno":1,"error":"程序正常执行"},{"customColumn":124,"errno":"841","error":"表示成员添加成功,班级昵称同步失败"},{"customColumn":"125","errno":163,"error":"表示课程下已存在此学生"}],"error_info":{"errno":"1","error":"程序正常执行"}}"#;

#[tokio::test]
async fn per_item_codes_are_typed_and_partial_success_is_visible() {
    let fake = fake().await;
    fake.once::<AddCourseStudentMultipleRequest>(Answer::raw(
        200,
        "application/json;charset=UTF-8",
        MIXED_ITEMS,
    ));
    let data = client_at(fake.base_url())
        .add_course_student_multiple(&request(3))
        .await
        .unwrap()
        .data
        .unwrap();
    assert!(matches!(
        data[1].outcome(),
        Outcome::PartialSuccess {
            code: Code::NicknameSyncFailed,
            ..
        }
    ));
    assert!(matches!(
        data[2].outcome(),
        Outcome::Failed {
            code: Code::StudentAlreadyInCourse,
            retryable: false,
            ..
        }
    ));
    let summary = summarize(&data);
    assert_eq!(
        (
            summary.succeeded,
            summary.partial.len(),
            summary.failed.len()
        ),
        (1, 1, 1)
    );
    assert_eq!(data[1].custom_column.as_deref(), Some("124"));
    assert_eq!(
        fake.calls::<AddCourseStudentMultipleRequest>(),
        vec![request(3)]
    );
}

#[tokio::test]
async fn call_level_errors_carry_the_typed_code() {
    let fake = fake().await;
    fake.on(|_: &AddCourseStudentMultipleRequest| {
        Answer::error(Code::CourseNotInSchool, "表示机构下无此课程")
    });
    match client_at(fake.base_url())
        .add_course_student_multiple(&request(1))
        .await
    {
        Err(Error::ClassIn {
            code: Code::CourseNotInSchool,
            message,
        }) => assert_eq!(message, "表示机构下无此课程"),
        other => panic!("{other:?}"),
    }
    assert!(fake.refusals().is_empty(), "{:?}", fake.refusals());
}

#[tokio::test]
async fn requests_breaking_documented_limits_are_not_sent() {
    let fake = fake().await;
    fake.accept::<AddCourseStudentMultipleRequest>();
    let mut auditors = request(21);
    auditors.identity = Identity::Auditor;
    let e = client_at(fake.base_url())
        .add_course_student_multiple(&auditors)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert_eq!(fake.call_count::<AddCourseStudentMultipleRequest>(), 0);
    assert!(fake.refusals().is_empty());
}
