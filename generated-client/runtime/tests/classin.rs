//! ClassIn partner API v1 calls against a loopback fake of api.eeo.cn.

mod support;

use std::time::{Duration, Instant};

use client_runtime::classin::{ClassInClient, ClassInClientBuilder};
use client_runtime::{
    summarize, CodeKind, Error, ErrorCode, File, FileError, Found, ItemResult, ManualClock,
    Outcome, Rule,
};
use support::endpoints::{add_students, upload, ClassInCode, UPLOAD_MAX_BYTES};
use support::fake_classin::{errno, FakeClassIn, Part, ADD_OK, SECRET, SID};
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

/// An endpoint without files sends exactly the urlencoded body it always has.
#[tokio::test]
async fn an_endpoint_without_files_sends_the_same_urlencoded_body() {
    let (fake, base) = FakeClassIn::start().await;
    client(&base)
        .build()
        .unwrap()
        .call(&add_students(2))
        .await
        .unwrap();
    let sent = fake.last();
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/x-www-form-urlencoded;charset=UTF-8")
    );
    let key = md5_hex(&format!("{SECRET}{NOW_UNIX}"));
    assert_eq!(
        sent.body,
        format!(
            "SID={SID}&safeKey={key}&timeStamp={NOW_UNIX}&courseId=490583&identity=1&studentJson=\
             %5B%7B%22uid%22%3A%221001001%22%2C%22customColumn%22%3A%22123%22%7D%2C\
             %7B%22uid%22%3A%221001002%22%2C%22customColumn%22%3A%22124%22%7D%5D"
        )
    );
}

// ---- file uploads: multipart/form-data ---------------------------------------------------------

/// The parts an upload of `file_name` (`content_type`, `bytes`) to folder 7788 must send, in
/// order: the auth fields, the text field, the file.
fn expected_upload(file_name: &str, content_type: &str, bytes: &[u8]) -> Vec<Part> {
    let ts = NOW_UNIX.to_string();
    let key = md5_hex(&format!("{SECRET}{ts}"));
    vec![
        Part::text("SID", SID),
        Part::text("safeKey", &key),
        Part::text("timeStamp", &ts),
        Part::text("folderId", "7788"),
        Part {
            name: "Filedata".into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            bytes: bytes.to_vec(),
        },
    ]
}

fn chunks(
    parts: Vec<&'static [u8]>,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures_util::stream::iter(parts.into_iter().map(|p| Ok(bytes::Bytes::from_static(p))))
}

#[tokio::test]
async fn a_file_from_bytes_is_sent_as_multipart_after_the_auth_and_text_fields() {
    let (fake, base) = FakeClassIn::start().await;
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let request = upload(File::from_bytes("photo.png", content.clone()));
    let reply = client(&base)
        .build()
        .unwrap()
        .call_detailed(&request)
        .await
        .unwrap();
    assert_eq!(reply.response.data, Some(3050));
    assert_eq!(reply.attempts, 1);

    let sent = fake.last();
    assert_eq!(
        (
            sent.method.as_str(),
            sent.path.as_str(),
            sent.raw_query.as_str()
        ),
        ("POST", "/partner/api/cloud.api.php", "action=uploadFile")
    );
    assert!(
        sent.content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/form-data; boundary=")),
        "{:?}",
        sent.content_type
    );
    assert_eq!(
        fake.uploads(),
        vec![expected_upload("photo.png", "image/png", &content)]
    );
}

#[tokio::test]
async fn a_file_from_a_path_is_read_when_the_request_is_sent() {
    let (fake, base) = FakeClassIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("课表 2024.pdf");
    std::fs::write(&path, b"%PDF-1.4 first").unwrap();
    let request = upload(File::from_path(&path).unwrap());
    // Same length, other bytes: what is on disk when the request is sent is what travels.
    std::fs::write(&path, b"%PDF-1.4 later").unwrap();
    client(&base).build().unwrap().call(&request).await.unwrap();
    assert_eq!(
        fake.uploads(),
        vec![expected_upload(
            "课表 2024.pdf",
            "application/pdf",
            b"%PDF-1.4 later"
        )]
    );
}

#[tokio::test]
async fn a_file_from_a_stream_is_sent_with_its_declared_length_and_media_type() {
    let (fake, base) = FakeClassIn::start().await;
    let stream = chunks(vec![b"uid,name\n", b"1001001,", b"\xe4\xb8\x81\n"]);
    let file = File::from_stream("students.dat", 21, stream).with_media_type("text/csv");
    client(&base)
        .build()
        .unwrap()
        .call(&upload(file))
        .await
        .unwrap();
    assert_eq!(
        fake.uploads(),
        vec![expected_upload(
            "students.dat",
            "text/csv",
            "uid,name\n1001001,丁\n".as_bytes()
        )]
    );
}

#[tokio::test]
async fn a_file_without_a_known_media_type_is_sent_as_octet_stream() {
    let (fake, base) = FakeClassIn::start().await;
    let request = upload(File::from_bytes("export", vec![1, 2, 3]));
    client(&base).build().unwrap().call(&request).await.unwrap();
    assert_eq!(
        fake.uploads(),
        vec![expected_upload(
            "export",
            "application/octet-stream",
            &[1, 2, 3]
        )]
    );
}

