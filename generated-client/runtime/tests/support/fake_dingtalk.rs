//! A fake of oapi.dingtalk.com (`/gettoken`, two `/topapi` endpoints) and of the TOP router
//! (`/router/rest`, `dingtalk.corp.extcontact.update`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::Deserialize;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use super::{json, md5_hex, respond, Recorded, Script, Scripted, NOW_UNIX};

pub const APP_KEY: &str = "ding-app-key-1";
pub const APP_SECRET: &str = "APPSECRET-7f3a-do-not-log";
pub const TOP_APP_KEY: &str = "top-app-key-1";
pub const TOP_SECRET: &str = "TOPSECRET-51ce-do-not-log";

/// The vendor page's example answers.
pub const EDU_PERIOD_OK: &str = r#"{
    "result":{
        "deptId":415999017,
        "grades":[
            {
                    "campus_id":415999016,
                    "dept_id":415998012,
                    "grade":1,
                    "name":"一年级2020级",
                    "super_id":415999017
            }
        ]
    },
    "success":true,
    "errcode":0,
    "errmsg":"demo"
}"#;
pub const BATCHADD_OK: &str = r#"{
    "result":{
        "string":[
            "[\"丁小明\"]"
        ]
    },
    "success":true,
    "errcode":0,
    "errmsg":"\"成功\""
}"#;
pub const OAPI_ERROR_88: &str = r#"{
	"errcode":88,
	"errmsg":"ding talk error"
}"#;
pub const EXTCONTACT_OK: &str = r#"{"dingtalk_corp_extcontact_update_response":{"result":{"ding_open_errcode":0,"error_msg":"成功","success":true},"request_id":"top-req-1"}}"#;
pub const TOP_ERROR_50: &str = r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"top-req-err"}}"#;

pub fn token_number(n: usize) -> String {
    format!("ACCESS-TOKEN-{n}-e41b")
}

/// State and counters of the fake.
pub struct FakeDingTalk {
    pub gettoken_calls: AtomicUsize,
    pub api_calls: AtomicUsize,
    issued: AtomicUsize,
    valid_token: Mutex<Option<String>>,
    pub script: Script,
    pub recorded: Mutex<Vec<Recorded>>,
    /// When set, TOP requests must be signed generically with this app key and secret.
    pub top_signing: Option<(&'static str, &'static str)>,
    /// How long rejections of a token take to arrive.
    reject_delay: Mutex<std::time::Duration>,
    /// When set, every `gettoken` gets this answer instead of a fresh token.
    token_answer: Mutex<Option<Scripted>>,
}

impl FakeDingTalk {
    /// Start the fake; returns it and its base URL.
    pub async fn start() -> (Arc<Self>, String) {
        Self::start_with(None).await
    }

    pub async fn start_with(
        top_signing: Option<(&'static str, &'static str)>,
    ) -> (Arc<Self>, String) {
        let fake = Self::new(top_signing);
        let base = super::serve(fake.router()).await;
        (fake, base)
    }

    /// A fake that serves nothing yet: see [`Self::router`].
    pub fn new(top_signing: Option<(&'static str, &'static str)>) -> Arc<Self> {
        Arc::new(FakeDingTalk {
            gettoken_calls: AtomicUsize::new(0),
            api_calls: AtomicUsize::new(0),
            issued: AtomicUsize::new(0),
            valid_token: Mutex::new(None),
            script: Script::default(),
            recorded: Mutex::new(Vec::new()),
            top_signing,
            reject_delay: Mutex::new(std::time::Duration::ZERO),
            token_answer: Mutex::new(None),
        })
    }

