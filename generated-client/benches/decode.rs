//! Decoding response bodies into the generated response types, beside a plain
//! `#[derive(Deserialize)]` mirror of the same shape (no tolerant reading) in the same run; and
//! reading whole answers (envelope and payload) the runtime's way, in one pass from the bytes,
//! beside the way it read them before: a `serde_json::Value` first, then the typed payload.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::edu_period_create as period;
use generated_client::runtime::envelope::{read_classin, read_oapi};
use generated_client::runtime::redact::Redactor;
use generated_client::runtime::UndocumentedCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;

mod common;
use common::{PlainClassInItem, PlainPeriodResult};

/// A period-create response with 12 grades.
fn period_body() -> Vec<u8> {
    let grades: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"campus_id":415999016,"dept_id":4159980{i:02},"grade":{i},"name":"{i}年级2020级","super_id":415999017}}"#
            )
        })
        .collect();
    format!(
        r#"{{"result":{{"deptId":415999017,"grades":[{}]}},"success":true,"errcode":0,"errmsg":"ok"}}"#,
        grades.join(",")
    )
    .into_bytes()
}

/// A ClassIn response with 20 per-account results.
fn classin_body() -> Vec<u8> {
    let items: Vec<String> = (0..20)
        .map(|i| format!(r#"{{"customColumn":"班级{i}","errno":1,"error":"程序正常执行"}}"#))
        .collect();
    format!(
        r#"{{"data":[{}],"error_info":{{"errno":1,"error":"程序正常执行"}}}}"#,
        items.join(",")
    )
    .into_bytes()
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPeriodResponse {
    result: Option<PlainPeriodResult>,
    success: Option<bool>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainClassInResponse {
    data: Option<Vec<PlainClassInItem>>,
}

/// One group: the generated type and its plain mirror decoding the same body.
fn compare<Generated: DeserializeOwned, Plain: DeserializeOwned>(
    c: &mut Criterion,
    name: &str,
    body: &[u8],
) {
    let mut g = c.benchmark_group(name);
    g.bench_function("generated", |b| {
        b.iter(|| serde_json::from_slice::<Generated>(black_box(body)).expect("decodes"))
    });
    g.bench_function("plain derive", |b| {
        b.iter(|| serde_json::from_slice::<Plain>(black_box(body)).expect("decodes"))
    });
    g.finish();
}

/// The answer read as the runtime read it before: parsed into a `Value`, the envelope's code
/// checked there, then the payload decoded from the `Value`.
fn through_value<R: DeserializeOwned>(body: &[u8], code: &str, ok: i64) -> R {
    let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
    let found = match code {
        "errcode" => value.get("errcode"),
        _ => value.get("error_info").and_then(|i| i.get("errno")),
    };
    assert_eq!(found.and_then(serde_json::Value::as_i64), Some(ok));
    serde_json::from_value(value).expect("decodes")
}

fn answers(c: &mut Criterion) {
    let redact = Redactor::default();
    let body = period_body();
    let mut g = c.benchmark_group("answer/edu_period_create (12 grades)");
    g.bench_function("one pass from bytes", |b| {
        b.iter(|| {
            read_oapi::<period::EduPeriodCreateResponse, UndocumentedCode>(
                200,
                black_box(&body),
                &redact,
            )
            .expect("decodes")
        })
    });
    g.bench_function("through serde_json::Value", |b| {
        b.iter(|| through_value::<period::EduPeriodCreateResponse>(black_box(&body), "errcode", 0))
    });
    g.finish();
    let body = classin_body();
    let mut g = c.benchmark_group("answer/add_course_student_multiple (20 items)");
    g.bench_function("one pass from bytes", |b| {
        b.iter(|| {
            read_classin::<classin::AddCourseStudentMultipleResponse, UndocumentedCode>(
                200,
                black_box(&body),
                &redact,
            )
            .expect("decodes")
        })
    });
    g.bench_function("through serde_json::Value", |b| {
        b.iter(|| {
            through_value::<classin::AddCourseStudentMultipleResponse>(black_box(&body), "errno", 1)
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    compare::<period::EduPeriodCreateResponse, PlainPeriodResponse>(
        c,
        "decode/edu_period_create (12 grades)",
        &period_body(),
    );
    compare::<classin::AddCourseStudentMultipleResponse, PlainClassInResponse>(
        c,
        "decode/add_course_student_multiple (20 items)",
        &classin_body(),
    );
}

criterion_group!(benches, bench, answers);
criterion_main!(benches);
