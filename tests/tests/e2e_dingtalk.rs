//! The generated DingTalk endpoints driven through the runtime's client: the exact wire requests
//! (snapshots, fixed credentials and clock) and the decoded vendor example answers against a
//! raw recording server, which keeps the bytes as they arrived and answers the vendor pages'
//! example bodies verbatim; typed errors and refused requests against the fake vendor of the
//! `testing` feature.

mod e2e_support;

use std::time::Duration;

use client_runtime::testing::{Answer, FakeDingTalk};
use client_runtime::{Error, ErrorCode, ManualClock, RetryPolicy};
use e2e_support::Recorder;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool, DingTalkClient,
};

/// 2017-05-02 11:51:10 UTC, 19:51:10 in GMT+8.
const NOW: i64 = 1_493_725_870;
const APP_KEY: &str = "e2e-app-key";
const APP_SECRET: &str = "e2e-app-secret";
const TOKEN: &str = "e2e-access-token";

const EDU_PERIOD_OK: &str = r#"{"result":{"deptId":415999017,"grades":[{"campus_id":415999016,"dept_id":415998012,"grade":1,"name":"一年级2020级","super_id":415999017}]},"success":true,"errcode":0,"errmsg":"demo"}"#;
const BATCHADD_OK: &str =
    r#"{"result":{"string":["[\"丁小明\"]"]},"success":true,"errcode":0,"errmsg":"\"成功\""}"#;
const EXTCONTACT_OK: &str = r#"{"dingtalk_corp_extcontact_update_response":{"result":{"ding_open_errcode":0,"error_msg":"成功","success":true},"request_id":"e2e-req"}}"#;

/// Answers `gettoken` with [`TOKEN`] and every other request with `api`.
fn dingtalk(
    api: &'static str,
) -> impl Fn(&e2e_support::WireRequest) -> (u16, String) + Send + Sync {
    move |r| {
        if r.path() == "/gettoken" {
            let ok = r.q("appkey") == Some(APP_KEY) && r.q("appsecret") == Some(APP_SECRET);
            let body = if ok {
                format!(
                    r#"{{"errcode":0,"errmsg":"ok","access_token":"{TOKEN}","expires_in":7200}}"#
                )
            } else {
                r#"{"errcode":40089,"errmsg":"不合法的corpid或corpsecret"}"#.to_owned()
            };
            return (200, body);
        }
        let token = r.q("access_token").or(r.q("session"));
        if token != Some(TOKEN) {
            return (
                200,
                r#"{"errcode":40001,"errmsg":"不合法的access_token"}"#.to_owned(),
            );
        }
        (200, api.to_owned())
    }
}

fn client(server: &Recorder) -> DingTalkClient {
    client_at(&server.base, &server.base)
}

fn client_at(oapi: &str, top: &str) -> DingTalkClient {
    let runtime = client_runtime::dingtalk::DingTalkClient::builder()
        .app_credentials(APP_KEY, APP_SECRET)
        .oapi_base_url(oapi)
        .top_base_url(top)
        .clock(ManualClock::at_unix(NOW))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    DingTalkClient::new(runtime)
}

fn period_request() -> period::EduPeriodCreateRequest {
    let grades = vec![period::Grades::builder()
        .grade("2")
        .classes(0)
        .name("二年级2019级")
        .start_year("2019")
        .build()];
    let open = period::OpenPeriod::builder()
        .step(period::Step::PrimarySchool)
        .grades(grades)
        .period_code(period::PeriodCode::HighSchool)
        .build();
    period::EduPeriodCreateRequest::builder()
        .super_id(1233)
        .operator("12334")
        .open_period(open)
        .build()
}

fn pool_request() -> pool::IndustryStudentpoolBatchaddRequest {
    let mut patriarch = pool::PatriarchDto::new();
    patriarch.relation = Some("F".into());
    patriarch.mobile = Some("18511111111".into());
    patriarch.name = Some("丁明".into());
    let mut student = pool::TrainingStudentDto::new();
    student.mobile = Some("18511111111".into());
    student.package_ids = Some(vec![12, 34]);
    student.number = Some("123456".into());
    student.patriarchs = Some(vec![patriarch]);
    student.name = Some("丁小明".into());
    let mut request = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    request.student_list = Some(vec![student]);
    request
}