    /// The fake's routes.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        axum::Router::new()
            .fallback(handle)
            .with_state(self.clone())
    }

    /// Make `token` the valid one (as if issued elsewhere).
    pub fn accept_token(&self, token: &str) {
        *self.valid_token.lock().unwrap() = Some(token.to_owned());
    }

    /// Delay every token rejection by `delay`, so that concurrent callers all use the rejected
    /// token before the first of them learns it is rejected.
    pub fn set_reject_delay(&self, delay: std::time::Duration) {
        *self.reject_delay.lock().unwrap() = delay;
    }

    async fn reject_pause(&self) {
        let delay = *self.reject_delay.lock().unwrap();
        tokio::time::sleep(delay).await;
    }

    /// Answer every `gettoken` with `answer` (`None`: issue tokens again).
    pub fn set_token_answer(&self, answer: Option<Scripted>) {
        *self.token_answer.lock().unwrap() = answer;
    }

    /// Invalidate the current token: the next use answers 40001.
    pub fn revoke(&self) {
        *self.valid_token.lock().unwrap() = None;
    }

    pub fn push(&self, s: Scripted) {
        self.script.push(s);
    }

    pub fn gettoken_calls(&self) -> usize {
        self.gettoken_calls.load(Ordering::SeqCst)
    }

    pub fn api_calls(&self) -> usize {
        self.api_calls.load(Ordering::SeqCst)
    }

    pub fn total_requests(&self) -> usize {
        self.recorded.lock().unwrap().len()
    }

    pub fn last(&self) -> Recorded {
        self.recorded
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("no request recorded")
    }

    pub fn issued_tokens(&self) -> Vec<String> {
        (1..=self.issued.load(Ordering::SeqCst))
            .map(token_number)
            .collect()
    }

    fn token_ok(&self, token: Option<&str>) -> bool {
        let valid = self.valid_token.lock().unwrap();
        token.is_some() && valid.as_deref() == token
    }
}

async fn handle(
    State(fake): State<Arc<FakeDingTalk>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rec = Recorded::new(&method, &uri, &headers, &body);
    fake.recorded.lock().unwrap().push(rec.clone());
    match (rec.method.as_str(), rec.path.as_str()) {
        ("GET", "/gettoken") => {
            let answer = fake.token_answer.lock().unwrap().clone();
            match answer {
                Some(s) => {
                    fake.gettoken_calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(s.delay).await;
                    respond(s)
                }
                None => gettoken(&fake, &rec),
            }
        }
        ("POST", "/topapi/edu/period/create") => {
            oapi(
                &fake,
                &rec,
                |b| serde_json::from_str::<EduPeriodBody>(b).map(|_| ()),
                EDU_PERIOD_OK,
            )
            .await
        }
        ("POST", "/topapi/industry/studentpool/batchadd") => {
            oapi(
                &fake,
                &rec,
                |b| serde_json::from_str::<BatchaddBody>(b).map(|_| ()),
                BATCHADD_OK,
            )
            .await
        }
        ("POST", "/router/rest") => top(&fake, &rec).await,
        _ => respond(super::html(404, "<html><body>404 Not Found</body></html>")),
    }
}

fn gettoken(fake: &FakeDingTalk, rec: &Recorded) -> Response {
    fake.gettoken_calls.fetch_add(1, Ordering::SeqCst);
    if rec.q("appkey") != Some(APP_KEY) || rec.q("appsecret") != Some(APP_SECRET) {
        return respond(json(
            r#"{"errcode":40089,"errmsg":"不合法的corpid或corpsecret"}"#,
        ));
    }
    let n = fake.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let token = token_number(n);
    *fake.valid_token.lock().unwrap() = Some(token.clone());
    respond(json(&format!(
        r#"{{"errcode":0,"errmsg":"ok","access_token":"{token}","expires_in":7200}}"#
    )))
}

async fn answer(fake: &FakeDingTalk, default: &str) -> Response {
    match fake.script.next() {
        Some(s) => {
            if !s.delay.is_zero() {
                tokio::time::sleep(s.delay).await;
            }
            respond(s)
        }
        None => respond(json(default)),
    }
}

async fn oapi(
    fake: &FakeDingTalk,
    rec: &Recorded,
    decodes: impl Fn(&str) -> Result<(), serde_json::Error>,
    ok: &str,
) -> Response {
    fake.api_calls.fetch_add(1, Ordering::SeqCst);
    if !fake.token_ok(rec.q("access_token")) {
        fake.reject_pause().await;
        return respond(json(
            r#"{"errcode":40001,"errmsg":"不合法的access_token","request_id":"req-40001"}"#,
        ));
    }
    if rec.content_type.as_deref() != Some("application/json;charset=UTF-8") {
        return respond(json(
            r#"{"errcode":43004,"errmsg":"需要POST的Content-Type为application/json"}"#,
        ));
    }
    if let Err(e) = decodes(&rec.body) {
        return respond(json(&format!(
            r#"{{"errcode":40035,"errmsg":"不合法的参数: {e}"}}"#
        )));
    }
    answer(fake, ok).await
}

fn top_error(code: i64, msg: &str, sub_code: &str) -> Response {
    respond(json(&format!(
        r#"{{"error_response":{{"code":{code},"msg":"{msg}","sub_code":"{sub_code}","request_id":"top-check"}}}}"#
    )))
}

