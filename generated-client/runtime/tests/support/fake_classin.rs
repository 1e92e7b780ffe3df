//! A fake of api.eeo.cn's partner API v1: `addCourseStudentMultiple` (a urlencoded body) and
//! `uploadFile` (a multipart body, parsed part by part).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::Deserialize;

use super::{json, md5_hex, respond, Recorded, Script, Scripted, NOW_UNIX};

pub const SID: &str = "2339736";
pub const SECRET: &str = "CLASSIN-SECRET-9c1e-do-not-log";

/// The vendor page's example answer.
pub const ADD_OK: &str = r#"{
"data": [
{
"customColumn": "123",
"errno": 1,
"error": "程序正常执行"
}
],
"error_info": {
"errno": 1,
"error": "程序正常执行"
}
}"#;

/// The answer to an upload: the new file's id.
pub const UPLOAD_OK: &str = r#"{"data":3050,"error_info":{"errno":1,"error":"程序正常执行"}}"#;

/// One part of a multipart body as the fake parsed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// A text part: no file name, no content type.
    pub fn text(name: &str, value: &str) -> Part {
        Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            bytes: value.as_bytes().to_vec(),
        }
    }
}

pub fn errno(code: i64, error: &str) -> String {
    format!(r#"{{"data":[],"error_info":{{"errno":{code},"error":"{error}"}}}}"#)
}

pub struct FakeClassIn {
    pub calls: AtomicUsize,
    pub script: Script,
    pub recorded: Mutex<Vec<Recorded>>,
    /// Every `safeKey` received, to check that none leaks into logs.
    pub safe_keys: Mutex<Vec<String>>,
    /// The parts of every multipart body received, in order.
    pub uploads: Mutex<Vec<Vec<Part>>>,
}

impl FakeClassIn {
    pub async fn start() -> (Arc<Self>, String) {
        let fake = Arc::new(FakeClassIn {
            calls: AtomicUsize::new(0),
            script: Script::default(),
            recorded: Mutex::new(Vec::new()),
            safe_keys: Mutex::new(Vec::new()),
            uploads: Mutex::new(Vec::new()),
        });
        let router = axum::Router::new()
            .fallback(handle)
            .with_state(fake.clone());
        let base = super::serve(router).await;
        (fake, base)
    }

    pub fn push(&self, s: Scripted) {
        self.script.push(s);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn last(&self) -> Recorded {
        self.recorded
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("no request recorded")
    }

    pub fn uploads(&self) -> Vec<Vec<Part>> {
        self.uploads.lock().unwrap().clone()
    }

    /// Record `key` and tell whether `SID`, `timeStamp` and `safeKey` are what the server
    /// accepts.
    fn authentic(&self, sid: Option<String>, ts: Option<String>, key: Option<String>) -> bool {
        if let Some(key) = &key {
            self.safe_keys.lock().unwrap().push(key.clone());
        }
        let ts = ts.and_then(|t| t.parse::<i64>().ok());
        match (sid, ts, key) {
            (Some(sid), Some(ts), Some(key)) => {
                sid == SID
                    && (ts - NOW_UNIX).abs() <= 20 * 60
                    && key.len() == 32
                    && key == md5_hex(&format!("{SECRET}{ts}"))
            }
            _ => false,
        }
    }

    async fn answer(&self, default: String) -> Response {
        if let Some(s) = self.script.next() {
            if !s.delay.is_zero() {
                tokio::time::sleep(s.delay).await;
            }
            return respond(s);
        }
        respond(json(&default))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StudentBody {
    uid: String,
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(rename = "customColumn")]
    custom_column: Option<serde_json::Value>,
}

async fn handle(
    State(fake): State<Arc<FakeClassIn>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rec = Recorded::new(&method, &uri, &headers, &body);
    fake.recorded.lock().unwrap().push(rec.clone());
    fake.calls.fetch_add(1, Ordering::SeqCst);
    if rec.method == "POST" && rec.path == "/partner/api/cloud.api.php" {
        return upload(&fake, &rec, body).await;
    }
    if rec.method != "POST" || rec.path != "/partner/api/course.api.php" {
        return respond(super::html(404, "<html><body>404 Not Found</body></html>"));
    }
    if rec.q("action") != Some("addCourseStudentMultiple") {
        return respond(json(&errno(100, "表示参数不全或错误")));
    }
    if !rec
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        return respond(json(&errno(100, "表示参数不全或错误")));
    }
    if !fake.authentic(rec.f("SID"), rec.f("timeStamp"), rec.f("safeKey")) {
        return respond(json(&errno(102, "表示无权限(安全验证没通过)")));
    }
    let numeric = |k: &str| rec.f(k).is_some_and(|v| v.parse::<i64>().is_ok());
    if !numeric("courseId") || !numeric("identity") {
        return respond(json(&errno(100, "表示参数不全或错误")));
    }
    let students: Vec<StudentBody> = match rec.f("studentJson").map(|s| serde_json::from_str(&s)) {
        Some(Ok(list)) => list,
        _ => return respond(json(&errno(155, "表示数据数组不可为空"))),
    };
    if students.is_empty() || students.iter().any(|s| s.uid.is_empty()) {
        return respond(json(&errno(155, "表示数据数组不可为空")));
    }
    if let Some(s) = fake.script.next() {
        if !s.delay.is_zero() {
            tokio::time::sleep(s.delay).await;
        }
        return respond(s);
    }
    // Echo one result per student, customColumn as a string, as the server does.
    let data: Vec<serde_json::Value> = students
        .iter()
        .map(|s| {
            let mut item = serde_json::json!({"errno": 1, "error": "程序正常执行"});
            if let Some(c) = &s.custom_column {
                let text = match c {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                item["customColumn"] = serde_json::Value::String(text);
            }
            item
        })
        .collect();
    respond(json(
        &serde_json::json!({"data": data, "error_info": {"errno": 1, "error": "程序正常执行"}})
            .to_string(),
    ))
}

/// `uploadFile`: a multipart body with `SID`, `safeKey`, `timeStamp`, a numeric `folderId` and a
/// `Filedata` file part.
async fn upload(fake: &FakeClassIn, rec: &Recorded, body: Bytes) -> Response {
    let bad = || respond(json(&errno(100, "表示参数不全或错误")));
    if rec.q("action") != Some("uploadFile") {
        return bad();
    }
    let Some(content_type) = rec
        .content_type
        .as_deref()
        .filter(|c| c.starts_with("multipart/form-data"))
    else {
        return bad();
    };
    let request = axum::http::Request::builder()
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
        return bad();
    };
    let mut parts = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let content_type = field.content_type().map(str::to_owned);
                let Ok(bytes) = field.bytes().await else {
                    return bad();
                };
                parts.push(Part {
                    name,
                    file_name,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
            Ok(None) => break,
            Err(_) => return bad(),
        }
    }
    fake.uploads.lock().unwrap().push(parts.clone());
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name && p.file_name.is_none())
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
    };
    if !fake.authentic(text("SID"), text("timeStamp"), text("safeKey")) {
        return respond(json(&errno(102, "表示无权限(安全验证没通过)")));
    }
    let has_file = parts
        .iter()
        .any(|p| p.name == "Filedata" && p.file_name.is_some());
    let folder = text("folderId").and_then(|v| v.parse::<i64>().ok());
    if folder.is_none() || !has_file {
        return bad();
    }
    fake.answer(UPLOAD_OK.to_owned()).await
}
