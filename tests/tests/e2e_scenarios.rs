//! Every failure mode, for each of the four generated endpoints, through its generated client
//! method, against loopback servers that check what the real servers check: the access token, the
//! TOP system parameters, the ClassIn `safeKey` and its 20-minute window, and that the body
//! decodes into the endpoint's request type and passes its limits. Scenarios: success, a
//! documented error, bad credentials, a retryable error followed by success, a malformed body,
//! and a server slower than the timeout.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use client_runtime::{Error, ErrorCode, ManualClock, RetryPolicy, Validate};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::{
    corp_extcontact_update as ext, edu_period_create as period,
    industry_studentpool_batchadd as pool,
};
use md5::{Digest, Md5};

/// 2017-05-02 11:51:10 UTC; 19:51:10 in GMT+8.
const NOW: i64 = 1_493_725_870;
const NOW_GMT8: &str = "2017-05-02 19:51:10";
const APP_KEY: &str = "scenario-app-key";
const APP_SECRET: &str = "scenario-app-secret";
const TOKEN: &str = "scenario-access-token";
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
enum Endpoint {
    EduPeriodCreate,
    StudentpoolBatchadd,
    ExtcontactUpdate,
    AddCourseStudentMultiple,
}

struct Server {
    endpoint: Endpoint,
    scenario: Scenario,
    /// Calls of the endpoint that passed the server's checks.
    calls: AtomicUsize,
    /// `gettoken` calls.
    token_fetches: AtomicUsize,
    /// Requests the server refused as a real one would (bad token, signature, parameters).
    refused: AtomicUsize,
}

struct Seen {
    path: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    content_type: String,
    body: String,
}

impl Seen {
    fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    fn f(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn json(status: u16, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json;charset=UTF-8")
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

/// The request decodes into `T` (the generated type) and passes its documented limits.
fn decodes<T: serde::de::DeserializeOwned + Validate>(text: &str) -> bool {
    serde_json::from_str::<T>(text).is_ok_and(|v| v.validate().is_ok())
}

impl Server {
    /// What a real server would refuse, as its answer; `None` when the request is acceptable.
    fn refuse(&self, r: &Seen) -> Option<&'static str> {
        match self.endpoint {
            Endpoint::EduPeriodCreate | Endpoint::StudentpoolBatchadd => {
                if r.q("access_token") != Some(TOKEN) {
                    return Some(r#"{"errcode":40014,"errmsg":"不合法的access_token"}"#);
                }
                let ok = r.content_type.starts_with("application/json")
                    && match self.endpoint {
                        Endpoint::EduPeriodCreate => {
                            r.path == "/topapi/edu/period/create"
                                && decodes::<period::EduPeriodCreateRequest>(&r.body)
                        }
                        _ => {
                            r.path == "/topapi/industry/studentpool/batchadd"
                                && decodes::<pool::IndustryStudentpoolBatchaddRequest>(&r.body)
                        }
                    };
                (!ok).then_some(r#"{"errcode":40035,"errmsg":"不合法的参数"}"#)
            }
            Endpoint::ExtcontactUpdate => {
                if r.q("session") != Some(TOKEN) {
                    return Some(
                        r#"{"error_response":{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey","request_id":"s1"}}"#,
                    );
                }
                let system = r.path == "/router/rest"
                    && r.q("method") == Some("dingtalk.corp.extcontact.update")
                    && r.q("v") == Some("2.0")
                    && r.q("format") == Some("json")
                    && r.q("timestamp") == Some(NOW_GMT8);
                let body = r
                    .content_type
                    .starts_with("application/x-www-form-urlencoded")
                    && r.f("contact").is_some_and(decodes::<ext::OpenExtContact>);
                (!(system && body)).then_some(
                    r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"s2"}}"#,
                )
            }
            Endpoint::AddCourseStudentMultiple => {
                let ts = r.f("timeStamp").and_then(|t| t.parse::<i64>().ok());
                let expected =
                    ts.map(|t| hex::encode(Md5::digest(format!("{SECRET}{t}").as_bytes())));
                let authentic = r.f("SID") == Some(SID)
                    && ts.is_some_and(|t| (t - NOW).abs() <= 20 * 60)
                    && expected
                        .as_deref()
                        .is_some_and(|k| r.f("safeKey") == Some(k));
                if !authentic {
                    return Some(
                        r#"{"error_info":{"errno":102,"error":"表示无权限(安全验证没通过)"}}"#,
                    );
                }
                let ok = r.path == "/partner/api/course.api.php"
                    && r.q("action") == Some("addCourseStudentMultiple")
                    && r.f("courseId").is_some_and(|c| c.parse::<i64>().is_ok())
                    && matches!(r.f("identity"), Some("1" | "2"))
                    && r.f("studentJson")
                        .is_some_and(decodes::<Vec<classin::StudentAccount>>);
                (!ok).then_some(r#"{"error_info":{"errno":100,"error":"表示参数不全或错误"}}"#)
            }
        }
    }

    fn success(&self) -> &'static str {
        match self.endpoint {
            Endpoint::EduPeriodCreate => {
                r#"{"result":{"deptId":415999017,"grades":[{"campus_id":415999016,"dept_id":415998012,"grade":1,"name":"一年级2020级","super_id":415999017}]},"success":true,"errcode":0,"errmsg":"demo"}"#
            }
            Endpoint::StudentpoolBatchadd => {
                r#"{"result":["丁小明"],"success":true,"errcode":0,"errmsg":"成功"}"#
            }
            Endpoint::ExtcontactUpdate => {
                r#"{"dingtalk_corp_extcontact_update_response":{"result":{"ding_open_errcode":0,"error_msg":"成功","success":true},"request_id":"s3"}}"#
            }
            Endpoint::AddCourseStudentMultiple => {
                r#"{"data":[{"customColumn":"123","errno":1,"error":"程序正常执行"}],"error_info":{"errno":1,"error":"程序正常执行"}}"#
            }
        }
    }

    fn documented_error(&self) -> &'static str {
        match self.endpoint {
            Endpoint::EduPeriodCreate | Endpoint::StudentpoolBatchadd => {
                r#"{"errcode":88,"errmsg":"ding talk error"}"#
            }
            Endpoint::ExtcontactUpdate => {
                r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"s4"}}"#
            }
            Endpoint::AddCourseStudentMultiple => {
                r#"{"error_info":{"errno":144,"error":"表示机构下无此课程"}}"#
            }
        }
    }

    fn retryable(&self) -> &'static str {
        match self.endpoint {
            Endpoint::EduPeriodCreate | Endpoint::StudentpoolBatchadd => {
                r#"{"errcode":-1,"errmsg":"系统繁忙"}"#
            }
            Endpoint::ExtcontactUpdate => {
                r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.-1","sub_msg":"系统繁忙","request_id":"s5"}}"#
            }
            Endpoint::AddCourseStudentMultiple => {
                r#"{"error_info":{"errno":464,"error":"表示课程学生正在被其他请求创建(并发请求可能会导致该错误)"}}"#
            }
        }
    }
}

