//! A vendor that misbehaves cannot panic the client, stampede `gettoken`, fail calls that hold a
//! valid token, leak credentials, fake a success, blow up memory, or lose a partial success's
//! payload. One test (or a few) per way of misbehaving, against loopback fakes.

mod support;

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use client_runtime::blocking::BlockingDingTalkClient;
use client_runtime::classin::ClassInClient;
use client_runtime::dingtalk::{DingTalkClient, DingTalkClientBuilder};
use client_runtime::{
    CodeKind, Endpoint, Error, ErrorCode, FieldEncoding, HttpMethod, ManualClock, Path, Protocol,
    Route, TokenError, Validate, Violations,
};
use support::endpoints::{add_students, edu_period, extcontact, AddCourseStudentMultiple};
use support::fake_classin::{FakeClassIn, SECRET, SID};
use support::fake_dingtalk::{FakeDingTalk, APP_SECRET};
use support::{capture_logs, html, json, quick_retries, slow, LogBuffer, NOW_UNIX};

fn app(base: &str) -> DingTalkClientBuilder {
    support::dingtalk_app(base)
}

fn token_answer(expires_in: &str) -> String {
    format!(
        r#"{{"errcode":0,"errmsg":"ok","access_token":"SERVER-TOKEN-1","expires_in":{expires_in}}}"#
    )
}

// ---- 1. A server-controlled number cannot panic the client --------------------------------------

#[tokio::test]
async fn any_expires_in_is_clamped_or_refused_never_a_panic() {
    // (expires_in, whether the token is taken): numbers of any size are clamped to between 60 s
    // and 24 h, an absent one is the documented 7,200 s, anything else is refused.
    for (expires_in, taken) in [
        ("300000000000", true),
        ("9223372036854775807", true),
        ("-9223372036854775808", true),
        ("-1", true),
        ("0", true),
        ("1e308", true),
        ("\"7200\"", true),
        ("null", true),
        ("\"soon\"", false),
        ("[]", false),
        ("{}", false),
        ("true", false),
    ] {
        let (fake, base) = FakeDingTalk::start().await;
        fake.accept_token("SERVER-TOKEN-1");
        fake.set_token_answer(Some(json(&token_answer(expires_in))));
        let client = app(&base).build().unwrap();
        for _ in 0..3 {
            match client.call(&edu_period()).await {
                Ok(_) if taken => {}
                Err(Error::Token(TokenError::UnexpectedBody { .. })) if !taken => {}
                other => panic!("expires_in {expires_in}: {:?}", other.map(|_| ())),
            }
        }
        // A clamped lifetime is still a lifetime (no fetch per call), and a refusal is
        // remembered for the back-off.
        assert_eq!(fake.gettoken_calls(), 1, "expires_in {expires_in}");
    }
}

#[test]
fn a_huge_expires_in_does_not_kill_a_blocking_callers_thread() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (fake, base) = rt.block_on(FakeDingTalk::start());
    fake.accept_token("SERVER-TOKEN-1");
    fake.set_token_answer(Some(json(&token_answer("300000000000"))));
    let client = BlockingDingTalkClient::new(app(&base).build().unwrap()).unwrap();
    let outcome = std::thread::spawn(move || {
        (0..3)
            .map(|_| {
                client
                    .call(&edu_period())
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
            .collect::<Vec<_>>()
    })
    .join()
    .expect("the caller's thread panicked");
    assert!(outcome.iter().all(Result::is_ok), "{outcome:?}");
    assert_eq!(fake.gettoken_calls(), 1);
}

// ---- 2. A failing gettoken is fetched once for everyone, and waiting is bounded ------------------

#[tokio::test]
async fn a_refused_gettoken_is_shared_by_a_thousand_concurrent_callers() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.set_token_answer(Some(json(
        r#"{"errcode":40089,"errmsg":"不合法的corpid或corpsecret"}"#,
    )));
    let client = app(&base).build().unwrap();
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.call(&edu_period()).await })
    });
    for call in futures_join(calls).await {
        assert!(matches!(
            call,
            Err(Error::Token(TokenError::Api { errcode: 40089, .. }))
        ));
    }
    assert_eq!(fake.gettoken_calls(), 1);
    assert_eq!(fake.api_calls(), 0);
}

