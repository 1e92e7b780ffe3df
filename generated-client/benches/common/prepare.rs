//! Request preparation per endpoint, as the clients do it before sending: validate, serialize,
//! encode for the protocol family, sign. Beside each, a hand-written baseline that does the same
//! wire work with serde_json, serde_urlencoded and the hash crates directly, without validation.
//! Shared by the `prepare` bench (wall time, and the check that both sides write the same bytes)
//! and the `prepare_count` bench (one path N times, for instruction counts under callgrind).

use std::borrow::Cow;

use client_runtime::classin::{form_body, safe_key};
use client_runtime::form::{form_pairs, form_text, json_body, FormStyle};
use client_runtime::top_sign::{sign_all, SignMethod};
use client_runtime::{Endpoint, Secret};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::corp_extcontact_update as ext;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde::Serialize;
use sha2::Sha256;

const TIMESTAMP: &str = "2017-05-02 19:51:10";
const TOKEN: &str = "access-token";
const SECRET: &str = "app-secret";

// ---- what the clients do (the runtime's own functions, as its clients call them) ----

pub fn prepare_oapi<E: Endpoint>(request: &E) -> Vec<u8> {
    request.validate().expect("valid");
    json_body(request).expect("serializes")
}

/// The TOP body and query: application parameters once per call, then the system parameters
/// and the signature over both.
pub fn prepare_top<E: Endpoint>(request: &E) -> (String, String) {
    request.validate().expect("valid");
    let application = form_pairs(request, E::FIELD_ENCODINGS, FormStyle::Top).expect("encodes");
    let mut system: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(10);
    system.push(("method", Cow::Borrowed(E::API_NAME)));
    system.push(("v", Cow::Borrowed("2.0")));
    system.push(("timestamp", Cow::Owned(TIMESTAMP.to_owned())));
    system.push(("format", Cow::Borrowed("json")));
    system.push(("session", Cow::Borrowed(TOKEN)));
    system.push(("app_key", Cow::Borrowed("app-key")));
    system.push(("sign_method", Cow::Borrowed("hmac-sha256")));
    let all = system
        .iter()
        .map(|(k, v)| (*k, v.as_ref()))
        .chain(application.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let signature = sign_all(all, SECRET, SignMethod::HmacSha256);
    system.push(("sign", Cow::Owned(signature)));
    let mut body = form_urlencoded::Serializer::new(String::with_capacity(128));
    body.extend_pairs(&application);
    let mut query = form_urlencoded::Serializer::new(String::with_capacity(256));
    query.extend_pairs(&system);
    (body.finish(), query.finish())
}

pub fn prepare_classin<E: Endpoint>(request: &E) -> String {
    request.validate().expect("valid");
    let fields = form_text(request, E::FIELD_ENCODINGS, FormStyle::ClassIn).expect("encodes");
    let key = safe_key(&Secret::from(SECRET), 1_493_725_870);
    form_body("2339736", &key, 1_493_725_870, &fields)
}

// ---- the hand-written baselines: same wire output, no validation, no generic encoding ----

pub fn baseline_json<T: Serialize>(request: &T) -> String {
    serde_json::to_string(request).expect("serializes")
}

pub fn baseline_top(contact: &ext::OpenExtContact) -> String {
    let contact = serde_json::to_string(contact).expect("serializes");
    let mut params: Vec<(&str, &str)> = vec![
        ("app_key", "app-key"),
        ("contact", &contact),
        ("format", "json"),
        ("method", "dingtalk.corp.extcontact.update"),
        ("session", TOKEN),
        ("sign_method", "hmac-sha256"),
        ("timestamp", TIMESTAMP),
        ("v", "2.0"),
    ];
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    for (k, v) in &params {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    let signature = hex::encode_upper(mac.finalize().into_bytes());
    params.push(("sign", &signature));
    serde_urlencoded::to_string(&params).expect("encodes")
}

pub fn baseline_classin(r: &classin::AddCourseStudentMultipleRequest) -> String {
    let key = hex::encode(Md5::digest(format!("{SECRET}1493725870").as_bytes()));
    let students = serde_json::to_string(&r.student_json).expect("serializes");
    let course = r.course_id.to_string();
    let identity = r.identity.value().to_string();
    serde_urlencoded::to_string([
        ("SID", "2339736"),
        ("safeKey", key.as_str()),
        ("timeStamp", "1493725870"),
        ("courseId", course.as_str()),
        ("identity", identity.as_str()),
        ("studentJson", students.as_str()),
    ])
    .expect("encodes")
}
