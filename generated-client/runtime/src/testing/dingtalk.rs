//! The fake of DingTalk: `oapi.dingtalk.com` (`/gettoken` and oapi endpoints) and the TOP router
//! (`/router/rest`) on one server.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use super::{
    endpoint_methods, pair, top_error, Answer, Endpoints, Recorded, Refusal, Refused, Rendered,
    WireBody,
};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, Protocol, Route};
use crate::secret::Secret;
use crate::sync::lock;
use crate::top::{method_name, TopSigning, ROUTER_PATH};
use crate::top_sign::{sign, SignMethod};

/// How far a TOP `timestamp` may be from the fake's clock.
const TOP_SKEW_SECONDS: i64 = 10 * 60;

/// TOP system parameters: every other query parameter of a `GET` call is an application one.
const SYSTEM: [&str; 11] = [
    "method",
    "v",
    "timestamp",
    "format",
    "sign_method",
    "sign",
    "session",
    "app_key",
    "partner_id",
    "simplify",
    "target_app_key",
];

/// A fake DingTalk server: `gettoken`, oapi endpoints and the TOP router, on one base URL.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use client_runtime::testing::FakeDingTalk;
///
/// let fake = FakeDingTalk::start("app key", "app secret").await?;
/// let client = client_runtime::dingtalk::DingTalkClient::builder()
///     .app_credentials("app key", "app secret")
///     .oapi_base_url(fake.oapi_base_url())
///     .top_base_url(fake.top_base_url())
///     .build();
/// # Ok(()) }
/// ```
pub struct FakeDingTalk {
    inner: Arc<Inner>,
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

struct Inner {
    endpoints: Endpoints,
    app_key: String,
    app_secret: Secret,
    signing: Option<TopSigning>,
    clock: SharedClock,
    tokens: Mutex<Vec<Secret>>,
    issued: AtomicUsize,
    token_fetches: AtomicUsize,
}

/// Configures a [`FakeDingTalk`] before it starts.
pub struct FakeDingTalkBuilder {
    app_key: String,
    app_secret: Secret,
    signing: Option<TopSigning>,
    clock: SharedClock,
}

impl fmt::Debug for FakeDingTalkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeDingTalkBuilder")
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret)
            .field("signing", &self.signing)
            .finish_non_exhaustive()
    }
}

impl FakeDingTalkBuilder {
    /// Require generic TOP signing: TOP calls must carry this `app_key`, a `sign_method` and a
    /// `sign` computed with the secret. Without it, TOP calls must carry no `app_key`, as
    /// DingTalk's do.
    pub fn top_signing(mut self, signing: TopSigning) -> Self {
        self.signing = Some(signing);
        self
    }

    /// The clock TOP `timestamp`s are checked against (10 minutes either way). Default: the
    /// system clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Start serving on 127.0.0.1.
    pub async fn start(self) -> std::io::Result<FakeDingTalk> {
        let inner = Arc::new(Inner {
            endpoints: Endpoints::default(),
            app_key: self.app_key,
            app_secret: self.app_secret,
            signing: self.signing,
            clock: self.clock,
            tokens: Mutex::new(Vec::new()),
            issued: AtomicUsize::new(0),
            token_fetches: AtomicUsize::new(0),
        });
        let router = axum::Router::new()
            .fallback(handle)
            .with_state(inner.clone());
        let (base, stop) = super::serve(router).await?;
        Ok(FakeDingTalk {
            inner,
            base,
            _stop: stop,
        })
    }
}

/// The route key of a DingTalk endpoint.
fn key<E: Endpoint>() -> String {
    const {
        assert!(
            matches!(E::PROTOCOL, Protocol::DingTalkOapi | Protocol::DingTalkTop),
            "FakeDingTalk serves DingTalk oapi and TOP endpoints only"
        )
    };
    match (E::PROTOCOL, E::ROUTE) {
        (Protocol::DingTalkOapi, Route::Path(path)) => format!("oapi {path}"),
        (Protocol::DingTalkOapi, _) => format!("oapi {}", E::API_NAME),
        _ => format!("top {}", method_name::<E>()),
    }
}

impl FakeDingTalk {
    /// A fake that issues tokens for `app_key` and `app_secret`, with the system clock and no
    /// TOP signing; see [`Self::builder`].
    pub async fn start(
        app_key: impl Into<String>,
        app_secret: impl Into<Secret>,
    ) -> std::io::Result<FakeDingTalk> {
        Self::builder(app_key, app_secret).start().await
    }

