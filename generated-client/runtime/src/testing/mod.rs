//! Fake vendors for tests of code that calls DingTalk or ClassIn (feature `testing`).
//!
//! [`FakeDingTalk`] and [`FakeClassIn`] are in-process servers on 127.0.0.1 (a port the system
//! chooses) that speak the protocol families as the vendors do: the DingTalk fake serves
//! `gettoken` and checks `access_token` on every oapi call, and checks the TOP router's system
//! parameters, `session` and (when configured) its signature; the ClassIn fake checks `SID`,
//! `safeKey = md5(SECRET + timeStamp)` and the 20-minute `timeStamp` window. A request that
//! passes those checks is read from the wire into the endpoint's request type and validated
//! with its [`Validate`](crate::Validate) implementation; a request that cannot be read or breaks a documented
//! limit is answered with the family's parameter error. Otherwise the fake answers what the test
//! registered for the endpoint with [`FakeDingTalk::on`] or [`FakeClassIn::on`]: an [`Answer`].
//!
//! An endpoint that was not registered is unknown to the fake, which answers as the vendor does
//! for an unknown API (oapi: HTTP 404; TOP: `error_response` 22 "Invalid method"; ClassIn:
//! errno 100). An endpoint registered with `accept`, or whose queued answers are used up with
//! no handler set, answers [`Answer::example`]: the response its spec's examples describe
//! ([`Endpoint::EXAMPLE_RESPONSE`]), required fields without an example at their default or a
//! plain value of their type.
//!
//! Every call that reaches an endpoint is recorded with its decoded request and attempt number
//! (`calls`, `recorded`, `call_count`); requests the fake refused before that are listed by
//! `refusals`, with a reason that never holds a credential.
//!
//! The fakes listen until they are dropped.

mod classin;
mod dingtalk;
mod wire;

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::endpoint::{Endpoint, ErrorCode};
use crate::sync::lock;

pub use classin::{FakeClassIn, FakeClassInBuilder};
pub use dingtalk::{FakeDingTalk, FakeDingTalkBuilder};

/// What a fake answers to one call of endpoint `E`.
pub struct Answer<E: Endpoint> {
    kind: Kind<E::Response>,
    delay: Duration,
}

enum Kind<R> {
    Empty,
    /// The payload the endpoint's spec examples describe.
    Example(Map<String, Value>),
    Ok(R),
    Error {
        code: i64,
        message: String,
        sub: Option<(String, String)>,
    },
    Partial {
        code: i64,
        message: String,
        response: R,
    },
    Raw {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
}

impl<E: Endpoint> Answer<E> {
    /// A success with no payload fields: the family's success envelope alone.
    pub fn empty() -> Self {
        Self::of(Kind::Empty)
    }

    /// A success carrying the response the endpoint's spec examples describe
    /// ([`Endpoint::EXAMPLE_RESPONSE`]): what a fake answers by default.
    pub fn example() -> Self {
        match serde_json::from_str::<Map<String, Value>>(E::EXAMPLE_RESPONSE) {
            Ok(payload) => Self::of(Kind::Example(payload)),
            // Generated endpoints always hold a JSON object; a hand-written one may not.
            Err(e) => Self::raw(
                500,
                "text/plain",
                format!(
                    "the example response of {} is not a JSON object: {e}",
                    E::API_NAME
                ),
            ),
        }
    }

    /// A success carrying `response`, inside the family's success envelope (`errcode` 0,
    /// `<method>_response`, `error_info.errno` 1), with fields the envelope needs added when the
    /// response does not set them.
    pub fn ok(response: E::Response) -> Self {
        Self::of(Kind::Ok(response))
    }

    /// A documented error code and its message, in the family's error envelope: oapi `errcode`
    /// and `errmsg`, TOP `error_response` `code` and `msg`, ClassIn `error_info`. A code the
    /// endpoint's spec does not list is `E::ErrorCode::from_code(n)`.
    pub fn error(code: E::ErrorCode, message: impl Into<String>) -> Self {
        Self::of(Kind::Error {
            code: code.code(),
            message: message.into(),
            sub: None,
        })
    }

