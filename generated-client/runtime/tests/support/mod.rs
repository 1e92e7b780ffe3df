//! Loopback fakes of the vendor servers, the four endpoints mirrored by hand, and a log capture.
//!
//! The fakes check what the real servers check (token, TOP system parameters and signature,
//! ClassIn `safeKey` and time window, that the body decodes) and answer with the vendor pages'
//! example responses unless a test scripts other answers. They listen on 127.0.0.1 only.
#![allow(dead_code)]

pub mod endpoints;
pub mod fake_classin;
pub mod fake_dingtalk;

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, Method, Uri};

/// A request as the fake server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub query: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Recorded {
    pub fn new(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Self {
        let raw_query = uri.query().unwrap_or("").to_owned();
        Recorded {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: serde_urlencoded::from_str(&raw_query).unwrap_or_default(),
            raw_query,
            content_type: headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&self.body).unwrap_or_default()
    }

    pub fn f(&self, key: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// An answer a test scripts for the next API call (after the fake's own checks passed).
#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub delay: Duration,
}

pub fn json(body: &str) -> Scripted {
    Scripted {
        status: 200,
        content_type: "application/json;charset=UTF-8",
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

pub fn html(status: u16, body: &str) -> Scripted {
    Scripted {
        status,
        content_type: "text/html",
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

pub fn slow(body: &str, delay: Duration) -> Scripted {
    Scripted {
        delay,
        ..json(body)
    }
}

/// Scripted answers, taken in order.
#[derive(Default)]
pub struct Script(Mutex<VecDeque<Scripted>>);

impl Script {
    pub fn push(&self, s: Scripted) {
        self.0.lock().unwrap().push_back(s);
    }
    pub fn next(&self) -> Option<Scripted> {
        self.0.lock().unwrap().pop_front()
    }
}

pub fn respond(s: Scripted) -> axum::response::Response {
    axum::response::Response::builder()
        .status(s.status)
        .header("content-type", s.content_type)
        .body(axum::body::Body::from(s.body))
        .unwrap()
}

/// Serve `router` on 127.0.0.1 with an OS-chosen port; returns `http://127.0.0.1:<port>`.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

/// Serve `router` on an already bound listener.
pub fn serve_on(listener: tokio::net::TcpListener, router: axum::Router) {
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// Lowercase hex MD5, written independently of the runtime.
pub fn md5_hex(data: &str) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(data.as_bytes()))
}

/// A buffer that a `tracing_subscriber` writes its log lines into.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A subscriber logging everything at TRACE level into `buffer`.
pub fn capture_logs(buffer: &LogBuffer) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish()
}

/// The fixed instant the tests' clocks show: 2017-05-02 11:51:10 UTC (Unix 1493725870).
pub const NOW_UNIX: i64 = 1_493_725_870;

pub fn fixed_clock() -> client_runtime::ManualClock {
    client_runtime::ManualClock::at_unix(NOW_UNIX)
}

/// Retries without waiting long: `n` retries 1 ms apart.
pub fn quick_retries(n: u32) -> client_runtime::RetryPolicy {
    client_runtime::RetryPolicy::fixed(n, Duration::from_millis(1))
}

/// A DingTalk client builder for the fake at `base`: the fake's app credentials, the fixed
/// clock, three quick retries.
pub fn dingtalk_app(base: &str) -> client_runtime::dingtalk::DingTalkClientBuilder {
    client_runtime::dingtalk::DingTalkClient::builder()
        .app_credentials(fake_dingtalk::APP_KEY, fake_dingtalk::APP_SECRET)
        .oapi_base_url(base)
        .top_base_url(base)
        .clock(fixed_clock())
        .retry_policy(quick_retries(3))
}

/// A ClassIn client builder for the fake at `base`, with the fixed clock.
pub fn classin_school(base: &str) -> client_runtime::classin::ClassInClientBuilder {
    client_runtime::classin::ClassInClient::builder(fake_classin::SID, fake_classin::SECRET)
        .base_url(base)
        .clock(fixed_clock())
}
