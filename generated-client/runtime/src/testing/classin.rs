//! The fake of ClassIn's partner API v1 (`/partner/api/<script>.php?action=<action>`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use super::wire::ReceivedFile;
use super::{
    endpoint_methods, pair, Answer, Endpoints, Recorded, Refusal, Refused, Rendered, WireBody,
};
use crate::classin::safe_key;
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, Protocol, Route};
use crate::secret::Secret;

/// How far a `timeStamp` may be from the fake's clock, as ClassIn allows.
const WINDOW_SECONDS: i64 = 20 * 60;

/// The fields every request carries for authentication.
const AUTH: [&str; 3] = ["SID", "timeStamp", "safeKey"];

/// A fake ClassIn server for one school (`SID` and `SECRET`).
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use client_runtime::testing::FakeClassIn;
///
/// let fake = FakeClassIn::start("2339736", "secret").await?;
/// let client = client_runtime::classin::ClassInClient::builder("2339736", "secret")
///     .base_url(fake.base_url())
///     .build();
/// # Ok(()) }
/// ```
pub struct FakeClassIn {
    inner: Arc<Inner>,
    base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

struct Inner {
    endpoints: Endpoints,
    sid: String,
    secret: Secret,
    clock: SharedClock,
}

/// Configures a [`FakeClassIn`] before it starts.
pub struct FakeClassInBuilder {
    sid: String,
    secret: Secret,
    clock: SharedClock,
}

impl fmt::Debug for FakeClassInBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeClassInBuilder")
            .field("sid", &self.sid)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

impl FakeClassInBuilder {
    /// The clock `timeStamp`s are checked against (20 minutes either way). Default: the system
    /// clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Start serving on 127.0.0.1.
    pub async fn start(self) -> std::io::Result<FakeClassIn> {
        let inner = Arc::new(Inner {
            endpoints: Endpoints::default(),
            sid: self.sid,
            secret: self.secret,
            clock: self.clock,
        });
        let router = axum::Router::new()
            .fallback(handle)
            .with_state(inner.clone());
        let (base, stop) = super::serve(router).await?;
        Ok(FakeClassIn {
            inner,
            base,
            _stop: stop,
        })
    }
}

/// The route key of a ClassIn endpoint.
fn key<E: Endpoint>() -> String {
    const {
        assert!(
            matches!(E::PROTOCOL, Protocol::ClassInV1),
            "FakeClassIn serves ClassIn v1 endpoints only"
        )
    };
    match E::ROUTE {
        Route::Action { path, action } => format!("{path}?{action}"),
        Route::Path(path) => format!("{path}?"),
        Route::TopMethod(method) => format!("?{method}"),
    }
}

impl FakeClassIn {
    /// A fake for school `sid` with `secret`, with the system clock; see [`Self::builder`].
    pub async fn start(
        sid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> std::io::Result<FakeClassIn> {
        Self::builder(sid, secret).start().await
    }

    /// A fake to configure before it starts.
    pub fn builder(sid: impl Into<String>, secret: impl Into<Secret>) -> FakeClassInBuilder {
        FakeClassInBuilder {
            sid: sid.into(),
            secret: secret.into(),
            clock: Arc::new(SystemClock),
        }
    }

    /// The base URL: `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    endpoint_methods!("ClassIn v1", key);
}

impl fmt::Debug for FakeClassIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeClassIn")
            .field("base_url", &self.base)
            .field("sid", &self.inner.sid)
            .finish_non_exhaustive()
    }
}

fn errno(code: i64, error: &str) -> Response {
    Rendered::json(&json!({"error_info": {"errno": code, "error": error}})).into_response()
}

const BAD_PARAMETERS: &str = "表示参数不全或错误";

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
    let action = pair(&query, "action").unwrap_or("");
    let path = uri.path();
    let Some(slot) = inner.endpoints.get(&format!("{path}?{action}")) else {
        inner
            .endpoints
            .refuse(None, format!("ClassIn: no action {action:?} at {path}"));
        return if path.starts_with("/partner/api/") {
            errno(100, BAD_PARAMETERS)
        } else {
            Rendered {
                status: 404,
                content_type: "text/html".into(),
                body: b"<html><body><h1>404 Not Found</h1></body></html>".to_vec(),
                delay: Duration::ZERO,
            }
            .into_response()
        };
    };
    let api = Some(slot.api_name());
    let refuse = |reason: &str| inner.endpoints.refuse(api, format!("ClassIn: {reason}"));
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut files = Vec::new();
    let mut fields: Vec<(String, String)> = if method == Method::GET {
        query
            .iter()
            .filter(|(k, _)| k != "action")
            .cloned()
            .collect()
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    } else if content_type.starts_with("multipart/form-data") {
        match parts(content_type, body).await {
            Some((fields, received)) => {
                files = received;
                fields
            }
            None => {
                refuse("multipart body does not parse");
                return errno(100, BAD_PARAMETERS);
            }
        }
    } else {
        refuse("body is neither a form nor multipart");
        return errno(100, BAD_PARAMETERS);
    };
    if !inner.authentic(&fields) {
        refuse("SID, timeStamp or safeKey missing or wrong, or timeStamp more than 20 minutes off");
        return errno(102, "表示无权限(安全验证没通过)");
    }
    fields.retain(|(k, _)| !AUTH.contains(&k.as_str()));
    let wire = if files.is_empty() {
        WireBody::Form(&fields)
    } else {
        WireBody::Multipart(&fields, &files)
    };
    match slot.handle(super::Family::ClassIn, wire) {
        Ok(rendered) => {
            if !rendered.delay.is_zero() {
                tokio::time::sleep(rendered.delay).await;
            }
            rendered.into_response()
        }
        Err(Refused::Undecodable { message, .. }) => {
            refuse(&format!("parameters do not decode: {message}"));
            errno(100, BAD_PARAMETERS)
        }
        Err(Refused::Invalid(message)) => {
            refuse(&message);
            errno(100, BAD_PARAMETERS)
        }
    }
}

impl Inner {
    fn authentic(&self, fields: &[(String, String)]) -> bool {
        let Some(ts) = pair(fields, "timeStamp").and_then(|t| t.parse::<i64>().ok()) else {
            return false;
        };
        let now = self.clock.now().unix_timestamp();
        pair(fields, "SID") == Some(self.sid.as_str())
            && (ts - now).abs() <= WINDOW_SECONDS
            && pair(fields, "safeKey") == Some(safe_key(&self.secret, ts).expose())
    }
}

/// The text parts and the file parts of a multipart body, in order.
async fn parts(
    content_type: &str,
    body: Bytes,
) -> Option<(Vec<(String, String)>, Vec<ReceivedFile>)> {
    let request = axum::http::Request::builder()
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .ok()?;
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    let mut texts = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let media_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.ok()?;
        match file_name {
            Some(file_name) => files.push(ReceivedFile {
                field: name,
                file_name,
                media_type,
                bytes: bytes.to_vec(),
            }),
            None => texts.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Some((texts, files))
}