    /// A partial success: `response` with a call-level `code` (oapi `errcode`, ClassIn
    /// `error_info.errno`). The TOP router has no such answer: it is sent as `error_response`.
    pub fn partial(code: E::ErrorCode, message: impl Into<String>, response: E::Response) -> Self {
        Self::of(Kind::Partial {
            code: code.code(),
            message: message.into(),
            response,
        })
    }

    /// A body sent as it is, whatever it holds (an HTML error page, a truncated envelope).
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self::of(Kind::Raw {
            status,
            content_type: content_type.into(),
            body: body.into(),
        })
    }

    /// Adds `sub_code` and `sub_msg` to an [`Answer::error`] of a DingTalk family (ignored
    /// otherwise).
    pub fn with_sub(mut self, sub_code: impl Into<String>, sub_msg: impl Into<String>) -> Self {
        if let Kind::Error { sub, .. } = &mut self.kind {
            *sub = Some((sub_code.into(), sub_msg.into()));
        }
        self
    }

    /// The same answer, sent after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn of(kind: Kind<E::Response>) -> Self {
        Answer {
            kind,
            delay: Duration::ZERO,
        }
    }
}

impl<E: Endpoint> fmt::Debug for Answer<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            Kind::Empty => "empty".to_owned(),
            Kind::Example(_) => "example".to_owned(),
            Kind::Ok(_) => "ok".to_owned(),
            Kind::Error { code, .. } => format!("error {code}"),
            Kind::Partial { code, .. } => format!("partial {code}"),
            Kind::Raw { status, .. } => format!("raw {status}"),
        };
        f.debug_struct("Answer")
            .field("kind", &kind)
            .field("delay", &self.delay)
            .finish()
    }
}

/// One call an endpoint received: the request as read from the wire, and its attempt number.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<E> {
    /// The request, decoded into its request type.
    pub request: E,
    /// 1 for the first time this request was received, 2 for its first resend, and so on
    /// (counting earlier calls of the endpoint with an equal request).
    pub attempt: u32,
}

/// A request a fake refused before it reached an endpoint's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The API name of the endpoint, when the request was routed to one.
    pub api_name: Option<&'static str>,
    /// Why, in words; never holds a credential.
    pub reason: String,
}

/// The protocol family a fake renders an answer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Oapi,
    Top { method: &'static str },
    ClassIn,
}

/// An HTTP answer of a fake.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub delay: Duration,
}

pub(crate) const JSON: &str = "application/json;charset=UTF-8";

