//! ClassIn partner API v1 calls against a loopback fake of api.eeo.cn.

mod support;

use std::time::{Duration, Instant};

use client_runtime::classin::{ClassInClient, ClassInClientBuilder};
use client_runtime::{
    summarize, CodeKind, Error, ErrorCode, ItemResult, ManualClock, Outcome, Rule,
};
use support::endpoints::{add_students, ClassInCode};
use support::fake_classin::{errno, FakeClassIn, ADD_OK, SECRET, SID};
use support::{fixed_clock, html, json, md5_hex, quick_retries, slow, NOW_UNIX};

fn client(base: &str) -> ClassInClientBuilder {
    ClassInClient::builder(SID, SECRET)
        .base_url(base)
        .clock(fixed_clock())
        .retry_policy(quick_retries(3))
        .timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn success_posts_auth_fields_then_the_request_fields() {
    let (fake, base) = FakeClassIn::start().await;
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&add_students(2)).await.unwrap();
    let data = reply.response.data.unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0].custom_column.as_deref(), Some("123"));
    assert_eq!(data[1].custom_column.as_deref(), Some("124"));
    assert!(summarize(&data).all_succeeded());
    assert_eq!(reply.response.error_info.errno, 1);

    let sent = fake.last();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/partner/api/course.api.php")
    );
    assert_eq!(sent.raw_query, "action=addCourseStudentMultiple");
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/x-www-form-urlencoded;charset=UTF-8")
    );
    let ts = NOW_UNIX.to_string();
    let key = md5_hex(&format!("{SECRET}{ts}"));
    let expected: Vec<(String, String)> = [
        ("SID", SID),
        ("safeKey", key.as_str()),
        ("timeStamp", ts.as_str()),
        ("courseId", "490583"),
        ("identity", "1"),
        (
            "studentJson",
            r#"[{"uid":"1001001","customColumn":"123"},{"uid":"1001002","customColumn":"124"}]"#,
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(sent.form(), expected);
}

#[tokio::test]
async fn the_vendor_example_answer_decodes() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(ADD_OK));
    let c = client(&base).build().unwrap();
    let r = c.call(&add_students(1)).await.unwrap();
    assert_eq!(r.data.unwrap()[0].outcome(), Outcome::Success);
}

#[tokio::test]
async fn documented_error_carries_the_typed_code() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(&errno(144, "表示机构下无此课程")));
    let c = client(&base).build().unwrap();
    let e = c.call(&add_students(1)).await.unwrap_err();
    match &e {
        Error::ClassIn { code, message } => {
            assert_eq!(*code, ClassInCode(144));
            assert_eq!(code.kind(), CodeKind::Failure);
            assert_eq!(message, "表示机构下无此课程");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("144"));
    assert!(!e.is_retryable() && !e.is_partial_success());
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn wrong_secret_is_rejected_with_102_and_not_retried() {
    let (fake, base) = FakeClassIn::start().await;
    let c = ClassInClient::builder(SID, "not-the-secret")
        .base_url(&base)
        .clock(fixed_clock())
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let e = c.call(&add_students(1)).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::ClassIn {
                code: ClassInCode(102),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn time_stamps_more_than_20_minutes_off_are_rejected() {
    let (fake, base) = FakeClassIn::start().await;
    let late = ManualClock::at_unix(NOW_UNIX - 21 * 60);
    let c = client(&base).clock(late).build().unwrap();
    let e = c.call(&add_students(1)).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::ClassIn {
                code: ClassInCode(102),
                ..
            }
        ),
        "{e:?}"
    );
    let near = ManualClock::at_unix(NOW_UNIX - 19 * 60);
    client(&base)
        .clock(near)
        .build()
        .unwrap()
        .call(&add_students(1))
        .await
        .unwrap();
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn transient_codes_are_retried_then_succeed() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(&errno(
        464,
        "表示课程学生正在被其他请求创建(并发请求可能会导致该错误)",
    )));
    fake.push(json(
        r#"{"error_info":{"errno":"114","error":"表示服务器异常"}}"#,
    ));
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&add_students(1)).await.unwrap();
    assert_eq!(reply.attempts, 3);
    assert_eq!(fake.calls(), 3);
}