#[tokio::test]
async fn a_busy_gettoken_is_asked_once_per_back_off_however_many_callers_retry() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.set_token_answer(Some(json(r#"{"errcode":-1,"errmsg":"系统繁忙"}"#)));
    let backoff = Duration::from_millis(400);
    let client = app(&base).token_failure_backoff(backoff).build().unwrap();
    // Ten callers, each retrying three times within the back-off: one gettoken.
    let calls = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.call(&edu_period()).await })
    });
    for call in futures_join(calls).await {
        let e = call.unwrap_err();
        assert!(
            matches!(e, Error::Token(TokenError::Api { errcode: -1, .. })),
            "{e}"
        );
    }
    assert_eq!(fake.gettoken_calls(), 1);
    // Once the back-off has passed, the next caller asks again; gettoken has recovered.
    tokio::time::sleep(backoff + Duration::from_millis(100)).await;
    fake.set_token_answer(None);
    client.call(&edu_period()).await.unwrap();
    assert_eq!(fake.gettoken_calls(), 2);
}

#[tokio::test]
async fn waiting_for_a_hanging_gettoken_is_bounded_by_each_calls_timeout() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.set_token_answer(Some(slow(&token_answer("7200"), Duration::from_secs(30))));
    let timeout = Duration::from_millis(300);
    let client = app(&base).timeout(timeout).build().unwrap();
    let started = Instant::now();
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            let e = client.call(&edu_period()).await.unwrap_err();
            (e.is_timeout(), Instant::now())
        })
    });
    for (timed_out, ended) in futures_join(calls).await {
        assert!(timed_out);
        let waited = ended - started;
        assert!(waited < timeout * 3, "a caller waited {waited:?}");
    }
    assert_eq!(fake.gettoken_calls(), 1);
}

/// Clients that share a token cache may run on different runtimes (blocking wrappers each own
/// one, which runs only while its caller waits): a fetch whose runtime shut down, or sits idle,
/// must not block the others.
#[test]
fn a_fetch_stranded_on_another_runtime_does_not_block_later_calls() {
    for shut_down in [true, false] {
        let server = tokio::runtime::Runtime::new().unwrap();
        let (fake, base) = server.block_on(FakeDingTalk::start());
        fake.set_token_answer(Some(slow(&token_answer("7200"), Duration::from_secs(30))));
        let cache = client_runtime::token::TokenCache::new();
        let client = || {
            app(&base)
                .token_cache(cache.clone())
                .timeout(Duration::from_millis(300))
                .build()
                .unwrap()
        };
        let runtime = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
        };
        let first = runtime();
        let e = first
            .block_on(client().call(&edu_period()).into_future())
            .unwrap_err();
        assert!(e.is_timeout(), "{e}");
        // The runtime that ran the fetch is gone (and the fetch with it), or idle.
        if shut_down {
            drop(first);
        }
        fake.set_token_answer(None);
        runtime()
            .block_on(client().call(&edu_period()).into_future())
            .unwrap_or_else(|e| panic!("shut down {shut_down}: {e}"));
        assert_eq!(fake.gettoken_calls(), 2);
    }
}

// ---- 3. A failed early refresh keeps serving the valid token ------------------------------------