    /// A fake to configure before it starts.
    pub fn builder(
        app_key: impl Into<String>,
        app_secret: impl Into<Secret>,
    ) -> FakeDingTalkBuilder {
        FakeDingTalkBuilder {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            signing: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// The base URL of the oapi endpoints and `gettoken`: `http://127.0.0.1:<port>`.
    pub fn oapi_base_url(&self) -> &str {
        &self.base
    }

    /// The base URL of the TOP router (the same server).
    pub fn top_base_url(&self) -> &str {
        &self.base
    }

    /// Accept `token` as if `gettoken` had issued it (for clients given a fixed access token).
    pub fn accept_token(&self, token: impl Into<Secret>) {
        lock(&self.inner.tokens).push(token.into());
    }

    /// Make every token issued so far invalid: their next use is answered 40001 (oapi) or 27
    /// (TOP), as an expired token is.
    pub fn revoke_tokens(&self) {
        lock(&self.inner.tokens).clear();
    }

    /// How many `gettoken` requests arrived, with good credentials or not.
    pub fn token_fetches(&self) -> usize {
        self.inner.token_fetches.load(Ordering::SeqCst)
    }

    endpoint_methods!("DingTalk oapi or TOP", key);
}

impl fmt::Debug for FakeDingTalk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeDingTalk")
            .field("base_url", &self.base)
            .field("app_key", &self.inner.app_key)
            .finish_non_exhaustive()
    }
}

impl Inner {
    fn token_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| lock(&self.tokens).iter().any(|s| s.expose() == t))
    }
}

