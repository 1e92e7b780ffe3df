//! The fake vendors of the `testing` feature, driven by the runtime's clients with hand-written
//! endpoints of each family: what they check, how they read requests back, what they answer
//! and what they record.

use std::time::Duration;

use client_runtime::testing::{Answer, FakeClassIn, FakeDingTalk};
use client_runtime::validate::check;
use client_runtime::{
    classin, dingtalk, CodeKind, Endpoint, Error, ErrorCode, FieldEncoding, File, HttpMethod,
    ManualClock, Path, Protocol, RetryPolicy, Route, SignMethod, TopSigning, Validate, Violations,
};
use serde::{Deserialize, Serialize};

const NOW: i64 = 1_493_725_870;
const APP_KEY: &str = "fake-app-key";
const APP_SECRET: &str = "FAKE-APP-SECRET-do-not-log";
const SID: &str = "2339736";
const SECRET: &str = "FAKE-CLASSIN-SECRET-do-not-log";

/// Codes of the test endpoints: 0 and 1 succeed, 841 is a partial success, -1 and 464 are
/// retryable, anything else fails.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Code(i64);

impl ErrorCode for Code {
    fn from_code(code: i64) -> Self {
        Code(code)
    }
    fn code(&self) -> i64 {
        self.0
    }
    fn meaning(&self) -> Option<&'static str> {
        None
    }
    fn kind(&self) -> CodeKind {
        match self.0 {
            0 | 1 => CodeKind::Success,
            841 => CodeKind::PartialSuccess,
            -1 | 464 => CodeKind::Retryable,
            _ => CodeKind::Failure,
        }
    }
}

// ---- an oapi endpoint -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Create {
    super_id: i64,
    operator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
}

impl Validate for Create {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        check::non_empty(&path.field("operator", "operator"), &self.operator, out);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct CreateResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    result: Option<i64>,
}

impl Endpoint for Create {
    const API_NAME: &'static str = "dingtalk.oapi.fake.create";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/fake/create");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = CreateResponse;
    type ErrorCode = Code;
}

fn create() -> Create {
    Create {
        super_id: 1233,
        operator: "12334".into(),
        tags: Some(vec!["a".into()]),
    }
}

// ---- a TOP endpoint ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Contact {
    name: String,
    label_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Update {
    contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ids: Option<Vec<i64>>,
}

impl Validate for Update {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let p = path.field("contact", "contact");
        check::items(
            &p.field("label_ids", "label_ids"),
            self.contact.label_ids.len(),
            Some(1),
            None,
            out,
        );
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct UpdateResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    result: Option<UpdateResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct UpdateResult {
    success: Option<bool>,
}

impl Endpoint for Update {
    const API_NAME: &'static str = "dingtalk.corp.fake.update";
    const PROTOCOL: Protocol = Protocol::DingTalkTop;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::TopMethod("dingtalk.corp.fake.update");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] =
        &[("contact", FieldEncoding::Json)];
    type Response = UpdateResponse;
    type ErrorCode = Code;
}

fn update() -> Update {
    Update {
        contact: Contact {
            name: "张三".into(),
            label_ids: vec![1, 2],
        },
        ids: Some(vec![7, 8, 9]),
    }
}

// ---- a ClassIn endpoint -----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Student {
    uid: String,
    #[serde(
        rename = "customColumn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    custom_column: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AddStudents {
    #[serde(rename = "courseId")]
    course_id: i64,
    identity: i64,
    #[serde(rename = "studentJson")]
    student_json: Vec<Student>,
}

impl Validate for AddStudents {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let p = path.field("student_json", "studentJson");
        check::items(&p, self.student_json.len(), Some(1), None, out);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct AddStudentsResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<Vec<Added>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Added {
    uid: String,
    errno: i64,
}

impl Endpoint for AddStudents {
    const API_NAME: &'static str = "classin.course.fakeAddStudents";
    const PROTOCOL: Protocol = Protocol::ClassInV1;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Action {
        path: "/partner/api/course.api.php",
        action: "fakeAddStudents",
    };
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] =
        &[("studentJson", FieldEncoding::Json)];
    type Response = AddStudentsResponse;
    type ErrorCode = Code;
}

fn add_students() -> AddStudents {
    AddStudents {
        course_id: 490583,
        identity: 1,
        student_json: vec![Student {
            uid: "1001001".into(),
            custom_column: Some("123".into()),
        }],
    }
}