#[tokio::test]
async fn a_failing_early_refresh_keeps_the_valid_token_in_use() {
    let (fake, base) = FakeDingTalk::start().await;
    let clock = ManualClock::at_unix(NOW_UNIX);
    let backoff = Duration::from_millis(300);
    let client = app(&base)
        .clock(clock.clone())
        .timeout(Duration::from_millis(500))
        .token_failure_backoff(backoff)
        .build()
        .unwrap();
    client.call(&edu_period()).await.unwrap();
    assert_eq!(fake.gettoken_calls(), 1);
    // 7,000 of the token's 7,200 seconds later the refresh is due; gettoken is busy. Every call
    // goes through with the valid token, and the refresh is tried once, not once per call.
    clock.advance(Duration::from_secs(7000));
    fake.set_token_answer(Some(json(r#"{"errcode":-1,"errmsg":"系统繁忙"}"#)));
    for _ in 0..5 {
        client.call(&edu_period()).await.unwrap();
    }
    assert_eq!(fake.gettoken_calls(), 2);
    // After the back-off the refresh is tried again, and this time gettoken hangs: calls still
    // go through at once with the valid token.
    tokio::time::sleep(backoff + Duration::from_millis(100)).await;
    fake.set_token_answer(Some(slow(&token_answer("7200"), Duration::from_secs(30))));
    let started = Instant::now();
    for _ in 0..3 {
        client.call(&edu_period()).await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.gettoken_calls(), 3);
    // Once the token has expired a call needs a new one: the hung refresh has given up at the
    // client's timeout, its back-off has passed, and the next fetch succeeds.
    fake.set_token_answer(None);
    tokio::time::sleep(Duration::from_millis(500) + backoff + Duration::from_millis(200)).await;
    clock.advance(Duration::from_secs(300));
    client.call(&edu_period()).await.unwrap();
    assert_eq!(fake.gettoken_calls(), 4);
    assert_eq!(
        fake.last().q("access_token"),
        fake.issued_tokens().last().map(String::as_str)
    );
}

// ---- 4. Credentials never leak through echoed bodies --------------------------------------------

#[tokio::test]
async fn echoed_credentials_are_scrubbed_from_errors_and_logs() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(capture_logs(&logs));
    let (fake, base) = FakeDingTalk::start().await;
    let client = app(&base).retry_policy(quick_retries(0)).build().unwrap();
    client.call(&edu_period()).await.unwrap();
    let token = fake.issued_tokens().pop().unwrap();
    fake.push(html(
        403,
        &format!(
            "<html>Forbidden: /topapi/edu/period/create?access_token={token}&appsecret={APP_SECRET} \
             (you sent token {token}, secret {APP_SECRET}); accessToken: \"{token}\"</html>"
        ),
    ));
    let e = client.call(&edu_period()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 403, .. }),
        "{e}"
    );
    let shown = format!("{e} {e:?}");
    assert!(shown.contains("Forbidden"), "{shown}");
    for secret in [token.as_str(), APP_SECRET] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!logs.contents().contains(secret));
    }
    // Keys named like credentials are scrubbed whatever their value.
    fake.push(json(
        r#"{"errcode":40035,"errmsg":"bad request: session=S1234567 sign=ABCDEF123 appsecret=Q7","request_id":"r1"}"#,
    ));
    let e = client.call(&edu_period()).await.unwrap_err().to_string();
    for value in ["S1234567", "ABCDEF123", "Q7"] {
        assert!(!e.contains(value), "{e}");
    }
}

#[tokio::test]
async fn a_token_answer_with_an_unexpected_key_is_not_echoed() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.set_token_answer(Some(json(
        r#"{"errcode":0,"errmsg":"ok","accessToken":"LEAKED-TOKEN-31f","expires_in":7200}"#,
    )));
    let e = app(&base)
        .build()
        .unwrap()
        .call(&edu_period())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Token(TokenError::UnexpectedBody { .. })),
        "{e}"
    );
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("LEAKED-TOKEN-31f"), "{shown}");
}

#[tokio::test]
async fn classin_echoes_of_the_secret_and_safe_key_are_scrubbed() {
    let (fake, base) = FakeClassIn::start().await;
    let client = support::classin_school(&base)
        .retry_policy(quick_retries(0))
        .build()
        .unwrap();
    let safe_key = support::md5_hex(&format!("{SECRET}{NOW_UNIX}"));
    fake.push(html(
        500,
        &format!("<pre>SID={SID}&safeKey={safe_key}&timeStamp={NOW_UNIX} secret {SECRET}</pre>"),
    ));
    let e = client.call(&add_students(1)).await.unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains(&safe_key) && !shown.contains(SECRET),
        "{shown}"
    );
    fake.push(json(&format!(
        r#"{{"error_info":{{"errno":102,"error":"safeKey {safe_key} 无效"}}}}"#
    )));
    let shown = client.call(&add_students(1)).await.unwrap_err().to_string();
    assert!(
        shown.contains("无效") && !shown.contains(&safe_key),
        "{shown}"
    );
}

#[test]
fn proxy_and_base_url_passwords_are_hidden_in_debug_output_and_errors() {
    let builder = DingTalkClient::builder()
        .access_token("FIXED")
        .oapi_base_url("https://gw:base-pa55word@127.0.0.1:8443/")
        .proxy("http://fleet:pr0xy-pa55word@127.0.0.1:3128");
    let before = format!("{builder:?}");
    let client = builder.build().unwrap();
    let shown = format!("{before} {client:?} {client:#?}");
    assert!(
        shown.contains("127.0.0.1:3128") && shown.contains("127.0.0.1:8443"),
        "{shown}"
    );
    assert!(
        !shown.contains("pr0xy-pa55word") && !shown.contains("base-pa55word"),
        "{shown}"
    );
    let refused = DingTalkClient::builder()
        .access_token("FIXED")
        .oapi_base_url("ftp://gw:base-pa55word@127.0.0.1/")
        .build()
        .unwrap_err();
    assert!(!refused.to_string().contains("base-pa55word"), "{refused}");
    let classin = ClassInClient::builder(SID, SECRET)
        .proxy("http://fleet:pr0xy-pa55word@127.0.0.1:3128")
        .build()
        .unwrap();
    assert!(!format!("{classin:?}").contains("pr0xy-pa55word"));
}