impl Rendered {
    pub(crate) fn json(body: &Value) -> Rendered {
        Rendered {
            status: 200,
            content_type: JSON.to_owned(),
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn into_response(self) -> axum::response::Response {
        axum::response::Response::builder()
            .status(self.status)
            .header("content-type", self.content_type)
            .body(axum::body::Body::from(self.body))
            .unwrap_or_default()
    }
}

/// What arrived for an endpoint, in the form its family sends.
pub(crate) enum WireBody<'a> {
    Json(&'a [u8]),
    Form(&'a [(String, String)]),
    Multipart(&'a [(String, String)], &'a [wire::ReceivedFile]),
}

/// Why an endpoint did not answer what the test registered.
pub(crate) enum Refused {
    /// The request could not be read into the request type.
    Undecodable {
        missing: Option<String>,
        message: String,
    },
    /// The request breaks documented limits; the message lists them (without values).
    Invalid(String),
}

fn object(response: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(response) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn request_id() -> Value {
    Value::String(format!("fake-{:016x}", fastrand::u64(..)))
}

fn render<R: Serialize>(family: Family, kind: Kind<R>) -> Rendered {
    let with = |mut map: Map<String, Value>, pairs: Vec<(&str, Value)>| {
        for (k, v) in pairs {
            map.entry(k.to_owned()).or_insert(v);
        }
        Value::Object(map)
    };
    let ok_payload = |kind: Kind<R>| match kind {
        Kind::Ok(r) => object(&r),
        Kind::Example(payload) => payload,
        _ => Map::new(),
    };
    match (family, kind) {
        (
            _,
            Kind::Raw {
                status,
                content_type,
                body,
            },
        ) => Rendered {
            status,
            content_type,
            body,
            delay: Duration::ZERO,
        },
        (Family::Oapi, kind @ (Kind::Empty | Kind::Example(_) | Kind::Ok(_))) => {
            Rendered::json(&with(
                ok_payload(kind),
                vec![
                    ("errcode", 0.into()),
                    ("errmsg", "ok".into()),
                    ("request_id", request_id()),
                ],
            ))
        }
        (Family::Oapi, Kind::Error { code, message, sub }) => {
            let mut map = Map::new();
            map.insert("errcode".into(), code.into());
            map.insert("errmsg".into(), message.into());
            if let Some((sub_code, sub_msg)) = sub {
                map.insert("sub_code".into(), sub_code.into());
                map.insert("sub_msg".into(), sub_msg.into());
            }
            map.insert("request_id".into(), request_id());
            Rendered::json(&Value::Object(map))
        }
        (
            Family::Oapi,
            Kind::Partial {
                code,
                message,
                response,
            },
        ) => {
            let mut map = object(&response);
            map.insert("errcode".into(), code.into());
            map.insert("errmsg".into(), message.into());
            Rendered::json(&with(map, vec![("request_id", request_id())]))
        }
        (Family::Top { method }, kind @ (Kind::Empty | Kind::Example(_) | Kind::Ok(_))) => {
            let payload = with(ok_payload(kind), vec![("request_id", request_id())]);
            let mut root = Map::new();
            root.insert(format!("{}_response", method.replace('.', "_")), payload);
            Rendered::json(&Value::Object(root))
        }
        (Family::Top { .. }, Kind::Error { code, message, sub }) => top_error(
            code,
            &message,
            sub.as_ref().map(|(c, m)| (c.as_str(), m.as_str())),
        ),
        (Family::Top { .. }, Kind::Partial { code, message, .. }) => {
            top_error(code, &message, None)
        }
        (Family::ClassIn, kind @ (Kind::Empty | Kind::Example(_) | Kind::Ok(_))) => {
            let mut map = ok_payload(kind);
            map.insert(
                "error_info".into(),
                serde_json::json!({"errno": 1, "error": "程序正常执行"}),
            );
            Rendered::json(&Value::Object(map))
        }
        (Family::ClassIn, Kind::Error { code, message, .. }) => {
            Rendered::json(&serde_json::json!({"error_info": {"errno": code, "error": message}}))
        }
        (
            Family::ClassIn,
            Kind::Partial {
                code,
                message,
                response,
            },
        ) => {
            let mut map = object(&response);
            map.insert(
                "error_info".into(),
                serde_json::json!({"errno": code, "error": message}),
            );
            Rendered::json(&Value::Object(map))
        }
    }
}

/// A TOP `error_response`.
pub(crate) fn top_error(code: i64, msg: &str, sub: Option<(&str, &str)>) -> Rendered {
    let mut err = Map::new();
    err.insert("code".into(), code.into());
    err.insert("msg".into(), msg.into());
    if let Some((sub_code, sub_msg)) = sub {
        err.insert("sub_code".into(), sub_code.into());
        err.insert("sub_msg".into(), sub_msg.into());
    }
    err.insert("request_id".into(), request_id());
    Rendered::json(&serde_json::json!({ "error_response": err }))
}

type Handler<E> = Arc<dyn Fn(&E) -> Answer<E> + Send + Sync>;

/// One registered endpoint: its answers and its calls.
struct Slot<E: Endpoint> {
    handler: Mutex<Option<Handler<E>>>,
    queued: Mutex<VecDeque<Answer<E>>>,
    calls: Mutex<Vec<Recorded<E>>>,
}

/// A registered endpoint, its request type erased.
pub(crate) trait AnySlot: Send + Sync {
    fn api_name(&self) -> &'static str;
    /// The TOP method name (the API name for endpoints of other families).
    fn top_method(&self) -> &'static str;
    /// Read, validate, record and answer one call.
    fn handle(&self, family: Family, body: WireBody<'_>) -> Result<Rendered, Refused>;
    fn as_any(&self) -> &dyn Any;
}

impl<E> AnySlot for Slot<E>
where
    E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
    E::Response: Serialize + Send + Sync,
{
    fn api_name(&self) -> &'static str {
        E::API_NAME
    }

    fn top_method(&self) -> &'static str {
        crate::top::method_name::<E>()
    }

    fn handle(&self, family: Family, body: WireBody<'_>) -> Result<Rendered, Refused> {
        let decoded: Result<E, _> = match body {
            WireBody::Json(bytes) => wire::from_json(bytes),
            WireBody::Form(pairs) => wire::from_form(pairs, &[], E::FIELD_ENCODINGS),
            WireBody::Multipart(pairs, files) => wire::from_form(pairs, files, E::FIELD_ENCODINGS),
        };
        let request = decoded.map_err(|f| Refused::Undecodable {
            missing: f.missing,
            message: f.message,
        })?;
        if let Err(e) = request.validate() {
            return Err(Refused::Invalid(e.to_string()));
        }
        let handler = lock(&self.handler).clone();
        {
            let mut calls = lock(&self.calls);
            let earlier = calls.iter().filter(|c| c.request == request).count();
            calls.push(Recorded {
                request: request.clone(),
                attempt: u32::try_from(earlier + 1).unwrap_or(u32::MAX),
            });
        }
        let queued = lock(&self.queued).pop_front();
        let answer = match (queued, handler) {
            (Some(answer), _) => answer,
            (None, Some(handler)) => handler(&request),
            (None, None) => Answer::example(),
        };
        let delay = answer.delay;
        let mut rendered = render(family, answer.kind);
        rendered.delay = delay;
        Ok(rendered)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The endpoints of one fake, by route key, and the requests it refused.
#[derive(Default)]
pub(crate) struct Endpoints {
    slots: Mutex<HashMap<String, Arc<dyn AnySlot>>>,
    refusals: Mutex<Vec<Refusal>>,
}

impl Endpoints {
    fn slot<E>(&self, key: String) -> Arc<dyn AnySlot>
    where
        E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
        E::Response: Serialize + Send + Sync,
    {
        let mut slots = lock(&self.slots);
        let existing = slots
            .get(&key)
            .filter(|s| s.as_any().is::<Slot<E>>())
            .cloned();
        existing.unwrap_or_else(|| {
            let slot: Arc<dyn AnySlot> = Arc::new(Slot::<E> {
                handler: Mutex::new(None),
                queued: Mutex::new(VecDeque::new()),
                calls: Mutex::new(Vec::new()),
            });
            slots.insert(key, slot.clone());
            slot
        })
    }

    fn typed<E: Endpoint + 'static, T>(
        &self,
        key: &str,
        read: impl FnOnce(&Slot<E>) -> T,
    ) -> Option<T> {
        let slot = lock(&self.slots).get(key).cloned()?;
        slot.as_any().downcast_ref::<Slot<E>>().map(read)
    }

    pub(crate) fn on<E, F>(&self, key: String, handler: F)
    where
        E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
        E::Response: Serialize + Send + Sync,
        F: Fn(&E) -> Answer<E> + Send + Sync + 'static,
    {
        self.slot::<E>(key.clone());
        let handler: Handler<E> = Arc::new(handler);
        self.typed::<E, _>(&key, |s| *lock(&s.handler) = Some(handler));
    }

    pub(crate) fn accept<E>(&self, key: String)
    where
        E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
        E::Response: Serialize + Send + Sync,
    {
        self.slot::<E>(key);
    }

    pub(crate) fn once<E>(&self, key: String, answer: Answer<E>)
    where
        E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
        E::Response: Serialize + Send + Sync,
    {
        self.slot::<E>(key.clone());
        self.typed::<E, _>(&key, |s| lock(&s.queued).push_back(answer));
    }

    pub(crate) fn recorded<E: Endpoint + Clone + 'static>(&self, key: &str) -> Vec<Recorded<E>> {
        self.typed::<E, _>(key, |s| lock(&s.calls).clone())
            .unwrap_or_default()
    }

    pub(crate) fn call_count<E: Endpoint + 'static>(&self, key: &str) -> usize {
        self.typed::<E, _>(key, |s| lock(&s.calls).len())
            .unwrap_or_default()
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<dyn AnySlot>> {
        lock(&self.slots).get(key).cloned()
    }

    pub(crate) fn refuse(&self, api_name: Option<&'static str>, reason: impl Into<String>) {
        lock(&self.refusals).push(Refusal {
            api_name,
            reason: reason.into(),
        });
    }

    pub(crate) fn refusals(&self) -> Vec<Refusal> {
        lock(&self.refusals).clone()
    }
}

/// Serves `router` on 127.0.0.1 at a port the system chooses until the returned sender is
/// dropped; returns `http://127.0.0.1:<port>`.
pub(crate) async fn serve(
    router: axum::Router,
) -> std::io::Result<(String, tokio::sync::oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(error = %e, "fake vendor server stopped");
        }
    });
    Ok((base, stop))
}