// ---- a ClassIn upload (multipart) ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Upload {
    #[serde(rename = "folderId")]
    folder_id: i64,
    #[serde(rename = "Filedata")]
    file_data: File,
}

impl Validate for Upload {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        let p = path.field("file_data", "Filedata");
        check::file(&p, &self.file_data, Some(16), &[], &[], out);
    }
}

impl Endpoint for Upload {
    const API_NAME: &'static str = "classin.cloud.fakeUpload";
    const PROTOCOL: Protocol = Protocol::ClassInV1;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Action {
        path: "/partner/api/cloud.api.php",
        action: "fakeUpload",
    };
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = AddStudentsResponse;
    type ErrorCode = Code;

    fn files(&self) -> Vec<(&'static str, &File)> {
        vec![("Filedata", &self.file_data)]
    }
}

// ---- clients ----------------------------------------------------------------------------------

async fn dingtalk_fake() -> FakeDingTalk {
    FakeDingTalk::builder(APP_KEY, APP_SECRET)
        .clock(ManualClock::at_unix(NOW))
        .start()
        .await
        .unwrap()
}

fn dingtalk_client(fake: &FakeDingTalk) -> dingtalk::DingTalkClientBuilder {
    dingtalk::DingTalkClient::builder()
        .app_credentials(APP_KEY, APP_SECRET)
        .oapi_base_url(fake.oapi_base_url())
        .top_base_url(fake.top_base_url())
        .clock(ManualClock::at_unix(NOW))
        .retry_policy(RetryPolicy::fixed(2, Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
}

async fn classin_fake() -> FakeClassIn {
    FakeClassIn::builder(SID, SECRET)
        .clock(ManualClock::at_unix(NOW))
        .start()
        .await
        .unwrap()
}

fn classin_client(fake: &FakeClassIn, secret: &str, at: i64) -> classin::ClassInClient {
    classin::ClassInClient::builder(SID, secret)
        .base_url(fake.base_url())
        .clock(ManualClock::at_unix(at))
        .retry_policy(RetryPolicy::fixed(2, Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

// ---- oapi -------------------------------------------------------------------------------------

#[tokio::test]
async fn oapi_serves_gettoken_decodes_the_body_and_answers_the_registered_response() {
    let fake = dingtalk_fake().await;
    fake.on::<Create, _>(|req| {
        Answer::ok(CreateResponse {
            result: Some(req.super_id + 1),
        })
    });
    let client = dingtalk_client(&fake).build().unwrap();
    let reply = client.call_detailed(&create()).await.unwrap();
    assert_eq!(reply.response.result, Some(1234));
    assert!(reply.request_id.is_some(), "the fake sends a request_id");
    assert_eq!(fake.calls::<Create>(), vec![create()]);
    assert_eq!(fake.call_count::<Create>(), 1);
    assert_eq!(fake.token_fetches(), 1);
    assert!(fake.refusals().is_empty(), "{:?}", fake.refusals());
}

#[tokio::test]
async fn oapi_refuses_a_token_it_did_not_issue() {
    let fake = dingtalk_fake().await;
    fake.accept::<Create>();
    let client = dingtalk::DingTalkClient::builder()
        .access_token("NOT-ISSUED-TOKEN")
        .oapi_base_url(fake.oapi_base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client.call(&create()).await.unwrap_err();
    assert!(matches!(e, Error::DingTalk { errcode: 40001, .. }), "{e:?}");
    assert_eq!(fake.call_count::<Create>(), 0);
    let refusals = fake.refusals();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].api_name, Some(Create::API_NAME));

    fake.accept_token("NOT-ISSUED-TOKEN");
    client.call(&create()).await.unwrap();
    assert_eq!(fake.call_count::<Create>(), 1);
}

#[tokio::test]
async fn gettoken_refuses_a_wrong_secret() {
    let fake = dingtalk_fake().await;
    fake.accept::<Create>();
    let client = dingtalk_client(&fake)
        .app_credentials(APP_KEY, "wrong")
        .build()
        .unwrap();
    let e = client.call(&create()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Token(client_runtime::TokenError::Api { errcode: 40089, .. })
        ),
        "{e:?}"
    );
    assert_eq!(fake.call_count::<Create>(), 0);
}

#[tokio::test]
async fn a_body_that_breaks_a_documented_limit_gets_the_parameter_error() {
    let fake = dingtalk_fake().await;
    fake.accept::<Create>();
    fake.accept_token("T");
    let http = reqwest::Client::new();
    let url = format!("{}/topapi/fake/create?access_token=T", fake.oapi_base_url());
    let send = |body: &'static str| {
        http.post(&url)
            .header("content-type", "application/json;charset=UTF-8")
            .body(body)
            .send()
    };
    let invalid: serde_json::Value = send(r#"{"super_id":1,"operator":""}"#)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(invalid["errcode"], 40035, "{invalid}");
    let undecodable: serde_json::Value = send(r#"{"operator":"x"}"#)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(undecodable["errcode"], 40035, "{undecodable}");
    assert!(undecodable["errmsg"].as_str().unwrap().contains("super_id"));
    assert_eq!(fake.call_count::<Create>(), 0);
    assert_eq!(fake.refusals().len(), 2);
}

#[tokio::test]
async fn documented_errors_partial_successes_raw_bodies_and_delays() {
    let fake = dingtalk_fake().await;
    let client = dingtalk_client(&fake).build().unwrap();

    fake.once::<Create>(Answer::error(Code(88), "ding talk error").with_sub("60011", "没有权限"));
    match client.call(&create()).await {
        Err(Error::DingTalk {
            errcode: 88,
            sub_code: Some(sub),
            ..
        }) => assert_eq!(sub, "60011"),
        other => panic!("{other:?}"),
    }

    fake.once::<Create>(Answer::partial(
        Code(841),
        "done, but",
        CreateResponse { result: Some(5) },
    ));
    let reply = client.call_detailed(&create()).await.unwrap();
    assert_eq!(reply.response.result, Some(5));
    assert_eq!(reply.partial.unwrap().code, Code(841));

    fake.once::<Create>(Answer::raw(
        502,
        "text/html",
        "<html>502 Bad Gateway</html>",
    ));
    let e = client.call(&create()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 502, .. }),
        "{e:?}"
    );

    fake.once::<Create>(Answer::empty().delayed(Duration::from_millis(500)));
    let quick = dingtalk_client(&fake)
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let e = quick.call(&create()).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");

    // Nothing queued, no handler: an empty success.
    let response = client.call(&create()).await.unwrap();
    assert_eq!(response, CreateResponse::default());
}

#[tokio::test]
async fn a_retried_request_is_recorded_with_its_attempt_number() {
    let fake = dingtalk_fake().await;
    fake.once::<Create>(Answer::error(Code(-1), "系统繁忙"));
    fake.on::<Create, _>(|_| Answer::ok(CreateResponse { result: Some(1) }));
    let client = dingtalk_client(&fake).build().unwrap();
    let reply = client.call_detailed(&create()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    let attempts: Vec<u32> = fake
        .recorded::<Create>()
        .iter()
        .map(|r| r.attempt)
        .collect();
    assert_eq!(attempts, vec![1, 2]);
}

#[tokio::test]
async fn an_endpoint_not_served_is_unknown() {
    let fake = dingtalk_fake().await;
    let client = dingtalk_client(&fake).build().unwrap();
    let e = client.call(&create()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 404, .. }),
        "{e:?}"
    );
    let e = client.call(&update()).await.unwrap_err();
    assert!(matches!(e, Error::Top { code: 22, .. }), "{e:?}");
    assert_eq!(fake.refusals().len(), 2);
}

// ---- TOP --------------------------------------------------------------------------------------

#[tokio::test]
async fn top_reads_json_fields_and_comma_joined_lists_back() {
    let fake = dingtalk_fake().await;
    fake.on::<Update, _>(|_| {
        Answer::ok(UpdateResponse {
            result: Some(UpdateResult {
                success: Some(true),
            }),
        })
    });
    let client = dingtalk_client(&fake).build().unwrap();
    let reply = client.call_detailed(&update()).await.unwrap();
    assert_eq!(reply.response.result.unwrap().success, Some(true));
    assert!(reply.request_id.is_some());
    assert_eq!(fake.calls::<Update>(), vec![update()]);
}

#[tokio::test]
async fn top_errors_and_a_failed_result() {
    let fake = dingtalk_fake().await;
    let client = dingtalk_client(&fake).build().unwrap();
    fake.once::<Update>(
        Answer::error(Code(50), "Remote service error")
            .with_sub("isv.invalid-parameter", "非法参数"),
    );
    let e = client.call(&update()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Top { code: 50, sub_code: Some(s), .. } if s == "isv.invalid-parameter"),
        "{e:?}"
    );
    fake.once::<Update>(Answer::ok(UpdateResponse {
        result: Some(UpdateResult {
            success: Some(false),
        }),
    }));
    let e = client.call(&update()).await.unwrap_err();
    assert!(matches!(e, Error::TopFailure { .. }), "{e:?}");
}