// ---- 5. A TOP body without its envelope is not a success ----------------------------------------

#[tokio::test]
async fn a_top_body_without_the_method_wrapper_is_unexpected() {
    let (fake, base) = FakeDingTalk::start().await;
    let client = app(&base).retry_policy(quick_retries(0)).build().unwrap();
    fake.push(json(
        r#"{"code":"Throttling.User","message":"Request was denied due to user flow control.","request_id":"x"}"#,
    ));
    let e = client.call(&extcontact()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 200, .. }),
        "{e}"
    );
    // Nor is an oapi body without errcode.
    fake.push(json(r#"{"success":true,"request_id":"y"}"#));
    let e = client.call(&edu_period()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 200, .. }),
        "{e}"
    );
}

// ---- 6. Hostile bodies are decoded straight from bytes, under a configurable cap ---------------
// (Peak memory is measured in `tests/decode_memory.rs`, which has a counting allocator.)

#[tokio::test]
async fn a_body_over_the_configured_cap_is_unexpected() {
    let (fake, base) = FakeDingTalk::start().await;
    let client = app(&base)
        .retry_policy(quick_retries(0))
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let filler = "[],".repeat(2000);
    fake.push(json(&format!(
        r#"{{"errcode":0,"errmsg":"ok","x":[{filler}0],"result":{{}}}}"#
    )));
    let e = client.call(&edu_period()).await.unwrap_err();
    assert!(matches!(e, Error::UnexpectedBody { .. }), "{e}");
}

/// A body cut at the cap is refused even when the part read would decode: here an envelope
/// followed by more whitespace than the cap leaves room for.
#[tokio::test]
async fn a_body_over_the_cap_is_unexpected_even_if_its_start_decodes() {
    let (fake, base) = FakeDingTalk::start().await;
    let client = app(&base)
        .retry_policy(quick_retries(0))
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let padding = " ".repeat(2000);
    fake.push(json(&format!(
        r#"{{"errcode":0,"errmsg":"ok","result":{{}}}}{padding}"#
    )));
    let e = client.call(&edu_period()).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedBody { status: 200, .. }),
        "{e}"
    );
}

/// A fake oapi vendor whose every answer is `chunks`, each sent apart (chunked transfer, a pause
/// before each), so the client reads the body in several pieces.
async fn chunked_vendor(chunks: Vec<String>) -> DingTalkClient {
    use futures_util::StreamExt;
    let router = axum::Router::new().fallback(move || {
        let pieces = futures_util::stream::iter(chunks.clone()).then(|chunk| async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, std::convert::Infallible>(chunk)
        });
        async move {
            axum::response::Response::builder()
                .header("content-type", "application/json")
                .body(axum::body::Body::from_stream(pieces))
                .unwrap()
        }
    });
    let base = support::serve(router).await;
    DingTalkClient::builder()
        .access_token("FIXED-TOKEN")
        .oapi_base_url(&base)
        .retry_policy(quick_retries(0))
        .max_body_bytes(1024)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole() {
    let client = chunked_vendor(vec![
        r#"{"errcode":0,"err"#.to_owned(),
        r#"msg":"ok","request_id":"chun"#.to_owned(),
        r#"ked-7","result":{}}"#.to_owned(),
    ])
    .await;
    let reply = client.call(&edu_period()).detailed().await.unwrap();
    assert_eq!(reply.request_id.as_deref(), Some("chunked-7"));
}

/// The cap holds across chunks: the first chunk is a whole envelope within the cap, the rest is
/// whitespace beyond it, crossing the cap in the second chunk or in a later one.
#[tokio::test]
async fn a_body_over_the_cap_in_several_chunks_is_unexpected() {
    const ENVELOPE: &str = r#"{"errcode":0,"errmsg":"ok","result":{}}"#;
    for rest in [
        vec![" ".repeat(2000)],
        vec![" ".repeat(600), " ".repeat(600)],
    ] {
        let chunks = [vec![ENVELOPE.to_owned()], rest].concat();
        let client = chunked_vendor(chunks).await;
        let e = client.call(&edu_period()).await.unwrap_err();
        assert!(
            matches!(e, Error::UnexpectedBody { status: 200, .. }),
            "{e}"
        );
    }
}