/// The text of the query or form pair `key`.
pub(crate) fn pair<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Methods shared by both fakes, delegating to their [`Endpoints`].
macro_rules! endpoint_methods {
    ($family:literal, $check:ident) => {
        /// Answers every call of endpoint `E` with what `handler` returns for its decoded
        /// request (after the fake's checks and validation passed). Replaces an earlier
        /// handler of `E`.
        #[doc = concat!("`E` must be an endpoint of the ", $family, " family: another fails to build.")]
        pub fn on<E, F>(&self, handler: F)
        where
            E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
            E::Response: Serialize + Send + Sync,
            F: Fn(&E) -> Answer<E> + Send + Sync + 'static,
        {
            self.inner.endpoints.on::<E, F>($check::<E>(), handler);
        }

        /// Serves endpoint `E`, answering its calls with its spec's example response until a handler is
        /// registered.
        pub fn accept<E>(&self)
        where
            E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
            E::Response: Serialize + Send + Sync,
        {
            self.inner.endpoints.accept::<E>($check::<E>());
        }

        /// Answers the next call of `E` with `answer`, before the handler; queued answers are
        /// used in order. Serves `E` if it was not served yet.
        pub fn once<E>(&self, answer: Answer<E>)
        where
            E: Endpoint + DeserializeOwned + Clone + PartialEq + 'static,
            E::Response: Serialize + Send + Sync,
        {
            self.inner.endpoints.once::<E>($check::<E>(), answer);
        }

        /// The decoded requests of every call of `E` that reached its answer, in order.
        pub fn calls<E: Endpoint + Clone + 'static>(&self) -> Vec<E> {
            self.recorded::<E>()
                .into_iter()
                .map(|r| r.request)
                .collect()
        }

        /// The calls of `E` with their attempt numbers, in order.
        pub fn recorded<E: Endpoint + Clone + 'static>(&self) -> Vec<Recorded<E>> {
            self.inner.endpoints.recorded::<E>(&$check::<E>())
        }

        /// How many calls of `E` reached its answer.
        pub fn call_count<E: Endpoint + 'static>(&self) -> usize {
            self.inner.endpoints.call_count::<E>(&$check::<E>())
        }

        /// Requests refused before they reached an endpoint's answer: bad credentials, an
        /// unknown API, a request that does not decode or breaks a documented limit.
        pub fn refusals(&self) -> Vec<Refusal> {
            self.inner.endpoints.refusals()
        }
    };
}
pub(crate) use endpoint_methods;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_error_and_oapi_envelopes() {
        let r = top_error(22, "Invalid method", Some(("isv.invalid-method", "x")));
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error_response"]["code"], 22);
        assert_eq!(v["error_response"]["sub_code"], "isv.invalid-method");
        let r = render::<Value>(Family::Oapi, Kind::Empty);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            (v["errcode"].clone(), v["errmsg"].clone()),
            (0.into(), "ok".into())
        );
    }
}
