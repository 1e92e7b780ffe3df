//! DingTalk oapi calls against a loopback fake of oapi.dingtalk.com.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use client_runtime::dingtalk::DingTalkClientBuilder;
use client_runtime::{Error, File, TokenError, TransportKind};
use support::endpoints::{batchadd, edu_period, EduPeriodCreate, OapiUpload, TopUpload};
use support::fake_dingtalk::{
    token_number, FakeDingTalk, APP_KEY, APP_SECRET, BATCHADD_OK, OAPI_ERROR_88,
};
use support::{fixed_clock, html, json, quick_retries, slow};

fn client(base: &str) -> DingTalkClientBuilder {
    support::dingtalk_app(base).timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn success_sends_token_in_query_and_json_body() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&edu_period()).await.unwrap();
    let result = reply.response.result.unwrap();
    assert_eq!(result.dept_id, Some(415999017));
    let grades = result.grades.unwrap();
    assert_eq!(grades[0].grade, Some(1));
    assert_eq!(grades[0].name.as_deref(), Some("一年级2020级"));
    assert_eq!(reply.response.errmsg.as_deref(), Some("demo"));
    assert_eq!((reply.attempts, reply.warnings.is_empty()), (1, true));
    assert_eq!((fake.gettoken_calls(), fake.api_calls()), (1, 1));

    let sent = fake.last();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/topapi/edu/period/create");
    assert_eq!(
        sent.query,
        vec![("access_token".to_owned(), token_number(1))]
    );
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(
        sent.body,
        r#"{"super_id":1233,"operator":"12334","open_period":{"step":"小学","grades":[{"grade":"2","classes":0,"name":"二年级2019级","start_year":"2019"}],"period_code":"high_school","name_mode":"number"}}"#
    );
}

#[tokio::test]
async fn the_token_is_cached_and_refreshed_before_it_expires() {
    let (fake, base) = FakeDingTalk::start().await;
    let clock = fixed_clock();
    let c = client(&base).clock(clock.clone()).build().unwrap();
    c.call(&edu_period()).await.unwrap();
    clock.advance(Duration::from_secs(7200 - 300 - 1));
    c.clone().call(&batchadd(1)).await.unwrap();
    assert_eq!(fake.gettoken_calls(), 1, "a token still valid is reused");
    clock.advance(Duration::from_secs(2));
    // Within 5 minutes of expiry the call still goes through (with the old token or, if the
    // refresh was quicker, the new one) while the token is replaced in the background.
    c.call(&edu_period()).await.unwrap();
    for _ in 0..200 {
        if fake.gettoken_calls() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        fake.gettoken_calls(),
        2,
        "a token within 5 minutes of expiry is replaced"
    );
    c.call(&edu_period()).await.unwrap();
    assert_eq!(
        fake.last().q("access_token"),
        Some(token_number(2).as_str())
    );
    assert_eq!(fake.gettoken_calls(), 2);
}

#[tokio::test]
async fn wrapped_list_in_the_batchadd_answer_is_read() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    let r = c.call(&batchadd(2)).await.unwrap();
    assert_eq!(r.result, Some(vec!["[\"丁小明\"]".to_owned()]));
    assert_eq!(r.success, Some(true));
    let body: serde_json::Value = serde_json::from_str(&fake.last().body).unwrap();
    assert_eq!(
        body["student_list"][1]["package_ids"],
        serde_json::json!([12, 34])
    );
    assert_eq!(body["student_list"][0]["patriarchs"][0]["name"], "丁明");
    let _ = BATCHADD_OK;
}

#[tokio::test]
async fn documented_error_is_typed_and_not_retried() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(OAPI_ERROR_88));
    let c = client(&base).build().unwrap();
    match c.call(&edu_period()).await {
        Err(Error::DingTalk {
            errcode: 88,
            errmsg,
            sub_code: None,
            ..
        }) => assert_eq!(errmsg, "ding talk error"),
        other => panic!("{other:?}"),
    }
    fake.push(json(
        r#"{"errcode":88,"sub_code":"60011","sub_msg":"没有调用该接口的权限","errmsg":"ding talk error[subcode=60011,...]","request_id":"5imjny7u9xwa"}"#,
    ));
    let e = c.call(&edu_period()).await.unwrap_err();
    assert_eq!(e.request_id(), Some("5imjny7u9xwa"));
    assert!(
        matches!(&e, Error::DingTalk { sub_code: Some(s), sub_msg: Some(m), .. } if s == "60011" && m == "没有调用该接口的权限")
    );
    assert!(e.to_string().contains("88") && e.to_string().contains("60011"));
    assert_eq!(fake.api_calls(), 2);
}