/// A body of exactly the cap, in two chunks, is whole.
#[tokio::test]
async fn a_body_of_exactly_the_cap_in_several_chunks_is_read() {
    const ENVELOPE: &str = r#"{"errcode":0,"errmsg":"ok","result":{}}"#;
    let client = chunked_vendor(vec![ENVELOPE.to_owned(), " ".repeat(1024 - ENVELOPE.len())]).await;
    client.call(&edu_period()).await.unwrap();
}

// ---- 7. A partial success keeps its payload ------------------------------------------------------

/// `addCourseStudentMultiple` read with a code table in which 135 and 461 are partial successes
/// whose `data` carries what was done (as ClassIn `register` answers for an existing account).
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
struct WithPartialCodes(AddCourseStudentMultiple);

#[derive(Debug, Clone, Copy, PartialEq)]
struct PartialCodes(i64);

impl ErrorCode for PartialCodes {
    fn from_code(code: i64) -> Self {
        PartialCodes(code)
    }
    fn code(&self) -> i64 {
        self.0
    }
    fn meaning(&self) -> Option<&'static str> {
        match self.0 {
            135 => Some("该手机号已注册"),
            461 => Some("该手机号已注册,且已加入机构"),
            _ => None,
        }
    }
    fn kind(&self) -> CodeKind {
        match self.0 {
            1 => CodeKind::Success,
            135 | 461 => CodeKind::PartialSuccess,
            _ => CodeKind::Failure,
        }
    }
}

impl Validate for WithPartialCodes {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        self.0.validate_at(path, out)
    }
}

#[derive(Debug, serde::Deserialize)]
struct Registered {
    #[serde(default, deserialize_with = "client_runtime::de::lenient_opt")]
    data: Option<i64>,
}

impl Endpoint for WithPartialCodes {
    const API_NAME: &'static str = AddCourseStudentMultiple::API_NAME;
    const PROTOCOL: Protocol = Protocol::ClassInV1;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = AddCourseStudentMultiple::ROUTE;
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] =
        AddCourseStudentMultiple::FIELD_ENCODINGS;
    type Response = Registered;
    type ErrorCode = PartialCodes;
}

#[tokio::test]
async fn a_partial_success_returns_its_payload_with_the_code() {
    let (fake, base) = FakeClassIn::start().await;
    let client = support::classin_school(&base).build().unwrap();
    let request = WithPartialCodes(add_students(1));
    fake.push(json(
        r#"{"data":1001001,"error_info":{"errno":135,"error":"该手机号已注册"}}"#,
    ));
    let reply = client.call_detailed(&request).await.unwrap();
    assert_eq!(reply.response.data, Some(1001001));
    let partial = reply.partial.expect("the partial success is reported");
    assert_eq!(partial.code, PartialCodes(135));
    assert_eq!(partial.message, "该手机号已注册");
    assert_eq!(reply.attempts, 1);
    // `call` has no place for the code: it reports the partial success as an error that says so.
    fake.push(json(
        r#"{"data":"1001001","error_info":{"errno":"461","error":"已加入"}}"#,
    ));
    let e = client.call(&request).await.unwrap_err();
    assert!(e.is_partial_success() && !e.is_retryable(), "{e}");
    assert_eq!(fake.calls.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_empty_string_or_object_payload_on_success_is_absent() {
    let (fake, base) = FakeClassIn::start().await;
    let client = support::classin_school(&base).build().unwrap();
    for data in [r#""""#, "{}", "null"] {
        fake.push(json(&format!(
            r#"{{"data":{data},"error_info":{{"errno":1,"error":"程序正常执行"}}}}"#
        )));
        let response = client.call(&add_students(1)).await.unwrap();
        assert!(response.data.is_none(), "data {data}");
        fake.push(json(&format!(
            r#"{{"data":{data},"error_info":{{"errno":1,"error":"程序正常执行"}}}}"#
        )));
        let reply = client
            .call_detailed(&WithPartialCodes(add_students(1)))
            .await
            .unwrap();
        assert!(
            reply.response.data.is_none() && reply.partial.is_none(),
            "data {data}"
        );
    }
}

/// Await every task, in order.
async fn futures_join<T: Send + 'static>(
    tasks: impl IntoIterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}
