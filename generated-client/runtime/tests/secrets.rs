//! No credential appears in Debug output, error messages or logs; calls are traced.

mod support;

use std::time::Duration;

use client_runtime::classin::ClassInClient;
use client_runtime::dingtalk::DingTalkClient;
use client_runtime::{File, SignMethod, TopSigning};
use support::endpoints::{add_students, edu_period, extcontact, upload};
use support::fake_classin::{self, FakeClassIn};
use support::fake_dingtalk::{
    FakeDingTalk, APP_KEY, APP_SECRET, EDU_PERIOD_OK, TOP_APP_KEY, TOP_SECRET,
};
use support::{capture_logs, fixed_clock, json, md5_hex, quick_retries, slow, LogBuffer, NOW_UNIX};

const FIXED_TOKEN: &str = "FIXED-ACCESS-TOKEN-0b7d";
const WRONG_SECRET: &str = "WRONG-SECRET-77aa";

/// Everything a run printed: Debug output, Display strings and error sources.
#[derive(Default)]
struct Printed(Vec<String>);

impl Printed {
    fn debug(&mut self, v: &impl std::fmt::Debug) {
        self.0.push(format!("{v:?}"));
        self.0.push(format!("{v:#?}"));
    }
    fn error(&mut self, e: &(dyn std::error::Error + 'static)) {
        self.0.push(format!("{e:?}"));
        let mut cur = Some(e);
        while let Some(err) = cur {
            self.0.push(err.to_string());
            cur = err.source();
        }
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_output_errors_or_logs() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(capture_logs(&logs));
    let mut printed = Printed::default();

    // DingTalk: app credentials, a token refresh, an API error, a timeout, a wrong secret,
    // a fixed token rejected, generic TOP signing.
    let (ding, base) = FakeDingTalk::start_with(Some((TOP_APP_KEY, TOP_SECRET))).await;
    let builder = DingTalkClient::builder()
        .app_credentials(APP_KEY, APP_SECRET)
        .oapi_base_url(&base)
        .top_base_url(&base)
        .top_signing(TopSigning::new(
            TOP_APP_KEY,
            TOP_SECRET,
            SignMethod::HmacSha256,
        ))
        .clock(fixed_clock())
        .retry_policy(quick_retries(2))
        .timeout(Duration::from_millis(500));
    printed.debug(&builder);
    let client = builder.build().unwrap();
    printed.debug(&client);
    printed.debug(&client.call_detailed(&edu_period()).await.unwrap());
    ding.revoke();
    printed.debug(&client.call_detailed(&edu_period()).await.unwrap());
    ding.push(json(r#"{"errcode":-1,"errmsg":"busy"}"#));
    ding.push(json(
        r#"{"errcode":88,"errmsg":"ding talk error","request_id":"r88"}"#,
    ));
    let e = client.call(&edu_period()).await.unwrap_err();
    printed.error(&e);
    ding.push(slow(EDU_PERIOD_OK, Duration::from_secs(3)));
    let e = client.call(&edu_period()).await.unwrap_err();
    assert!(e.is_timeout());
    printed.error(&e);
    // The router verifies md5 signatures only, so an HMAC-SHA256 signature is refused: still
    // exercises signing, and the refusal is printed.
    let e = client.call(&extcontact()).await.unwrap_err();
    printed.error(&e);

    let wrong = DingTalkClient::builder()
        .app_credentials(APP_KEY, WRONG_SECRET)
        .oapi_base_url(&base)
        .build()
        .unwrap();
    printed.debug(&wrong);
    let e = wrong.call(&edu_period()).await.unwrap_err();
    printed.error(&e);

    let fixed = DingTalkClient::builder()
        .access_token(FIXED_TOKEN)
        .oapi_base_url(&base)
        .top_base_url(&base)
        .build()
        .unwrap();
    printed.debug(&fixed);
    let e = fixed.call(&edu_period()).await.unwrap_err();
    printed.error(&e);
    let port = support::closed_port().await;
    let unreachable = DingTalkClient::builder()
        .access_token(FIXED_TOKEN)
        .oapi_base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(quick_retries(1))
        .build()
        .unwrap();
    let e = unreachable.call(&edu_period()).await.unwrap_err();
    printed.error(&e);
    let unreachable_token = DingTalkClient::builder()
        .app_credentials(APP_KEY, APP_SECRET)
        .oapi_base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(quick_retries(1))
        .build()
        .unwrap();
    let e = unreachable_token.call(&edu_period()).await.unwrap_err();
    printed.error(&e);

    // ClassIn: success, an error, a timeout, a wrong secret.
    let (classin, cbase) = FakeClassIn::start().await;
    let builder = ClassInClient::builder(fake_classin::SID, fake_classin::SECRET)
        .base_url(&cbase)
        .clock(fixed_clock())
        .retry_policy(quick_retries(1))
        .timeout(Duration::from_millis(500));
    printed.debug(&builder);
    let cclient = builder.build().unwrap();
    printed.debug(&cclient);
    printed.debug(&cclient.call_detailed(&add_students(31)).await.unwrap());
    classin.push(json(&fake_classin::errno(464, "busy")));
    classin.push(json(&fake_classin::errno(144, "表示机构下无此课程")));
    let e = cclient.call(&add_students(1)).await.unwrap_err();
    printed.error(&e);
    classin.push(slow(fake_classin::ADD_OK, Duration::from_secs(3)));
    let e = cclient.call(&add_students(1)).await.unwrap_err();
    printed.error(&e);
    let e = ClassInClient::builder(fake_classin::SID, WRONG_SECRET)
        .base_url(&cbase)
        .build()
        .unwrap()
        .call(&add_students(1))
        .await
        .unwrap_err();
    printed.error(&e);

    let log = logs.contents();
    let mut secrets: Vec<String> = vec![
        APP_SECRET.into(),
        TOP_SECRET.into(),
        fake_classin::SECRET.into(),
        FIXED_TOKEN.into(),
        WRONG_SECRET.into(),
    ];
    secrets.extend(ding.issued_tokens());
    secrets.extend(classin.safe_keys.lock().unwrap().iter().cloned());
    assert!(
        ding.issued_tokens().len() >= 2,
        "tokens were issued and refreshed"
    );
    assert!(
        classin.safe_keys.lock().unwrap().len() >= 4,
        "safe keys were sent"
    );

    // The capture works: the log has the calls' spans and events.
    for expected in [
        "api_call",
        "dingtalk.oapi.edu.period.create",
        "addCourseStudentMultiple",
        "attempt{attempt=2}",
        "retryable failure",
        "recommended limit",
        "gettoken",
    ] {
        assert!(log.contains(expected), "log lacks {expected:?}:\n{log}");
    }
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "log shows a secret");
        for p in &printed.0 {
            assert!(
                !p.contains(s.as_str()),
                "printed output shows a secret: {p}"
            );
        }
    }
}

#[tokio::test]
async fn calls_are_traced_with_api_attempt_and_request_id() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(capture_logs(&logs));
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(
        r#"{"error_response":{"code":7,"msg":"App Call Limited"}}"#,
    ));
    let c = DingTalkClient::builder()
        .app_credentials(APP_KEY, APP_SECRET)
        .oapi_base_url(&base)
        .top_base_url(&base)
        .clock(fixed_clock())
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    c.call(&extcontact()).await.unwrap();
    let log = logs.contents();
    let done = log
        .lines()
        .find(|l| l.contains("call succeeded"))
        .unwrap_or_else(|| panic!("no success event:\n{log}"));
    assert!(
        done.contains(r#"api="dingtalk.corp.extcontact.update""#),
        "{done}"
    );
    assert!(done.contains("attempts=2"), "{done}");
    assert!(log.contains("attempt{attempt=2}"), "{log}");
    assert!(done.contains("request_id=\"top-req-1\""), "{done}");
}

/// Uploads (multipart bodies) show no `SECRET` or `safeKey` either: in the client's and the
/// request's Debug output, in replies, in errors (a server echoing the key, a stream sent twice,
/// a timeout, a wrong secret) and in logs.
#[tokio::test]
async fn uploads_show_no_secret_in_debug_output_errors_or_logs() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(capture_logs(&logs));
    let mut printed = Printed::default();
    let (fake, base) = FakeClassIn::start().await;
    let client = ClassInClient::builder(fake_classin::SID, fake_classin::SECRET)
        .base_url(&base)
        .clock(fixed_clock())
        .retry_policy(quick_retries(1))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    printed.debug(&client);

