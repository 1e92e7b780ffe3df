//! A loopback server (127.0.0.1 only) that records every request exactly as it arrives and
//! answers through a function of the test's choosing.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::Serialize;

/// One request as it went over the wire, for snapshots.
#[derive(Debug, Clone, Serialize)]
pub struct WireRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query exactly as sent (percent-encoded).
    pub url: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body exactly as sent.
    pub body: String,
    /// The query decoded, for reading.
    pub query: Vec<(String, String)>,
    /// The form body decoded, for reading (empty unless the body is a form).
    pub form: Vec<(String, String)>,
}

impl WireRequest {
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

type Answer = Box<dyn Fn(&WireRequest) -> (u16, String) + Send + Sync>;

struct Inner {
    seen: Mutex<Vec<WireRequest>>,
    answer: Answer,
}

/// A running recording server.
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<Inner>,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Recorder {
    /// Start a server answering every request with `answer` (status, JSON body).
    pub async fn start(
        answer: impl Fn(&WireRequest) -> (u16, String) + Send + Sync + 'static,
    ) -> Self {
        let inner = Arc::new(Inner {
            seen: Mutex::new(Vec::new()),
            answer: Box::new(answer),
        });
        let router = axum::Router::new()
            .fallback(handle)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Recorder { inner, base }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<WireRequest> {
        self.inner.seen.lock().unwrap().clone()
    }
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = String::from_utf8_lossy(&body).into_owned();
    let is_form = content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let request = WireRequest {
        method: method.to_string(),
        url: uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        query: serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default(),
        form: if is_form {
            serde_urlencoded::from_str(&body).unwrap_or_default()
        } else {
            Vec::new()
        },
        content_type,
        body,
    };
    let (status, answer) = (inner.answer)(&request);
    inner.seen.lock().unwrap().push(request);
    Response::builder()
        .status(status)
        .header("content-type", "application/json;charset=UTF-8")
        .body(axum::body::Body::from(answer))
        .unwrap()
}