#[tokio::test]
async fn wrong_app_secret_is_a_token_error_and_calls_nothing() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base)
        .app_credentials(APP_KEY, "wrong-secret")
        .build()
        .unwrap();
    match c.call(&edu_period()).await {
        Err(Error::Token(TokenError::Api {
            errcode: 40089,
            errmsg,
            ..
        })) => assert!(errmsg.contains("corpsecret")),
        other => panic!("{other:?}"),
    }
    assert_eq!((fake.gettoken_calls(), fake.api_calls()), (1, 0));
}

#[tokio::test]
async fn rejected_fixed_token_is_reported_not_refreshed() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.accept_token("the-right-one");
    let c = client(&base).access_token("a-stale-token").build().unwrap();
    let e = c.call(&edu_period()).await.unwrap_err();
    assert!(matches!(e, Error::DingTalk { errcode: 40001, .. }), "{e:?}");
    assert!(e.is_token_rejected() && !e.is_retryable());
    assert_eq!((fake.gettoken_calls(), fake.api_calls()), (0, 1));
    // The right fixed token works.
    let c = client(&base).access_token("the-right-one").build().unwrap();
    c.call(&edu_period()).await.unwrap();
}

#[tokio::test]
async fn busy_and_rate_limit_answers_are_retried_then_succeed() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(r#"{"errcode":-1,"errmsg":"系统繁忙"}"#));
    fake.push(json(r#"{"errcode":90002,"errmsg":"rate limited"}"#));
    fake.push(json(
        r#"{"errcode":15,"sub_code":"isp.-1","errmsg":"busy"}"#,
    ));
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&edu_period()).await.unwrap();
    assert_eq!(reply.attempts, 4);
    assert_eq!(fake.api_calls(), 4);
    assert_eq!(fake.gettoken_calls(), 1);
}

#[tokio::test]
async fn retries_are_bounded() {
    let (fake, base) = FakeDingTalk::start().await;
    for _ in 0..5 {
        fake.push(json(r#"{"errcode":90019,"errmsg":"rate limited"}"#));
    }
    let c = client(&base)
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    let e = c.call(&edu_period()).await.unwrap_err();
    assert!(matches!(e, Error::DingTalk { errcode: 90019, .. }));
    assert_eq!(fake.api_calls(), 3);
}

#[tokio::test]
async fn html_and_ip_ban_pages_are_unexpected_bodies() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(html(200, "<html><body><h1>访问被拒绝</h1></body></html>"));
    fake.push(json(
        r#"{"status":1111,"wait":5,"punish":"deny","msg":"ip banned"}"#,
    ));
    fake.push(html(502, &"x".repeat(10_000)));
    let c = client(&base).build().unwrap();
    match c.call(&edu_period()).await {
        Err(Error::UnexpectedBody {
            status: 200,
            snippet,
        }) => assert!(snippet.contains("访问被拒绝")),
        other => panic!("{other:?}"),
    }
    match c.call(&edu_period()).await {
        Err(Error::UnexpectedBody {
            status: 200,
            snippet,
        }) => assert!(snippet.contains("punish")),
        other => panic!("{other:?}"),
    }
    match c.call(&edu_period()).await {
        Err(Error::UnexpectedBody {
            status: 502,
            snippet,
        }) => assert!(snippet.chars().count() <= 257),
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.api_calls(), 3, "unexpected bodies are not retried");
}

#[tokio::test]
async fn envelope_with_an_ill_fitting_payload_is_a_decode_error() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(
        r#"{"errcode":0,"errmsg":"ok","result":{"deptId":"not a number"}}"#,
    ));
    let c = client(&base).build().unwrap();
    match c.call(&edu_period()).await {
        Err(Error::Decode {
            status: 200,
            message,
            snippet,
        }) => {
            assert!(message.starts_with("result.deptId"), "{message}");
            assert!(snippet.contains("not a number"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_times_out_and_is_not_retried() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(slow(
        support::fake_dingtalk::EDU_PERIOD_OK,
        Duration::from_secs(5),
    ));
    let c = client(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // The token fetch is fast; only the API call is slow.
    let started = Instant::now();
    let e = c.call(&edu_period()).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(matches!(e, Error::Transport(ref t) if t.kind == TransportKind::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fake.api_calls(), 1);
}

#[tokio::test]
async fn validation_failure_sends_nothing() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    match c.call(&batchadd(21)).await {
        Err(Error::Validation(v)) => {
            let text = v.to_string();
            assert!(
                text.contains("student_list") && text.contains("at most 20"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    let mut bad = edu_period();
    bad.open_period.step = "大学".into();
    bad.operator.clear();
    let e = c.call(&bad).await.unwrap_err();
    assert!(matches!(e, Error::Validation(ref v) if v.violations.iter().count() == 2));
    assert_eq!(fake.total_requests(), 0, "not even a token was fetched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_under_200_concurrent_calls_is_fetched_once() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base)
        .retry_policy(client_runtime::RetryPolicy::none())
        .build()
        .unwrap();
    c.call(&edu_period()).await.unwrap();
    assert_eq!(fake.gettoken_calls(), 1);
    fake.revoke();
    fake.set_reject_delay(Duration::from_millis(400));
    let request = Arc::new(edu_period());
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            let request = request.clone();
            tokio::spawn(async move { c.call::<EduPeriodCreate>(&request).await })
        })
        .collect();
    let all = tokio::time::timeout(Duration::from_secs(60), async {
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        ok
    })
    .await
    .expect("200 calls finish in time");
    assert_eq!(all, 200);
    assert_eq!(fake.gettoken_calls(), 2, "exactly one extra gettoken");
    // Each call is rejected at most once and then resent; the delayed rejections make (nearly)
    // all 200 use the expired token before the first of them learns it was rejected.
    let rejected = fake.api_calls() - 1 - 200;
    assert!(
        (2..=200).contains(&rejected),
        "{rejected} calls saw the expired token"
    );
}

#[tokio::test]
async fn a_token_rejected_twice_in_one_call_is_not_refreshed_again() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    c.call(&edu_period()).await.unwrap();
    // The server rejects every token from now on, even fresh ones.
    fake.push(json(r#"{"errcode":42001,"errmsg":"access_token超时"}"#));
    fake.push(json(r#"{"errcode":42001,"errmsg":"access_token超时"}"#));
    fake.revoke();
    let e = c.call(&edu_period()).await.unwrap_err();
    assert!(e.is_token_rejected(), "{e:?}");
    assert_eq!(fake.gettoken_calls(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_until_the_server_is_up() {
    let port = support::closed_port().await;
    let fake = FakeDingTalk::new(None);
    fake.accept_token("fixed");
    let router = fake.router();
    let base = format!("http://127.0.0.1:{port}");
    let c = client(&base)
        .access_token("fixed")
        .retry_policy(client_runtime::RetryPolicy::fixed(
            20,
            Duration::from_millis(50),
        ))
        .build()
        .unwrap();
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(120)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        support::serve_on(listener, router);
    });
    let reply = c.call_detailed(&edu_period()).await.unwrap();
    server.await.unwrap();
    assert!(reply.attempts >= 2, "{}", reply.attempts);
    assert_eq!(fake.api_calls(), 1, "failed connections sent nothing");
}

#[tokio::test]
async fn connection_refused_gives_a_connect_error_after_the_retries() {
    let port = support::closed_port().await;
    let c = client(&format!("http://127.0.0.1:{port}"))
        .access_token("fixed")
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    let e = c.call(&edu_period()).await.unwrap_err();
    assert!(
        matches!(e, Error::Transport(ref t) if t.kind == TransportKind::Connect),
        "{e:?}"
    );
    assert!(!e.to_string().contains("fixed"));
}

#[test]
fn the_blocking_client_calls_without_an_async_runtime() {
    let server_rt = tokio::runtime::Runtime::new().unwrap();
    let (fake, base) = server_rt.block_on(FakeDingTalk::start());
    let c = client_runtime::blocking::BlockingDingTalkClient::new(client(&base).build().unwrap())
        .unwrap();
    let reply = c.call_detailed(&edu_period()).unwrap();
    assert_eq!(reply.response.result.unwrap().dept_id, Some(415999017));
    assert_eq!((fake.gettoken_calls(), fake.api_calls()), (1, 1));
    assert!(!format!("{c:?}").contains(APP_SECRET));
}

/// DingTalk's protocol families take no file uploads: a request with a file is refused before a
/// token is fetched or anything is sent.
#[tokio::test]
async fn a_request_with_a_file_is_refused_by_both_dingtalk_families() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    let file = File::from_bytes("a.png", vec![1, 2, 3]);
    let oapi = c
        .call(&OapiUpload {
            media: file.clone(),
        })
        .await
        .unwrap_err();
    let top = c.call(&TopUpload { image: file }).await.unwrap_err();
    for (e, api, family, field) in [
        (
            &oapi,
            "dingtalk.oapi.media.upload",
            "DingTalk oapi",
            "media",
        ),
        (&top, "dingtalk.corp.image.upload", "DingTalk TOP", "image"),
    ] {
        assert!(matches!(e, Error::Encode(_)), "{e:?}");
        let text = e.to_string();
        for part in [api, family, field, "takes no file uploads"] {
            assert!(text.contains(part), "{text}");
        }
    }
    assert_eq!(fake.total_requests(), 0);
}