#[tokio::test]
async fn top_checks_the_timestamp_window_and_the_session() {
    let fake = dingtalk_fake().await;
    fake.accept::<Update>();
    let late = dingtalk_client(&fake)
        .clock(ManualClock::at_unix(NOW + 11 * 60))
        .build()
        .unwrap();
    let e = late.call(&update()).await.unwrap_err();
    assert!(matches!(e, Error::Top { code: 31, .. }), "{e:?}");

    let client = dingtalk::DingTalkClient::builder()
        .access_token("NOT-ISSUED")
        .top_base_url(fake.top_base_url())
        .clock(ManualClock::at_unix(NOW))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client.call(&update()).await.unwrap_err();
    assert!(matches!(e, Error::Top { code: 27, .. }), "{e:?}");
    assert_eq!(fake.call_count::<Update>(), 0);
    assert_eq!(fake.refusals().len(), 2);
}

#[tokio::test]
async fn top_checks_signatures_when_signing_is_configured() {
    for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
        let fake = FakeDingTalk::builder(APP_KEY, APP_SECRET)
            .clock(ManualClock::at_unix(NOW))
            .top_signing(TopSigning::new("top-key", "TOP-SECRET-do-not-log", method))
            .start()
            .await
            .unwrap();
        fake.accept::<Update>();
        let good = dingtalk_client(&fake)
            .top_signing(TopSigning::new("top-key", "TOP-SECRET-do-not-log", method))
            .build()
            .unwrap();
        good.call(&update()).await.unwrap();
        let bad = dingtalk_client(&fake)
            .top_signing(TopSigning::new("top-key", "WRONG", method))
            .build()
            .unwrap();
        let e = bad.call(&update()).await.unwrap_err();
        assert!(matches!(e, Error::Top { code: 25, .. }), "{method}: {e:?}");
        let unsigned = dingtalk_client(&fake).build().unwrap();
        let e = unsigned.call(&update()).await.unwrap_err();
        assert!(matches!(e, Error::Top { code: 29, .. }), "{method}: {e:?}");
        assert_eq!(fake.call_count::<Update>(), 1);
    }
}