#[tokio::test]
async fn item_codes_as_strings_and_partial_success_are_visible() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(
        r#"{"data":[{"customColumn":"123","errno":1,"error":"程序正常执行"},{"customColumn":124,"errno":"841","error":"表示成员添加成功,班级昵称同步失败"},{"errno":163,"error":"表示课程下已存在此学生"}],"error_info":{"errno":"1","error":"程序正常执行"}}"#,
    ));
    let c = client(&base).build().unwrap();
    let r = c.call(&add_students(3)).await.unwrap();
    let data = r.data.unwrap();
    assert!(matches!(
        data[1].outcome(),
        Outcome::PartialSuccess {
            code: ClassInCode(841),
            ..
        }
    ));
    assert!(matches!(
        data[2].outcome(),
        Outcome::Failed {
            code: ClassInCode(163),
            retryable: false,
            ..
        }
    ));
    let s = summarize(&data);
    assert_eq!(
        (s.total, s.succeeded, s.partial.len(), s.failed.len()),
        (3, 1, 1, 1)
    );
    assert_eq!(s.partial[0].index, 1);
    assert_eq!(data[1].custom_column.as_deref(), Some("124"));
    assert_eq!(fake.calls(), 1, "per-item codes are never retried");
}

#[tokio::test]
async fn a_top_level_841_is_a_visible_partial_success() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(&errno(841, "表示成员添加成功,班级昵称同步失败")));
    let c = client(&base).build().unwrap();
    let e = c.call(&add_students(1)).await.unwrap_err();
    assert!(e.is_partial_success() && !e.is_retryable(), "{e:?}");
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn html_and_bodies_without_error_info_are_unexpected() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(html(
        502,
        "<html><head><title>502 Bad Gateway</title></head></html>",
    ));
    fake.push(json(r#"{"data":[]}"#));
    let c = client(&base).build().unwrap();
    match c.call(&add_students(1)).await {
        Err(Error::UnexpectedBody {
            status: 502,
            snippet,
        }) => assert!(snippet.contains("502 Bad Gateway")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.call(&add_students(1)).await,
        Err(Error::UnexpectedBody { status: 200, .. })
    ));
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(slow(ADD_OK, Duration::from_secs(5)));
    let c = client(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.call(&add_students(1)).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn validation_failure_sends_nothing() {
    let (fake, base) = FakeClassIn::start().await;
    let mut auditors = add_students(21);
    auditors.identity = 2;
    let c = client(&base).build().unwrap();
    let e = c.call(&auditors).await.unwrap_err();
    match &e {
        Error::Validation(v) => {
            let first = v.violations.iter().next().unwrap();
            assert_eq!(first.wire_path, "studentJson");
            assert_eq!(first.rule, Rule::MaxItems(20));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn validation_warnings_are_returned_and_the_call_is_made() {
    let (fake, base) = FakeClassIn::start().await;
    let c = client(&base).build().unwrap();
    let reply = c.call_detailed(&add_students(31)).await.unwrap();
    let warnings: Vec<_> = reply.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].rule, Rule::RecommendedMaxItems(30));
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = support::closed_port().await;
    let c = client(&format!("http://127.0.0.1:{port}"))
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    let e = c.call(&add_students(1)).await.unwrap_err();
    assert!(
        matches!(e, Error::Transport(ref t) if t.kind == client_runtime::TransportKind::Connect),
        "{e:?}"
    );
}

#[test]
fn the_blocking_client_calls_without_an_async_runtime() {
    let server_rt = tokio::runtime::Runtime::new().unwrap();
    let (fake, base) = server_rt.block_on(FakeClassIn::start());
    let async_client = client(&base).build().unwrap();
    let c = client_runtime::blocking::BlockingClassInClient::new(async_client).unwrap();
    let r = c.call(&add_students(2)).unwrap();
    assert_eq!(r.data.unwrap().len(), 2);
    assert!(matches!(
        c.call(&add_students(0)),
        Err(Error::Validation(_))
    ));
    assert_eq!(fake.calls(), 1);
    assert!(!format!("{c:?}").contains(SECRET));
}