async fn handle(
    State(s): State<Arc<Server>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = String::from_utf8_lossy(&body).into_owned();
    let seen = Seen {
        path: uri.path().to_owned(),
        query: serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default(),
        form: if content_type.starts_with("application/x-www-form-urlencoded") {
            serde_urlencoded::from_str(&body).unwrap_or_default()
        } else {
            Vec::new()
        },
        content_type,
        body,
    };
    if seen.path == "/gettoken" {
        s.token_fetches.fetch_add(1, Ordering::SeqCst);
        return if seen.q("appkey") == Some(APP_KEY) && seen.q("appsecret") == Some(APP_SECRET) {
            json(
                200,
                &format!(
                    r#"{{"errcode":0,"errmsg":"ok","access_token":"{TOKEN}","expires_in":7200}}"#
                ),
            )
        } else {
            json(
                200,
                r#"{"errcode":40089,"errmsg":"不合法的corpid或corpsecret"}"#,
            )
        };
    }
    if let Some(refusal) = s.refuse(&seen) {
        s.refused.fetch_add(1, Ordering::SeqCst);
        return json(200, refusal);
    }
    let n = s.calls.fetch_add(1, Ordering::SeqCst);
    match s.scenario {
        Scenario::Success | Scenario::BadCredentials => json(200, s.success()),
        Scenario::DocumentedError => json(200, s.documented_error()),
        Scenario::RetryableThenSuccess if n == 0 => json(200, s.retryable()),
        Scenario::RetryableThenSuccess => json(200, s.success()),
        Scenario::MalformedBody => Response::builder()
            .status(502)
            .header("content-type", "text/html")
            .body(axum::body::Body::from(
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            ))
            .unwrap(),
        Scenario::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            json(200, s.success())
        }
    }
}

