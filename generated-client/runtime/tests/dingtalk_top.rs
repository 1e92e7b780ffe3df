//! DingTalk calls through the TOP router against a loopback fake of `/router/rest`.

mod support;

use std::time::{Duration, Instant};

use client_runtime::dingtalk::DingTalkClientBuilder;
use client_runtime::{Error, SignMethod, TopSigning};
use support::endpoints::extcontact;
use support::fake_dingtalk::{
    token_number, FakeDingTalk, EXTCONTACT_OK, TOP_APP_KEY, TOP_ERROR_50, TOP_SECRET,
};
use support::{html, json, slow};

fn client(base: &str) -> DingTalkClientBuilder {
    support::dingtalk_app(base).timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn success_sends_system_parameters_and_a_form_body() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&extcontact()).await.unwrap();
    let result = reply.response.result.unwrap();
    assert_eq!(
        (result.success, result.ding_open_errcode),
        (Some(true), Some(0))
    );
    assert_eq!(result.error_msg.as_deref(), Some("成功"));
    assert_eq!(reply.request_id.as_deref(), Some("top-req-1"));

    let sent = fake.last();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/router/rest")
    );
    let expected: Vec<(String, String)> = [
        ("method", "dingtalk.corp.extcontact.update"),
        ("v", "2.0"),
        ("timestamp", "2017-05-02 19:51:10"),
        ("format", "json"),
        ("session", token_number(1).as_str()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(sent.query, expected);
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/x-www-form-urlencoded;charset=UTF-8")
    );
    assert_eq!(
        sent.form(),
        vec![(
            "contact".to_owned(),
            r#"{"title":"开发工程师","label_ids":[1,2,3],"share_dept_ids":[1,2,3],"address":"地址内容","remark":"备注内容","follower_user_id":"023420013645","name":"张三","user_id":"123420013632","company_name":"钉钉","share_user_ids":["023420013644"]}"#
                .to_owned()
        )]
    );
}

#[tokio::test]
async fn error_response_is_typed_and_not_retried() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(TOP_ERROR_50));
    let c = client(&base).build().unwrap();
    let e = c.call(&extcontact()).await.unwrap_err();
    match &e {
        Error::Top {
            code: 50,
            msg,
            sub_code,
            sub_msg,
            request_id,
        } => {
            assert_eq!(msg, "Remote service error");
            assert_eq!(sub_code.as_deref(), Some("isv.invalid-parameter"));
            assert_eq!(sub_msg.as_deref(), Some("非法参数"));
            assert_eq!(request_id.as_deref(), Some("top-req-err"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("isv.invalid-parameter"));
    assert_eq!(fake.api_calls(), 1);
}

#[tokio::test]
async fn result_success_false_is_a_failure() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(
        r#"{"dingtalk_corp_extcontact_update_response":{"result":{"ding_open_errcode":40000,"error_msg":"外部联系人不存在","success":false},"request_id":"r-f"}}"#,
    ));
    let c = client(&base).build().unwrap();
    match c.call(&extcontact()).await {
        Err(Error::TopFailure {
            ding_open_errcode: Some(40000),
            error_msg: Some(m),
            request_id: Some(id),
        }) => {
            assert_eq!((m.as_str(), id.as_str()), ("外部联系人不存在", "r-f"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.api_calls(), 1);
}

#[tokio::test]
async fn invalid_session_with_a_fixed_token_is_reported() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.accept_token("good");
    let c = client(&base).access_token("bad").build().unwrap();
    let e = c.call(&extcontact()).await.unwrap_err();
    assert!(matches!(e, Error::Top { code: 27, .. }), "{e:?}");
    assert!(e.is_token_rejected());
    assert_eq!(fake.api_calls(), 1);
}

#[tokio::test]
async fn invalid_session_with_app_credentials_refreshes_the_token_once() {
    let (fake, base) = FakeDingTalk::start().await;
    let c = client(&base).build().unwrap();
    c.call(&extcontact()).await.unwrap();
    fake.revoke();
    let reply = c.call_detailed(&extcontact()).await.unwrap();
    assert_eq!(reply.attempts, 1);
    assert_eq!((fake.gettoken_calls(), fake.api_calls()), (2, 3));
    assert_eq!(fake.last().q("session"), Some(token_number(2).as_str()));
}

#[tokio::test]
async fn call_limit_is_retried_then_succeeds() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-api-access-count","sub_msg":"This ban will last for 1 more seconds"}}"#));
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&extcontact()).await.unwrap();
    assert_eq!(reply.attempts, 2);
    assert_eq!(fake.api_calls(), 2);
}

#[tokio::test]
async fn simplified_answers_are_read_too() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(json(r#"{"result":{"ding_open_errcode":0,"error_msg":"成功","success":"true"},"request_id":"simple"}"#));
    let c = client(&base).top_simplify(true).build().unwrap();
    let reply = c.call_detailed(&extcontact()).await.unwrap();
    assert_eq!(reply.response.result.unwrap().success, Some(true));
    assert_eq!(reply.request_id.as_deref(), Some("simple"));
    assert_eq!(fake.last().q("simplify"), Some("true"));
}

#[tokio::test]
async fn xml_and_html_bodies_are_unexpected() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(html(
        200,
        "<error_response><code>50</code><msg>Remote service error</msg></error_response>",
    ));
    fake.push(html(503, "<html><body>Service Unavailable</body></html>"));
    let c = client(&base).build().unwrap();
    for status in [200, 503] {
        match c.call(&extcontact()).await {
            Err(Error::UnexpectedBody { status: s, snippet }) => {
                assert_eq!(s, status);
                assert!(snippet.starts_with('<'));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(fake.api_calls(), 2);
}

#[tokio::test]
async fn a_slow_router_times_out() {
    let (fake, base) = FakeDingTalk::start().await;
    fake.push(slow(EXTCONTACT_OK, Duration::from_secs(5)));
    let c = client(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.call(&extcontact()).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fake.api_calls(), 1);
}

#[tokio::test]
async fn validation_failure_sends_nothing() {
    let (fake, base) = FakeDingTalk::start().await;
    let mut bad = extcontact();
    bad.contact.label_ids.clear();
    let c = client(&base).build().unwrap();
    let e = c.call(&bad).await.unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert!(e.to_string().contains("contact.label_ids"));
    assert_eq!(fake.total_requests(), 0);
}

#[tokio::test]
async fn generic_signing_is_accepted_by_a_verifying_router() {
    let (fake, base) = FakeDingTalk::start_with(Some((TOP_APP_KEY, TOP_SECRET))).await;
    let c = client(&base)
        .top_signing(TopSigning::new(TOP_APP_KEY, TOP_SECRET, SignMethod::Md5))
        .build()
        .unwrap();
    c.call(&extcontact()).await.unwrap();
    let sent = fake.last();
    assert_eq!(sent.q("app_key"), Some(TOP_APP_KEY));
    assert_eq!(sent.q("sign_method"), Some("md5"));
    assert_eq!(sent.q("sign").map(str::len), Some(32));

    let wrong = client(&base)
        .top_signing(TopSigning::new(
            TOP_APP_KEY,
            "not-the-secret",
            SignMethod::Md5,
        ))
        .build()
        .unwrap();
    let e = wrong.call(&extcontact()).await.unwrap_err();
    assert!(matches!(e, Error::Top { code: 25, .. }), "{e:?}");
}
