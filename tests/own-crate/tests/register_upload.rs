//! `register` over the wire: the generated client sends the avatar and the text fields as a
//! `multipart/form-data` body to a loopback ClassIn server, which parses it part by part, checks
//! `SID`, `timeStamp` and `safeKey = md5(SECRET + timeStamp)`, and answers with the new UID.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use client_runtime::{Error, File, ManualClock, RetryPolicy};
use md5::{Digest, Md5};
use own_crate::classin::register::{RegisterErrorCode, RegisterRequest};
use own_crate::classin::ClassInClient;

const SID: &str = "2339736";
const SECRET: &str = "own-crate-classin-secret";
const NOW: i64 = 1_493_725_870;
const AVATAR: &[u8] = b"\x89PNG\r\n\x1a\n not really a picture";

/// One part of a multipart body: its name, file name, content type and bytes.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// What the server received: the query, the `Content-Type` header and the parts.
#[derive(Debug, Default)]
struct Received {
    query: HashMap<String, String>,
    content_type: String,
    parts: Vec<Part>,
}

type Seen = Arc<Mutex<Vec<Received>>>;

async fn classin(
    State(seen): State<Seen>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> String {
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        parts.push(Part {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(str::to_owned),
            bytes: field.bytes().await.expect("the part's bytes").to_vec(),
        });
    }
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name && p.file_name.is_none())
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
    };
    let authentic = match (text("SID"), text("timeStamp"), text("safeKey")) {
        (Some(sid), Some(time), Some(key)) => {
            sid == SID && key == md5_hex(&format!("{SECRET}{time}"))
        }
        _ => false,
    };
    let answer = if authentic && query.get("action").map(String::as_str) == Some("register") {
        r#"{"data":1000082,"error_info":{"errno":1,"error":"程序正常执行"}}"#
    } else {
        r#"{"error_info":{"errno":102,"error":"表示无权限(安全验证没通过)"}}"#
    };
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    seen.lock().unwrap().push(Received {
        query,
        content_type,
        parts,
    });
    answer.to_owned()
}

fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

/// A loopback server on 127.0.0.1 and what it receives.
async fn server() -> (String, Seen) {
    let seen = Seen::default();
    let router = axum::Router::new()
        .route("/partner/api/course.api.php", axum::routing::post(classin))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, seen)
}

fn client(base: &str, secret: &str) -> ClassInClient {
    let runtime = client_runtime::classin::ClassInClient::builder(SID, secret)
        .base_url(base)
        .clock(ManualClock::at_unix(NOW))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    ClassInClient::new(runtime)
}

fn request() -> RegisterRequest {
    let mut request = RegisterRequest::new();
    request.telephone = Some("13800138000".into());
    request.password = Some("secret-1".into());
    request.nickname = Some("小明".into());
    request.avatar = Some(File::from_bytes("me.png", AVATAR));
    request
}

#[tokio::test]
async fn register_sends_the_avatar_as_a_file_part_and_decodes_the_uid() {
    let (base, seen) = server().await;
    let response = client(&base, SECRET).register(&request()).await.unwrap();
    assert_eq!(response.data, Some(1_000_082));

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let received = &seen[0];
    assert_eq!(
        received.query.get("action").map(String::as_str),
        Some("register")
    );
    assert!(
        received
            .content_type
            .starts_with("multipart/form-data; boundary="),
        "{}",
        received.content_type
    );
    let text = |name: &str| {
        let parts: Vec<&Part> = received.parts.iter().filter(|p| p.name == name).collect();
        assert_eq!(parts.len(), 1, "{name}: {:?}", received.parts);
        assert_eq!(
            (
                parts[0].file_name.as_deref(),
                parts[0].content_type.as_deref()
            ),
            (None, None),
            "{name}"
        );
        String::from_utf8(parts[0].bytes.clone()).unwrap()
    };
    assert_eq!(text("SID"), SID);
    assert_eq!(text("timeStamp"), NOW.to_string());
    assert_eq!(text("safeKey"), md5_hex(&format!("{SECRET}{NOW}")));
    assert_eq!(text("telephone"), "13800138000");
    assert_eq!(text("password"), "secret-1");
    assert_eq!(text("nickname"), "小明");

    let file = received
        .parts
        .iter()
        .find(|p| p.name == "Filedata")
        .expect("a Filedata part");
    assert_eq!(file.file_name.as_deref(), Some("me.png"));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(file.bytes, AVATAR);

    let mut names: Vec<&str> = received.parts.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Filedata",
            "SID",
            "nickname",
            "password",
            "safeKey",
            "telephone",
            "timeStamp"
        ],
        "absent fields are not sent"
    );
}

#[tokio::test]
async fn a_wrong_secret_gets_the_typed_error_code() {
    let (base, _) = server().await;
    match client(&base, "not-the-secret").register(&request()).await {
        Err(Error::ClassIn {
            code: RegisterErrorCode::Unauthorized,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_request_breaking_a_limit_is_not_sent() {
    let (base, seen) = server().await;
    let mut too_big = request();
    too_big.avatar = Some(File::from_bytes("me.png", vec![0u8; 1_048_577]));
    let error = client(&base, SECRET).register(&too_big).await.unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert!(seen.lock().unwrap().is_empty());
}