fn parse_query(uri: &Uri) -> Vec<(String, String)> {
    serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default()
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn not_found() -> Response {
    Rendered {
        status: 404,
        content_type: "text/html".into(),
        body: b"<html><body><h1>404 Not Found</h1></body></html>".to_vec(),
        delay: Duration::ZERO,
    }
    .into_response()
}

async fn send(rendered: Rendered) -> Response {
    if !rendered.delay.is_zero() {
        tokio::time::sleep(rendered.delay).await;
    }
    rendered.into_response()
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = parse_query(&uri);
    match uri.path() {
        "/gettoken" if method == Method::GET => gettoken(&inner, &query),
        ROUTER_PATH => top(&inner, &method, &query, content_type(&headers), &body).await,
        path => oapi(&inner, &method, path, &query, content_type(&headers), &body).await,
    }
}

fn gettoken(inner: &Inner, query: &[(String, String)]) -> Response {
    inner.token_fetches.fetch_add(1, Ordering::SeqCst);
    let good = pair(query, "appkey") == Some(inner.app_key.as_str())
        && pair(query, "appsecret") == Some(inner.app_secret.expose());
    if !good {
        inner
            .endpoints
            .refuse(None, "gettoken: unknown app key or wrong app secret");
        return Rendered::json(&json!({"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}))
            .into_response();
    }
    let n = inner.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let token = format!("fake-access-token-{n}-{:08x}", fastrand::u32(..));
    let body = json!({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200});
    lock(&inner.tokens).push(Secret::new(token));
    Rendered::json(&body).into_response()
}

fn oapi_error(errcode: i64, errmsg: &str) -> Response {
    Rendered::json(&json!({"errcode": errcode, "errmsg": errmsg, "request_id": "fake-refused"}))
        .into_response()
}

async fn oapi(
    inner: &Inner,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    content_type: &str,
    body: &[u8],
) -> Response {
    let Some(slot) = inner.endpoints.get(&format!("oapi {path}")) else {
        inner
            .endpoints
            .refuse(None, format!("oapi: no endpoint at {path}"));
        return not_found();
    };
    let api = Some(slot.api_name());
    if !inner.token_ok(pair(query, "access_token")) {
        inner
            .endpoints
            .refuse(api, "oapi: access_token missing or not valid");
        return oapi_error(40001, "不合法的access_token");
    }
    let fields: Vec<(String, String)>;
    let wire = if method == Method::POST {
        if !content_type.starts_with("application/json") {
            inner
                .endpoints
                .refuse(api, "oapi: body is not application/json");
            return oapi_error(43004, "需要POST的Content-Type为application/json");
        }
        WireBody::Json(body)
    } else {
        fields = query
            .iter()
            .filter(|(k, _)| k != "access_token")
            .cloned()
            .collect();
        WireBody::Form(&fields)
    };
    match slot.handle(super::Family::Oapi, wire) {
        Ok(rendered) => send(rendered).await,
        Err(Refused::Undecodable { message, .. }) => {
            inner
                .endpoints
                .refuse(api, format!("oapi: body does not decode: {message}"));
            oapi_error(40035, &format!("不合法的参数: {message}"))
        }
        Err(Refused::Invalid(message)) => {
            inner.endpoints.refuse(api, format!("oapi: {message}"));
            oapi_error(40035, &format!("不合法的参数: {message}"))
        }
    }
}

/// `yyyy-MM-dd HH:mm:ss` in GMT+8 as Unix seconds.
fn parse_gmt8(s: &str) -> Option<i64> {
    let (date, time) = s.split_once(' ')?;
    let mut d = date.splitn(3, '-').map(|x| x.parse::<i32>().ok());
    let mut t = time.splitn(3, ':').map(|x| x.parse::<u8>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hour, minute, second) = (t.next()??, t.next()??, t.next()??);
    let date = Date::from_calendar_date(
        year,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    let offset = UtcOffset::from_hms(8, 0, 0).ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .unix_timestamp(),
    )
}

fn top_refusal(code: i64, msg: &str, sub_code: &str) -> Response {
    top_error(code, msg, Some((sub_code, msg))).into_response()
}

async fn top(
    inner: &Inner,
    method: &Method,
    query: &[(String, String)],
    content_type: &str,
    body: &[u8],
) -> Response {
    let refuse = |api: Option<&'static str>, reason: &str| {
        inner.endpoints.refuse(api, format!("TOP: {reason}"));
    };
    if pair(query, "format") != Some("json") {
        refuse(None, "format is not json");
        return Rendered {
            status: 200,
            content_type: "text/xml;charset=UTF-8".into(),
            body: b"<?xml version=\"1.0\" encoding=\"utf-8\" ?><error_response><code>23</code><msg>Invalid format</msg></error_response>".to_vec(),
            delay: Duration::ZERO,
        }
        .into_response();
    }
    let Some(api_method) = pair(query, "method") else {
        refuse(None, "no method");
        return top_refusal(21, "Missing method", "isv.missing-method");
    };
    let Some(slot) = inner.endpoints.get(&format!("top {api_method}")) else {
        refuse(None, "unknown method");
        return top_refusal(22, "Invalid method", "isv.invalid-method");
    };
    let api = Some(slot.api_name());
    if pair(query, "v") != Some("2.0") {
        refuse(api, "v is not 2.0");
        return top_refusal(33, "Invalid version", "isv.invalid-version");
    }
    let now = inner.clock.now().unix_timestamp();
    match pair(query, "timestamp").and_then(parse_gmt8) {
        Some(ts) if (ts - now).abs() <= TOP_SKEW_SECONDS => {}
        _ => {
            refuse(api, "timestamp missing or more than 10 minutes off");
            return top_refusal(31, "Invalid timestamp", "isv.invalid-timestamp");
        }
    }
    let form: Vec<(String, String)> = if method == Method::POST {
        if !content_type.starts_with("application/x-www-form-urlencoded") {
            refuse(api, "body is not a form");
            return top_refusal(41, "Invalid arguments", "isv.invalid-content-type");
        }
        serde_urlencoded::from_bytes(body).unwrap_or_default()
    } else {
        Vec::new()
    };
    match &inner.signing {
        None => {
            if pair(query, "app_key").is_some() || pair(query, "sign").is_some() {
                refuse(
                    api,
                    "app_key or sign sent to a router that takes a session only",
                );
                return top_refusal(29, "Invalid app Key", "isv.appkey-not-exists");
            }
        }
        Some(signing) => {
            if pair(query, "app_key") != Some(signing.app_key.as_str()) {
                refuse(api, "app_key missing or unknown");
                return top_refusal(29, "Invalid app Key", "isv.appkey-not-exists");
            }
            let Some(sign_method) =
                pair(query, "sign_method").and_then(|m| m.parse::<SignMethod>().ok())
            else {
                refuse(api, "sign_method missing or unknown");
                return top_refusal(25, "Invalid signature", "isv.invalid-sign-method");
            };
            let params: Vec<&(String, String)> = query.iter().chain(form.iter()).collect();
            let params: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let expected = sign(&params, signing.app_secret.expose(), sign_method);
            if pair(query, "sign") != Some(expected.as_str()) {
                refuse(api, "sign missing or wrong");
                return top_refusal(25, "Invalid signature", "isv.invalid-signature");
            }
        }
    }
    match pair(query, "session") {
        None => {
            refuse(api, "no session");
            return top_refusal(26, "Missing session", "isv.missing-session");
        }
        Some(session) if !inner.token_ok(Some(session)) => {
            refuse(api, "session not valid");
            return top_refusal(27, "Invalid session", "invalid-sessionkey");
        }
        Some(_) => {}
    }
    let application: Vec<(String, String)> = if method == Method::POST {
        form
    } else {
        query
            .iter()
            .filter(|(k, _)| !SYSTEM.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    let family = super::Family::Top {
        method: slot.top_method(),
    };
    match slot.handle(family, WireBody::Form(&application)) {
        Ok(rendered) => send(rendered).await,
        Err(Refused::Undecodable {
            missing: Some(field),
            ..
        }) => {
            refuse(api, &format!("missing required argument {field}"));
            top_refusal(
                40,
                &format!("Missing required arguments:{field}"),
                &format!("isv.missing-parameter:{field}"),
            )
        }
        Err(Refused::Undecodable { message, .. }) => {
            refuse(api, &format!("arguments do not decode: {message}"));
            top_error(
                41,
                "Invalid arguments",
                Some(("isv.invalid-parameter", &message)),
            )
            .into_response()
        }
        Err(Refused::Invalid(message)) => {
            refuse(api, &message);
            top_error(
                41,
                "Invalid arguments",
                Some(("isv.invalid-parameter", &message)),
            )
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_gmt8;

    #[test]
    fn gmt8_timestamps_read_back() {
        assert_eq!(parse_gmt8("2017-05-02 19:51:10"), Some(1_493_725_870));
        assert_eq!(parse_gmt8("2017-13-02 19:51:10"), None);
        assert_eq!(parse_gmt8("2017-05-02"), None);
        assert_eq!(parse_gmt8("x-y-z a:b:c"), None);
    }
}
