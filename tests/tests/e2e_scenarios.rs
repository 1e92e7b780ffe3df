//! Every failure mode, for each of the four generated endpoints, through its generated client
//! method, against the fake vendors of the `testing` feature, which check what the real servers
//! check: the access token, the TOP system parameters, the ClassIn `safeKey` and its 20-minute
//! window, and that the body decodes into the endpoint's request type and passes its limits.
//! Scenarios: success, a documented error, bad credentials, a retryable error followed by
//! success, a malformed body, and a server slower than the timeout.

use std::time::Duration;

use client_runtime::testing::{Answer, FakeClassIn, FakeDingTalk};
use client_runtime::{Endpoint, Error, ErrorCode, ManualClock, RetryPolicy};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use serde::{de::DeserializeOwned, Serialize};

/// 2017-05-02 11:51:10 UTC; 19:51:10 in GMT+8.
const NOW: i64 = 1_493_725_870;
const APP_KEY: &str = "scenario-app-key";
const APP_SECRET: &str = "scenario-app-secret";
const SID: &str = "2339736";
const SECRET: &str = "scenario-classin-secret";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scenario {
    Success,
    DocumentedError,
    BadCredentials,
    RetryableThenSuccess,
    MalformedBody,
    Slow,
}

const ALL: [Scenario; 6] = [
    Scenario::Success,
    Scenario::DocumentedError,
    Scenario::BadCredentials,
    Scenario::RetryableThenSuccess,
    Scenario::MalformedBody,
    Scenario::Slow,
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Api {
    EduPeriodCreate,
    StudentpoolBatchadd,
    ExtcontactUpdate,
    AddCourseStudentMultiple,
}

/// A fake of either vendor, started for one scenario.
enum Fake {
    DingTalk(FakeDingTalk),
    ClassIn(FakeClassIn),
}

impl Fake {
    async fn start(api: Api) -> Fake {
        let clock = ManualClock::at_unix(NOW);
        match api {
            Api::AddCourseStudentMultiple => Fake::ClassIn(
                FakeClassIn::builder(SID, SECRET)
                    .clock(clock)
                    .start()
                    .await
                    .unwrap(),
            ),
            _ => Fake::DingTalk(
                FakeDingTalk::builder(APP_KEY, APP_SECRET)
                    .clock(clock)
                    .start()
                    .await
                    .unwrap(),
            ),
        }
    }

    fn base(&self) -> &str {
        match self {
            Fake::DingTalk(f) => f.oapi_base_url(),
            Fake::ClassIn(f) => f.base_url(),
        }
    }

    fn dingtalk(&self) -> &FakeDingTalk {
        match self {
            Fake::DingTalk(f) => f,
            Fake::ClassIn(_) => panic!("a DingTalk endpoint on the ClassIn fake"),
        }
    }

    fn classin(&self) -> &FakeClassIn {
        match self {
            Fake::ClassIn(f) => f,
            Fake::DingTalk(_) => panic!("a ClassIn endpoint on the DingTalk fake"),
        }
    }

    fn calls(&self, api: Api) -> usize {
        match (self, api) {
            (Fake::DingTalk(f), Api::EduPeriodCreate) => {
                f.call_count::<period::EduPeriodCreateRequest>()
            }
            (Fake::DingTalk(f), Api::StudentpoolBatchadd) => {
                f.call_count::<pool::IndustryStudentpoolBatchaddRequest>()
            }
            (Fake::DingTalk(f), _) => f.call_count::<ext::CorpExtcontactUpdateRequest>(),
            (Fake::ClassIn(f), _) => f.call_count::<classin::AddCourseStudentMultipleRequest>(),
        }
    }

    fn refused(&self) -> usize {
        match self {
            Fake::DingTalk(f) => f.refusals().len(),
            Fake::ClassIn(f) => f.refusals().len(),
        }
    }
}

/// What a scenario answers: the first call's answer when it is special, then every call's.
type Script<E> = (Option<Answer<E>>, fn() -> Answer<E>);

fn code<E: Endpoint>(n: i64) -> E::ErrorCode {
    <E::ErrorCode as ErrorCode>::from_code(n)
}

/// The answers of `scenario` for `E`: what the first call gets (if special), and what every
/// other call gets.
fn answers<E: Endpoint>(
    scenario: Scenario,
    success: fn() -> Answer<E>,
    documented: fn() -> Answer<E>,
    retryable: fn() -> Answer<E>,
) -> Script<E> {
    match scenario {
        Scenario::Success | Scenario::BadCredentials => (None, success),
        Scenario::DocumentedError => (None, documented),
        Scenario::RetryableThenSuccess => (Some(retryable()), success),
        Scenario::MalformedBody => (
            Some(Answer::raw(
                502,
                "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )),
            success,
        ),
        Scenario::Slow => (Some(success().delayed(Duration::from_secs(3))), success),
    }
}

fn script(fake: &Fake, api: Api, scenario: Scenario) {
    match api {
        Api::EduPeriodCreate => {
            type E = period::EduPeriodCreateRequest;
            let (first, then) = answers::<E>(
                scenario,
                || {
                    let mut result = period::OpenPeriodCreateResponse::new();
                    result.dept_id = Some(415999017);
                    let mut response = period::EduPeriodCreateResponse::new();
                    response.result = Some(result);
                    response.success = Some(true);
                    Answer::ok(response)
                },
                || Answer::error(code::<E>(88), "ding talk error"),
                || Answer::error(code::<E>(-1), "系统繁忙"),
            );
            serve_dingtalk(fake.dingtalk(), first, then);
        }
        Api::StudentpoolBatchadd => {
            type E = pool::IndustryStudentpoolBatchaddRequest;
            let (first, then) = answers::<E>(
                scenario,
                || {
                    let mut response = pool::IndustryStudentpoolBatchaddResponse::new();
                    response.result = Some(vec!["丁小明".into()]);
                    Answer::ok(response)
                },
                || Answer::error(code::<E>(88), "ding talk error"),
                || Answer::error(code::<E>(-1), "系统繁忙"),
            );
            serve_dingtalk(fake.dingtalk(), first, then);
        }
        Api::ExtcontactUpdate => {
            type E = ext::CorpExtcontactUpdateRequest;
            let (first, then) = answers::<E>(
                scenario,
                || {
                    let mut result = ext::DingOpenResult::new();
                    result.success = Some(true);
                    result.ding_open_errcode = Some(0);
                    let mut response = ext::CorpExtcontactUpdateResponse::new();
                    response.result = Some(result);
                    Answer::ok(response)
                },
                || {
                    Answer::error(code::<E>(50), "Remote service error")
                        .with_sub("isv.invalid-parameter", "非法参数")
                },
                || {
                    Answer::error(code::<E>(15), "Remote service error")
                        .with_sub("isp.-1", "系统繁忙")
                },
            );
            serve_dingtalk(fake.dingtalk(), first, then);
        }
        Api::AddCourseStudentMultiple => {
            type E = classin::AddCourseStudentMultipleRequest;
            let (first, then) = answers::<E>(
                scenario,
                || {
                    let mut item = classin::StudentAddResult::new(1);
                    item.custom_column = Some("123".into());
                    let mut response = classin::AddCourseStudentMultipleResponse::new();
                    response.data = Some(vec![item]);
                    Answer::ok(response)
                },
                || {
                    Answer::error(
                        classin::AddCourseStudentMultipleErrorCode::CourseNotInSchool,
                        "表示机构下无此课程",
                    )
                },
                || Answer::error(code::<E>(464), "表示课程学生正在被其他请求创建"),
            );
            let fake = fake.classin();
            if let Some(a) = first {
                fake.once(a);
            }
            fake.on::<E, _>(move |_| then());
        }
    }
}

/// Registers answers for a DingTalk endpoint: `first` for the first call, then `then`.
fn serve_dingtalk<E>(fake: &FakeDingTalk, first: Option<Answer<E>>, then: fn() -> Answer<E>)
where
    E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
    E::Response: Serialize + Send + Sync,
{
    if let Some(a) = first {
        fake.once(a);
    }
    fake.on::<E, _>(move |_| then());
}

fn timeout(scenario: Scenario) -> Duration {
    if scenario == Scenario::Slow {
        Duration::from_millis(300)
    } else {
        Duration::from_secs(10)
    }
}

fn dingtalk_client(base: &str, scenario: Scenario) -> generated_client::dingtalk::DingTalkClient {
    let secret = if scenario == Scenario::BadCredentials {
        "wrong-secret"
    } else {
        APP_SECRET
    };
    generated_client::dingtalk::DingTalkClient::new(
        client_runtime::dingtalk::DingTalkClient::builder()
            .app_credentials(APP_KEY, secret)
            .oapi_base_url(base)
            .top_base_url(base)
            .clock(ManualClock::at_unix(NOW))
            .retry_policy(RetryPolicy::fixed(3, Duration::from_millis(10)))
            .timeout(timeout(scenario))
            .build()
            .unwrap(),
    )
}

fn classin_client(base: &str, scenario: Scenario) -> generated_client::classin::ClassInClient {
    let secret = if scenario == Scenario::BadCredentials {
        "wrong-secret"
    } else {
        SECRET
    };
    generated_client::classin::ClassInClient::new(
        client_runtime::classin::ClassInClient::builder(SID, secret)
            .base_url(base)
            .clock(ManualClock::at_unix(NOW))
            .retry_policy(RetryPolicy::fixed(3, Duration::from_millis(10)))
            .timeout(timeout(scenario))
            .build()
            .unwrap(),
    )
}

/// How a call ended, reduced to what each scenario must show.
#[derive(Debug, PartialEq)]
enum Ended {
    Ok,
    DingTalk(i64),
    Top(i64, Option<String>),
    ClassIn(i64),
    TokenRejected(i64),
    UnexpectedBody(u16),
    Timeout,
    Other(String),
}

fn ended<T, C: ErrorCode>(r: Result<T, Error<C>>) -> Ended {
    match r {
        Ok(_) => Ended::Ok,
        Err(Error::DingTalk { errcode, .. }) => Ended::DingTalk(errcode),
        Err(Error::Top { code, sub_code, .. }) => Ended::Top(code, sub_code),
        Err(Error::ClassIn { code, .. }) => Ended::ClassIn(code.code()),
        Err(Error::Token(client_runtime::TokenError::Api { errcode, .. })) => {
            Ended::TokenRejected(errcode)
        }
        Err(Error::UnexpectedBody { status, .. }) => Ended::UnexpectedBody(status),
        Err(e) if e.is_timeout() => Ended::Timeout,
        Err(e) => Ended::Other(e.to_string()),
    }
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
    let mut student = pool::TrainingStudentDto::new();
    student.name = Some("丁小明".into());
    student.patriarchs = Some(vec![pool::PatriarchDto::new()]);
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
        .build();
    ext::CorpExtcontactUpdateRequest::new(contact)
}

fn classin_request() -> classin::AddCourseStudentMultipleRequest {
    let mut account = classin::StudentAccount::new("1001001".into());
    account.custom_column = Some("123".into());
    classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(vec![account])
        .build()
}

async fn call(api: Api, base: &str, scenario: Scenario) -> Ended {
    match api {
        Api::EduPeriodCreate => ended(
            dingtalk_client(base, scenario)
                .edu_period_create(&period_request())
                .await,
        ),
        Api::StudentpoolBatchadd => ended(
            dingtalk_client(base, scenario)
                .industry_studentpool_batchadd(&pool_request())
                .await,
        ),
        Api::ExtcontactUpdate => ended(
            dingtalk_client(base, scenario)
                .corp_extcontact_update(&ext_request())
                .await,
        ),
        Api::AddCourseStudentMultiple => ended(
            classin_client(base, scenario)
                .add_course_student_multiple(&classin_request())
                .await,
        ),
    }
}

/// What each scenario must end in, and how many endpoint calls the fake must have accepted.
fn expected(api: Api, scenario: Scenario) -> (Ended, usize) {
    use Api::*;
    use Scenario::*;
    match (scenario, api) {
        (Success, _) => (Ended::Ok, 1),
        (DocumentedError, EduPeriodCreate | StudentpoolBatchadd) => (Ended::DingTalk(88), 1),
        (DocumentedError, ExtcontactUpdate) => {
            (Ended::Top(50, Some("isv.invalid-parameter".into())), 1)
        }
        (DocumentedError, AddCourseStudentMultiple) => (Ended::ClassIn(144), 1),
        // DingTalk: the app secret is refused at `gettoken`; ClassIn: the safeKey is refused.
        (BadCredentials, AddCourseStudentMultiple) => (Ended::ClassIn(102), 0),
        (BadCredentials, _) => (Ended::TokenRejected(40089), 0),
        (RetryableThenSuccess, _) => (Ended::Ok, 2),
        (MalformedBody, _) => (Ended::UnexpectedBody(502), 1),
        // A timed-out call is not retried: the server may have done the work.
        (Slow, _) => (Ended::Timeout, 1),
    }
}

async fn scenario_matrix(api: Api) {
    for scenario in ALL {
        let fake = Fake::start(api).await;
        script(&fake, api, scenario);
        let got = call(api, fake.base(), scenario).await;
        let (want, calls) = expected(api, scenario);
        assert_eq!(got, want, "{api:?} / {scenario:?}");
        assert_eq!(
            fake.calls(api),
            calls,
            "{api:?} / {scenario:?}: accepted calls"
        );
        // Bad credentials are refused once (at `gettoken`, or the ClassIn call itself); every
        // other request passes the fake's checks: its token, parameters and limits.
        let expected_refusals = usize::from(scenario == Scenario::BadCredentials);
        assert_eq!(
            fake.refused(),
            expected_refusals,
            "{api:?} / {scenario:?}: requests the fake refused"
        );
        if let Fake::DingTalk(f) = &fake {
            assert_eq!(f.token_fetches(), 1, "{api:?} / {scenario:?}: one gettoken");
        }
    }
}

#[tokio::test]
async fn edu_period_create_every_scenario() {
    scenario_matrix(Api::EduPeriodCreate).await;
}

#[tokio::test]
async fn industry_studentpool_batchadd_every_scenario() {
    scenario_matrix(Api::StudentpoolBatchadd).await;
}

#[tokio::test]
async fn corp_extcontact_update_every_scenario() {
    scenario_matrix(Api::ExtcontactUpdate).await;
}

#[tokio::test]
async fn add_course_student_multiple_every_scenario() {
    scenario_matrix(Api::AddCourseStudentMultiple).await;
}

/// The fake refuses a time stamp more than 20 minutes off, as ClassIn does.
#[tokio::test]
async fn classin_refuses_a_clock_more_than_20_minutes_off() {
    let fake = Fake::start(Api::AddCourseStudentMultiple).await;
    script(&fake, Api::AddCourseStudentMultiple, Scenario::Success);
    let client = generated_client::classin::ClassInClient::new(
        client_runtime::classin::ClassInClient::builder(SID, SECRET)
            .base_url(fake.base())
            .clock(ManualClock::at_unix(NOW + 21 * 60))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    );
    let got = ended(client.add_course_student_multiple(&classin_request()).await);
    assert_eq!(got, Ended::ClassIn(102));
    assert_eq!(fake.refused(), 1);
    assert_eq!(fake.calls(Api::AddCourseStudentMultiple), 0);
}

/// Each request reaches the fake exactly as it was built: the fake reads the wire back into the
/// generated request type and it equals the request sent.
#[tokio::test]
async fn every_request_reads_back_from_the_wire_as_it_was_sent() {
    let dingtalk = Fake::start(Api::EduPeriodCreate).await;
    for api in [
        Api::EduPeriodCreate,
        Api::StudentpoolBatchadd,
        Api::ExtcontactUpdate,
    ] {
        script(&dingtalk, api, Scenario::Success);
        assert_eq!(
            call(api, dingtalk.base(), Scenario::Success).await,
            Ended::Ok
        );
    }
    let classin = Fake::start(Api::AddCourseStudentMultiple).await;
    script(&classin, Api::AddCourseStudentMultiple, Scenario::Success);
    assert_eq!(
        call(
            Api::AddCourseStudentMultiple,
            classin.base(),
            Scenario::Success
        )
        .await,
        Ended::Ok
    );
    let (Fake::DingTalk(d), Fake::ClassIn(c)) = (&dingtalk, &classin) else {
        unreachable!("started as such")
    };
    assert_eq!(
        d.calls::<period::EduPeriodCreateRequest>(),
        vec![period_request()]
    );
    assert_eq!(
        d.calls::<pool::IndustryStudentpoolBatchaddRequest>(),
        vec![pool_request()]
    );
    assert_eq!(
        d.calls::<ext::CorpExtcontactUpdateRequest>(),
        vec![ext_request()]
    );
    assert_eq!(
        c.calls::<classin::AddCourseStudentMultipleRequest>(),
        vec![classin_request()]
    );
}