async fn start(endpoint: Endpoint, scenario: Scenario) -> (Arc<Server>, String) {
    let server = Arc::new(Server {
        endpoint,
        scenario,
        calls: AtomicUsize::new(0),
        token_fetches: AtomicUsize::new(0),
        refused: AtomicUsize::new(0),
    });
    let router = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (server, base)
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

async fn call(endpoint: Endpoint, base: &str, scenario: Scenario) -> Ended {
    match endpoint {
        Endpoint::EduPeriodCreate => {
            let grades = vec![period::Grades::new(
                "2".into(),
                0,
                "二年级2019级".into(),
                "2019".into(),
            )];
            let open = period::OpenPeriod::new(
                period::Step::PrimarySchool,
                grades,
                period::PeriodCode::HighSchool,
            );
            let request = period::EduPeriodCreateRequest::new(1233, "12334".into(), open);
            ended(
                dingtalk_client(base, scenario)
                    .edu_period_create(&request)
                    .await,
            )
        }
        Endpoint::StudentpoolBatchadd => {
            let mut student = pool::TrainingStudentDto::new();
            student.name = Some("丁小明".into());
            student.patriarchs = Some(vec![pool::PatriarchDto::new()]);
            let mut request = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
            request.student_list = Some(vec![student]);
            ended(
                dingtalk_client(base, scenario)
                    .industry_studentpool_batchadd(&request)
                    .await,
            )
        }
        Endpoint::ExtcontactUpdate => {
            let contact = ext::OpenExtContact::new(
                vec![1, 2, 3],
                "023420013645".into(),
                "张三".into(),
                "123420013632".into(),
            );
            let request = ext::CorpExtcontactUpdateRequest::new(contact);
            ended(
                dingtalk_client(base, scenario)
                    .corp_extcontact_update(&request)
                    .await,
            )
        }
        Endpoint::AddCourseStudentMultiple => {
            let mut account = classin::StudentAccount::new("1001001".into());
            account.custom_column = Some("123".into());
            let request = classin::AddCourseStudentMultipleRequest::new(490583, vec![account]);
            ended(
                classin_client(base, scenario)
                    .add_course_student_multiple(&request)
                    .await,
            )
        }
    }
}

/// What each scenario must end in, and how many endpoint calls the server must have accepted.
fn expected(endpoint: Endpoint, scenario: Scenario) -> (Ended, usize) {
    use Endpoint::*;
    use Scenario::*;
    match (scenario, endpoint) {
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

async fn scenario_matrix(endpoint: Endpoint) {
    for scenario in ALL {
        let (server, base) = start(endpoint, scenario).await;
        let got = call(endpoint, &base, scenario).await;
        let (want, calls) = expected(endpoint, scenario);
        assert_eq!(got, want, "{endpoint:?} / {scenario:?}");
        assert_eq!(
            server.calls.load(Ordering::SeqCst),
            calls,
            "{endpoint:?} / {scenario:?}: accepted calls"
        );
        let refused = server.refused.load(Ordering::SeqCst);
        let expected_refusals = usize::from(
            scenario == Scenario::BadCredentials && endpoint == Endpoint::AddCourseStudentMultiple,
        );
        assert_eq!(
            refused, expected_refusals,
            "{endpoint:?} / {scenario:?}: requests the server refused"
        );
        if endpoint != Endpoint::AddCourseStudentMultiple {
            assert_eq!(
                server.token_fetches.load(Ordering::SeqCst),
                1,
                "{endpoint:?} / {scenario:?}: one gettoken"
            );
        }
    }
}

#[tokio::test]
async fn edu_period_create_every_scenario() {
    scenario_matrix(Endpoint::EduPeriodCreate).await;
}

#[tokio::test]
async fn industry_studentpool_batchadd_every_scenario() {
    scenario_matrix(Endpoint::StudentpoolBatchadd).await;
}

#[tokio::test]
async fn corp_extcontact_update_every_scenario() {
    scenario_matrix(Endpoint::ExtcontactUpdate).await;
}

#[tokio::test]
async fn add_course_student_multiple_every_scenario() {
    scenario_matrix(Endpoint::AddCourseStudentMultiple).await;
}

/// The server refuses a time stamp more than 20 minutes off, as ClassIn does.
#[tokio::test]
async fn classin_refuses_a_clock_more_than_20_minutes_off() {
    let (server, base) = start(Endpoint::AddCourseStudentMultiple, Scenario::Success).await;
    let client = generated_client::classin::ClassInClient::new(
        client_runtime::classin::ClassInClient::builder(SID, SECRET)
            .base_url(&base)
            .clock(ManualClock::at_unix(NOW + 21 * 60))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    );
    let request = classin::AddCourseStudentMultipleRequest::new(
        490583,
        vec![classin::StudentAccount::new("1".into())],
    );
    let got = ended(client.add_course_student_multiple(&request).await);
    assert_eq!(got, Ended::ClassIn(102));
    assert_eq!(server.refused.load(Ordering::SeqCst), 1);
}