/// `yyyy-MM-dd HH:mm:ss` in GMT+8 to Unix seconds.
fn parse_gmt8(s: &str) -> Option<i64> {
    let (date, time) = s.split_once(' ')?;
    let d: Vec<i32> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let t: Vec<u8> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if d.len() != 3 || t.len() != 3 || date.len() != 10 || time.len() != 8 {
        return None;
    }
    let date =
        Date::from_calendar_date(d[0], Month::try_from(d[1] as u8).ok()?, d[2] as u8).ok()?;
    let time = Time::from_hms(t[0], t[1], t[2]).ok()?;
    let offset = UtcOffset::from_hms(8, 0, 0).ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .unix_timestamp(),
    )
}

async fn top(fake: &FakeDingTalk, rec: &Recorded) -> Response {
    fake.api_calls.fetch_add(1, Ordering::SeqCst);
    if rec.q("format") != Some("json") {
        return respond(super::html(
            200,
            "<error_response><code>43</code><msg>Invalid format</msg></error_response>",
        ));
    }
    if rec.q("method") != Some("dingtalk.corp.extcontact.update") {
        return top_error(22, "Invalid method", "isv.invalid-method");
    }
    if rec.q("v") != Some("2.0") {
        return top_error(33, "Invalid version", "isv.invalid-version");
    }
    match rec.q("timestamp").and_then(parse_gmt8) {
        Some(ts) if (ts - NOW_UNIX).abs() <= 600 => {}
        _ => return top_error(32, "Invalid timestamp", "isv.invalid-timestamp"),
    }
    if !rec
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        return top_error(41, "Invalid arguments", "isv.invalid-content-type");
    }
    match fake.top_signing {
        None => {
            if rec.q("app_key").is_some() || rec.q("sign").is_some() {
                return top_error(25, "Invalid signature", "isv.unexpected-app-key");
            }
        }
        Some((app_key, secret)) => {
            if rec.q("app_key") != Some(app_key) || rec.q("sign_method") != Some("md5") {
                return top_error(29, "Invalid app Key", "isv.appkey-not-exists");
            }
            let mut params: Vec<(String, String)> = rec
                .query
                .iter()
                .chain(rec.form().iter())
                .filter(|(k, v)| k != "sign" && !k.is_empty() && !v.is_empty())
                .cloned()
                .collect();
            params.sort();
            let joined: String = params.iter().map(|(k, v)| format!("{k}{v}")).collect();
            let expected = md5_hex(&format!("{secret}{joined}{secret}")).to_uppercase();
            if rec.q("sign") != Some(expected.as_str()) {
                return top_error(25, "Invalid signature", "isv.invalid-signature");
            }
        }
    }
    if !fake.token_ok(rec.q("session")) {
        fake.reject_pause().await;
        return top_error(27, "Invalid session", "invalid-sessionkey");
    }
    let Some(contact) = rec.f("contact") else {
        return top_error(
            40,
            "Missing required arguments:contact",
            "isv.missing-parameter:contact",
        );
    };
    if serde_json::from_str::<ExtContactBody>(&contact).is_err() {
        return top_error(
            41,
            "Invalid arguments:contact",
            "isv.invalid-parameter:contact",
        );
    }
    answer(fake, EXTCONTACT_OK).await
}

// What the servers decode the bodies into.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct EduPeriodBody {
    super_id: i64,
    operator: String,
    open_period: OpenPeriodBody,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct OpenPeriodBody {
    step: String,
    grades: Vec<GradeBody>,
    period_code: String,
    name_mode: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GradeBody {
    grade: String,
    classes: i64,
    name: String,
    start_year: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct BatchaddBody {
    biz_code: String,
    student_list: Option<Vec<StudentBody>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StudentBody {
    mobile: Option<String>,
    package_ids: Option<Vec<i64>>,
    number: Option<String>,
    patriarchs: Option<Vec<PatriarchBody>>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PatriarchBody {
    relation: Option<String>,
    mobile: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExtContactBody {
    title: Option<String>,
    label_ids: Vec<i64>,
    share_dept_ids: Option<Vec<i64>>,
    address: Option<String>,
    remark: Option<String>,
    follower_user_id: String,
    name: String,
    user_id: String,
    company_name: Option<String>,
    share_user_ids: Option<Vec<String>>,
}