    let request = upload(File::from_bytes("photo.png", vec![1, 2, 3]));
    printed.debug(&request);
    printed.debug(&client.call_detailed(&request).await.unwrap());
    let key = md5_hex(&format!("{}{NOW_UNIX}", fake_classin::SECRET));
    fake.push(json(&fake_classin::errno(
        144,
        &format!("bad safeKey {key}"),
    )));
    let e = client.call(&request).await.unwrap_err();
    printed.error(&e);
    fake.push(slow(fake_classin::UPLOAD_OK, Duration::from_secs(3)));
    let e = client.call(&request).await.unwrap_err();
    assert!(e.is_timeout());
    printed.error(&e);
    fake.push(json(&fake_classin::errno(464, "busy")));
    let streamed = upload(File::from_stream(
        "a.csv",
        3,
        futures_util::stream::iter([Ok(bytes::Bytes::from_static(b"abc"))]),
    ));
    printed.debug(&streamed);
    let e = client.call(&streamed).await.unwrap_err();
    assert!(matches!(e, client_runtime::Error::File(_)), "{e:?}");
    printed.error(&e);
    let e = ClassInClient::builder(fake_classin::SID, WRONG_SECRET)
        .base_url(&base)
        .clock(fixed_clock())
        .build()
        .unwrap()
        .call(&request)
        .await
        .unwrap_err();
    printed.error(&e);

    let keys = fake.safe_keys.lock().unwrap().clone();
    assert!(keys.len() >= 5, "safe keys were sent: {}", keys.len());
    assert!(keys.contains(&key));
    assert_eq!(
        fake.uploads().len(),
        keys.len(),
        "every call was a multipart upload"
    );
    let log = logs.contents();
    for expected in ["api_call", "uploadFile", "call failed attempt=2", "files=1"] {
        assert!(log.contains(expected), "log lacks {expected:?}:\n{log}");
    }
    let mut secrets = vec![fake_classin::SECRET.to_owned(), WRONG_SECRET.to_owned()];
    secrets.extend(keys);
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "log shows a secret");
        for p in &printed.0 {
            assert!(
                !p.contains(s.as_str()),
                "printed output shows a secret: {p}"
            );
        }
    }
}
