//! Per-call options: a timeout, a retry policy, extra headers and a request id set on one call
//! apply to that call only, and the detailed reply carries the answer's status and headers.

mod support;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use client_runtime::dingtalk::DingTalkClient;
use client_runtime::{CallOptions, Error, RetryPolicy};
use support::endpoints::edu_period;
use support::fake_dingtalk::EDU_PERIOD_OK;
use support::{capture_logs, LogBuffer};
use tracing::Instrument;

const TOKEN: &str = "TOKEN-per-call-0001";
const BUSY: &str = r#"{"errcode":-1,"errmsg":"系统繁忙"}"#;

/// What the server answers next: a body after a delay. With nothing scripted it answers
/// [`EDU_PERIOD_OK`] at once.
#[derive(Default)]
struct Server {
    script: Mutex<VecDeque<(&'static str, Duration)>>,
    seen: Mutex<Vec<HeaderMap>>,
}

impl Server {
    fn push(&self, body: &'static str, delay: Duration) {
        self.script.lock().unwrap().push_back((body, delay));
    }

    fn calls(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn header(&self, call: usize, name: &str) -> Option<String> {
        self.seen.lock().unwrap()[call]
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

async fn api(State(server): State<Arc<Server>>, headers: HeaderMap) -> impl IntoResponse {
    server.seen.lock().unwrap().push(headers);
    let next = server.script.lock().unwrap().pop_front();
    let (body, delay) = next.unwrap_or((EDU_PERIOD_OK, Duration::ZERO));
    tokio::time::sleep(delay).await;
    let mut answer_headers = HeaderMap::new();
    answer_headers.insert("content-type", HeaderValue::from_static("application/json"));
    answer_headers.insert("x-served-by", HeaderValue::from_static("loopback-7"));
    // A server that echoes the credential back in a header.
    answer_headers.insert("x-echo", HeaderValue::from_static(TOKEN));
    (StatusCode::OK, answer_headers, body)
}

async fn start() -> (Arc<Server>, DingTalkClient) {
    let server = Arc::new(Server::default());
    let app = axum::Router::new()
        .route("/topapi/edu/period/create", post(api))
        .route("/gettoken", get(|| async { "unused" }))
        .with_state(server.clone());
    let base = support::serve(app).await;
    let client = DingTalkClient::builder()
        .access_token(TOKEN)
        .oapi_base_url(base)
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_timeout_set_on_a_call_applies_to_that_call_only() {
    let (server, client) = start().await;
    let request = edu_period();
    server.push(EDU_PERIOD_OK, Duration::from_millis(1500));
    let started = Instant::now();
    let e = client
        .call(&request)
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );

    // The next call has the client's 5 s: the same slowness is waited out.
    server.push(EDU_PERIOD_OK, Duration::from_millis(700));
    let response = client.call(&request).await.unwrap();
    assert_eq!(response.result.unwrap().dept_id, Some(415999017));
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn a_retry_policy_set_on_a_call_applies_to_that_call_only() {
    let (server, client) = start().await;
    let request = edu_period();
    // The client retries nothing; this call retries twice and succeeds on its third attempt.
    server.push(BUSY, Duration::ZERO);
    server.push(BUSY, Duration::ZERO);
    let reply = client
        .call(&request)
        .retry(RetryPolicy::fixed(2, Duration::from_millis(1)))
        .detailed()
        .await
        .unwrap();
    assert_eq!(reply.attempts, 3);
    assert_eq!(server.calls(), 3);

    // The next call has the client's policy again: one busy answer fails it.
    server.push(BUSY, Duration::ZERO);
    let e = client.call(&request).await.unwrap_err();
    assert!(matches!(e, Error::DingTalk { errcode: -1, .. }), "{e:?}");
    assert_eq!(server.calls(), 4);

    // And options given whole work the same way.
    server.push(BUSY, Duration::ZERO);
    let options = CallOptions::new().retry(RetryPolicy::fixed(1, Duration::from_millis(1)));
    let reply = client
        .call(&request)
        .options(options)
        .detailed()
        .await
        .unwrap();
    assert_eq!((reply.attempts, server.calls()), (2, 6));
}

#[tokio::test]
async fn headers_and_a_request_id_go_with_their_call_only() {
    let (server, client) = start().await;
    let request = edu_period();
    client
        .call(&request)
        .header("x-tenant", "school-42")
        .request_id("job-7/step-3")
        .await
        .unwrap();
    client.call(&request).await.unwrap();
    assert_eq!(server.header(0, "x-tenant").as_deref(), Some("school-42"));
    assert_eq!(
        server.header(0, "x-request-id").as_deref(),
        Some("job-7/step-3")
    );
    assert_eq!(server.header(1, "x-tenant"), None);
    assert_eq!(server.header(1, "x-request-id"), None);

    // An id given both ways is sent once, as the request id.
    client
        .call(&request)
        .header("x-request-id", "from-header")
        .request_id("from-option")
        .await
        .unwrap();
    let seen = server.seen.lock().unwrap()[2]
        .get_all("x-request-id")
        .iter()
        .count();
    assert_eq!(seen, 1);
    assert_eq!(
        server.header(2, "x-request-id").as_deref(),
        Some("from-option")
    );
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_fails_the_call_before_sending() {
    let (server, client) = start().await;
    let e = client
        .call(&edu_period())
        .header("x-bad", "line\nbreak")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Encode(_)), "{e:?}");
    assert!(e.to_string().contains("x-bad"), "{e}");
    let e = client
        .call(&edu_period())
        .header("bad header", "v")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("header name"), "{e}");
    let e = client
        .call(&edu_period())
        .request_id("id\r\nx-injected: 1")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("request id"), "{e}");
    assert_eq!(server.calls(), 0);
}

#[tokio::test]
async fn the_detailed_reply_has_status_and_headers_without_credentials() {
    let (_server, client) = start().await;
    let reply = client.call(&edu_period()).detailed().await.unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply
            .headers
            .get("x-served-by")
            .map(|v| v.to_str().unwrap()),
        Some("loopback-7")
    );
    let echoed = reply.headers.get("x-echo").unwrap().to_str().unwrap();
    assert_eq!(echoed, "[redacted]");
    assert!(!format!("{reply:?}").contains(TOKEN));
}

#[tokio::test]
async fn options_debug_shows_header_names_not_values() {
    let options = CallOptions::new()
        .header("authorization", "Bearer SECRET-VALUE")
        .request_id("r-1")
        .timeout(Duration::from_secs(1));
    let shown = format!("{options:?}");
    assert!(
        shown.contains("authorization") && shown.contains("r-1"),
        "{shown}"
    );
    assert!(!shown.contains("SECRET-VALUE"), "{shown}");
}

/// The call's span opens when the call is first polled, so it nests under the span the call is
/// awaited in, even when the call was built outside it.
#[tokio::test]
async fn the_call_span_nests_under_the_span_it_is_awaited_in() {
    let (_server, client) = start().await;
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(capture_logs(&logs));
    let request = edu_period();
    let call = client.call(&request).detailed();
    call.instrument(tracing::info_span!("job")).await.unwrap();
    let logs = logs.contents();
    assert!(logs.contains("job:api_call{"), "{logs}");
}
