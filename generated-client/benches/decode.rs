//! Decoding response bodies into the generated response types, beside a plain
//! `#[derive(Deserialize)]` mirror of the same shape (no tolerant reading) in the same run.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::edu_period_create as period;
use serde::de::DeserializeOwned;
use serde::Deserialize;

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
    format!(r#"{{"data":[{}]}}"#, items.join(",")).into_bytes()
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPeriodResponse {
    result: Option<PlainPeriodResult>,
    success: Option<bool>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPeriodResult {
    #[serde(rename = "deptId")]
    dept_id: Option<i64>,
    grades: Option<Vec<PlainGrade>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainGrade {
    campus_id: Option<i64>,
    dept_id: Option<i64>,
    grade: Option<i64>,
    name: Option<String>,
    super_id: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainClassInResponse {
    data: Option<Vec<PlainClassInItem>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainClassInItem {
    #[serde(rename = "customColumn")]
    custom_column: Option<String>,
    errno: i64,
    error: Option<String>,
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

criterion_group!(benches, bench);
criterion_main!(benches);