#[tokio::test]
async fn retries_send_bytes_and_path_files_again() {
    let (fake, base) = FakeClassIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.gif");
    std::fs::write(&path, b"GIF89a").unwrap();
    let c = client(&base).build().unwrap();
    for (file, bytes, media_type) in [
        (
            File::from_bytes("a.jpg", vec![9u8; 10]),
            vec![9u8; 10],
            "image/jpeg",
        ),
        (
            File::from_path(&path).unwrap(),
            b"GIF89a".to_vec(),
            "image/gif",
        ),
    ] {
        fake.uploads.lock().unwrap().clear();
        fake.push(json(&errno(464, "busy")));
        let reply = c.call_detailed(&upload(file.clone())).await.unwrap();
        assert_eq!(reply.attempts, 2);
        let once = expected_upload(file.name(), media_type, &bytes);
        assert_eq!(fake.uploads(), vec![once.clone(), once]);
    }
}

#[tokio::test]
async fn a_retry_of_a_streamed_file_fails_with_a_typed_error() {
    let (fake, base) = FakeClassIn::start().await;
    fake.push(json(&errno(464, "busy")));
    let file = File::from_stream("a.csv", 3, chunks(vec![b"abc"]));
    let e = client(&base)
        .build()
        .unwrap()
        .call(&upload(file))
        .await
        .unwrap_err();
    match &e {
        Error::File(FileError::StreamConsumed { field, name }) => {
            assert_eq!((*field, name.as_str()), ("Filedata", "a.csv"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("read once"), "{e}");
    assert!(!e.is_retryable());
    assert_eq!(fake.calls(), 1, "the second attempt sent nothing");
}

#[tokio::test]
async fn a_stream_shorter_than_declared_fails_the_call() {
    let (fake, base) = FakeClassIn::start().await;
    let file = File::from_stream("a.csv", 10, chunks(vec![b"abcd"]));
    let e = client(&base)
        .build()
        .unwrap()
        .call(&upload(file))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert!(
        e.to_string().contains("ended after 4 of 10 declared bytes"),
        "{e}"
    );
    assert!(fake.uploads().is_empty());
}

#[tokio::test]
async fn a_file_over_its_documented_size_fails_validation_and_nothing_is_read_or_sent() {
    let (fake, base) = FakeClassIn::start().await;
    let never_read = futures_util::stream::poll_fn(
        |_| -> std::task::Poll<Option<std::io::Result<bytes::Bytes>>> {
            panic!("a request that fails validation reads no file")
        },
    );
    let file = File::from_stream("big.mp4", UPLOAD_MAX_BYTES + 1, never_read);
    match client(&base).build().unwrap().call(&upload(file)).await {
        Err(Error::Validation(v)) => {
            let first = v.violations.iter().next().unwrap();
            assert_eq!(first.wire_path, "Filedata");
            assert_eq!(first.rule, Rule::MaxBytes(UPLOAD_MAX_BYTES));
            assert_eq!(first.found, Found::Bytes(UPLOAD_MAX_BYTES + 1));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.calls(), 0);
}

#[tokio::test]
async fn a_file_that_vanished_before_sending_is_a_typed_error() {
    let (fake, base) = FakeClassIn::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    std::fs::write(&path, b"png").unwrap();
    let request = upload(File::from_path(&path).unwrap());
    std::fs::remove_file(&path).unwrap();
    let e = client(&base)
        .build()
        .unwrap()
        .call(&request)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::File(FileError::Unreadable { field: "Filedata", name, .. }) if name == "a.png"),
        "{e:?}"
    );
    assert_eq!(fake.calls(), 0);
}

/// The same upload declared as a `GET` endpoint, which cannot carry a file.
#[derive(serde::Serialize)]
#[serde(transparent)]
struct UploadByGet(support::endpoints::UploadFile);

impl client_runtime::Validate for UploadByGet {
    fn validate_at(&self, path: &client_runtime::Path<'_>, out: &mut client_runtime::Violations) {
        self.0.validate_at(path, out);
    }
}

impl client_runtime::Endpoint for UploadByGet {
    const API_NAME: &'static str = "uploadFileByGet";
    const PROTOCOL: client_runtime::Protocol = client_runtime::Protocol::ClassInV1;
    const METHOD: client_runtime::HttpMethod = client_runtime::HttpMethod::Get;
    const ROUTE: client_runtime::Route = client_runtime::Route::Action {
        path: "/partner/api/cloud.api.php",
        action: "uploadFile",
    };
    const FIELD_ENCODINGS: &'static [(&'static str, client_runtime::FieldEncoding)] = &[];
    type Response = support::endpoints::UploadFileResponse;
    type ErrorCode = ClassInCode;

    fn files(&self) -> Vec<(&'static str, &File)> {
        self.0.files()
    }
}

#[tokio::test]
async fn a_get_endpoint_with_a_file_is_refused_before_sending() {
    use client_runtime::Endpoint;
    let (fake, base) = FakeClassIn::start().await;
    let request = UploadByGet(upload(File::from_bytes("a.png", vec![1])));
    assert_eq!(request.files().len(), 1);
    let e = client(&base)
        .build()
        .unwrap()
        .call(&request)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Encode(_)), "{e:?}");
    assert!(
        e.to_string().contains("uploadFileByGet is a GET endpoint"),
        "{e}"
    );
    assert_eq!(fake.calls(), 0);
}