#[tokio::test]
async fn top_names_a_missing_required_argument() {
    let fake = dingtalk_fake().await;
    fake.accept::<Update>();
    fake.accept_token("T");
    let url = format!(
        "{}/router/rest?method=dingtalk.corp.fake.update&v=2.0&format=json&timestamp=2017-05-02%2019:51:10&session=T",
        fake.top_base_url()
    );
    let answer: serde_json::Value = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("ids=1,2")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error_response"]["code"], 40, "{answer}");
    assert_eq!(
        answer["error_response"]["sub_code"],
        "isv.missing-parameter:contact"
    );
}

// ---- ClassIn ----------------------------------------------------------------------------------

#[tokio::test]
async fn classin_checks_safe_key_and_reads_the_json_field_back() {
    let fake = classin_fake().await;
    fake.on::<AddStudents, _>(|req| {
        Answer::ok(AddStudentsResponse {
            data: Some(
                req.student_json
                    .iter()
                    .map(|s| Added {
                        uid: s.uid.clone(),
                        errno: 1,
                    })
                    .collect(),
            ),
        })
    });
    let data = classin_client(&fake, SECRET, NOW)
        .call(&add_students())
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(data[0].uid, "1001001");
    assert_eq!(fake.calls::<AddStudents>(), vec![add_students()]);

    let e = classin_client(&fake, "wrong", NOW)
        .call(&add_students())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::ClassIn {
                code: Code(102),
                ..
            }
        ),
        "{e:?}"
    );
    let e = classin_client(&fake, SECRET, NOW + 21 * 60)
        .call(&add_students())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::ClassIn {
                code: Code(102),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(classin_client(&fake, SECRET, NOW + 19 * 60)
        .call(&add_students())
        .await
        .is_ok());
    assert_eq!(fake.call_count::<AddStudents>(), 2);
    assert_eq!(fake.refusals().len(), 2);
}