fn ext_request() -> ext::CorpExtcontactUpdateRequest {
    let contact = ext::OpenExtContact::builder()
        .label_ids(vec![1, 2, 3])
        .follower_user_id("023420013645")
        .name("张三")
        .user_id("123420013632")
        .title("开发工程师")
        .share_dept_ids(vec![1, 2, 3])
        .address("地址内容")
        .remark("备注内容")
        .company_name("钉钉")
        .share_user_ids(vec!["023420013644".into()])
        .build();
    ext::CorpExtcontactUpdateRequest::new(contact)
}

#[tokio::test]
async fn edu_period_create_wire_and_answer() {
    let server = Recorder::start(dingtalk(EDU_PERIOD_OK)).await;
    let response = client(&server)
        .edu_period_create(&period_request())
        .await
        .unwrap();
    let result = response.result.unwrap();
    assert_eq!(result.dept_id, Some(415999017));
    let grade = &result.grades.unwrap()[0];
    assert_eq!(
        (grade.grade, grade.campus_id, grade.dept_id),
        (Some(1), Some(415999016), Some(415998012))
    );
    assert_eq!(grade.name.as_deref(), Some("一年级2020级"));
    assert_eq!(response.success, Some(true));
    insta::assert_yaml_snapshot!(server.requests());
}

#[tokio::test]
async fn industry_studentpool_batchadd_wire_and_answer() {
    let server = Recorder::start(dingtalk(BATCHADD_OK)).await;
    let response = client(&server)
        .industry_studentpool_batchadd(&pool_request())
        .await
        .unwrap();
    assert_eq!(response.result, Some(vec!["[\"丁小明\"]".to_owned()]));
    assert_eq!(response.success, Some(true));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "gettoken, then the call");
    insta::assert_yaml_snapshot!(requests[1]);
}

#[tokio::test]
async fn corp_extcontact_update_wire_and_answer() {
    let server = Recorder::start(dingtalk(EXTCONTACT_OK)).await;
    let response = client(&server)
        .corp_extcontact_update(&ext_request())
        .await
        .unwrap();
    let result = response.result.unwrap();
    assert_eq!(
        (result.success, result.ding_open_errcode),
        (Some(true), Some(0))
    );
    assert_eq!(result.error_msg.as_deref(), Some("成功"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "gettoken, then the call");
    insta::assert_yaml_snapshot!(requests[1]);
}

async fn fake() -> FakeDingTalk {
    FakeDingTalk::builder(APP_KEY, APP_SECRET)
        .clock(ManualClock::at_unix(NOW))
        .start()
        .await
        .unwrap()
}

fn fake_client(fake: &FakeDingTalk) -> DingTalkClient {
    client_at(fake.oapi_base_url(), fake.top_base_url())
}

#[tokio::test]
async fn documented_error_answers_are_typed() {
    let fake = fake().await;
    fake.on(|_: &period::EduPeriodCreateRequest| {
        Answer::error(ErrorCode::from_code(88), "ding talk error")
    });
    let e = fake_client(&fake)
        .edu_period_create(&period_request())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::DingTalk { errcode: 88, .. }), "{e:?}");

    fake.on(|_: &ext::CorpExtcontactUpdateRequest| {
        Answer::error(ErrorCode::from_code(50), "Remote service error")
            .with_sub("isv.invalid-parameter", "非法参数")
    });
    match fake_client(&fake)
        .corp_extcontact_update(&ext_request())
        .await
    {
        Err(Error::Top {
            code: 50,
            sub_code: Some(sub),
            sub_msg: Some(msg),
            ..
        }) => {
            assert_eq!(
                (sub.as_str(), msg.as_str()),
                ("isv.invalid-parameter", "非法参数")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.call_count::<period::EduPeriodCreateRequest>(), 1);
    assert_eq!(fake.call_count::<ext::CorpExtcontactUpdateRequest>(), 1);
    assert!(fake.refusals().is_empty(), "{:?}", fake.refusals());
}

#[tokio::test]
async fn requests_breaking_documented_limits_are_not_sent() {
    let fake = fake().await;
    fake.accept::<pool::IndustryStudentpoolBatchaddRequest>();
    let mut request = pool_request();
    let student = request.student_list.as_ref().unwrap()[0].clone();
    request.student_list = Some(vec![student; 21]);
    let e = fake_client(&fake)
        .industry_studentpool_batchadd(&request)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert_eq!(fake.token_fetches(), 0);
    assert_eq!(
        fake.call_count::<pool::IndustryStudentpoolBatchaddRequest>(),
        0
    );
    assert!(fake.refusals().is_empty());
}