#[tokio::test]
async fn classin_errors_partial_successes_and_unknown_actions() {
    let fake = classin_fake().await;
    let client = classin_client(&fake, SECRET, NOW);
    let e = client.call(&add_students()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::ClassIn {
                code: Code(100),
                ..
            }
        ),
        "{e:?}"
    );

    fake.once::<AddStudents>(Answer::error(Code(144), "表示机构下无此课程"));
    match client.call(&add_students()).await {
        Err(Error::ClassIn { code, message }) => {
            assert_eq!((code, message.as_str()), (Code(144), "表示机构下无此课程"))
        }
        other => panic!("{other:?}"),
    }
    fake.once::<AddStudents>(Answer::partial(
        Code(841),
        "nickname sync failed",
        AddStudentsResponse::default(),
    ));
    let reply = client.call_detailed(&add_students()).await.unwrap();
    assert_eq!(reply.partial.unwrap().code, Code(841));

    fake.once::<AddStudents>(Answer::error(Code(464), "busy"));
    let reply = client.call_detailed(&add_students()).await.unwrap();
    assert_eq!(reply.attempts, 2, "464 is retried");
}

#[tokio::test]
async fn classin_refuses_parameters_that_break_limits() {
    let fake = classin_fake().await;
    fake.accept::<AddStudents>();
    let time_stamp = NOW.to_string();
    let key = classin::safe_key(&SECRET.into(), NOW);
    let form = [
        ("SID", SID),
        ("timeStamp", time_stamp.as_str()),
        ("safeKey", key.expose()),
        ("courseId", "490583"),
        ("identity", "1"),
        ("studentJson", "[]"),
    ];
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/partner/api/course.api.php?action=fakeAddStudents",
            fake.base_url()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form).unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error_info"]["errno"], 100, "{answer}");
    assert_eq!(fake.call_count::<AddStudents>(), 0);
}

#[tokio::test]
async fn classin_reads_a_multipart_upload_back_with_its_file() {
    let fake = classin_fake().await;
    fake.accept::<Upload>();
    let client = classin_client(&fake, SECRET, NOW);
    let upload = Upload {
        folder_id: 7788,
        file_data: File::from_bytes("a.png", b"\x89PNG-bytes".to_vec()),
    };
    client.call(&upload).await.unwrap();
    let received = fake.calls::<Upload>();
    assert_eq!(received, vec![upload.clone()]);
    assert_eq!(received[0].file_data.len(), 10);

    // A file over the documented size is the parameter error, as the server answers it.
    let http = reqwest::Client::new();
    let time_stamp = NOW.to_string();
    let key = classin::safe_key(&SECRET.into(), NOW);
    let form = reqwest::multipart::Form::new()
        .text("SID", SID)
        .text("timeStamp", time_stamp)
        .text("safeKey", key.expose().to_owned())
        .text("folderId", "7788")
        .part(
            "Filedata",
            reqwest::multipart::Part::bytes(vec![0u8; 17]).file_name("big.png"),
        );
    let answer: serde_json::Value = http
        .post(format!(
            "{}/partner/api/cloud.api.php?action=fakeUpload",
            fake.base_url()
        ))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error_info"]["errno"], 100, "{answer}");
    assert_eq!(fake.call_count::<Upload>(), 1);
}

// ---- secrets ----------------------------------------------------------------------------------

#[tokio::test]
async fn no_secret_in_debug_output_or_refusals() {
    let fake = dingtalk_fake().await;
    let builder = FakeDingTalk::builder(APP_KEY, APP_SECRET);
    let classin = classin_fake().await;
    fake.accept::<Create>();
    let _ = dingtalk_client(&fake)
        .app_credentials(APP_KEY, "wrong-secret-do-not-log")
        .build()
        .unwrap()
        .call(&create())
        .await;
    let text = format!(
        "{fake:?} {builder:?} {classin:?} {:?} {:?}",
        fake.refusals(),
        FakeClassIn::builder(SID, SECRET)
    );
    for secret in [APP_SECRET, SECRET, "wrong-secret-do-not-log"] {
        assert!(!text.contains(secret), "{text}");
    }
}
