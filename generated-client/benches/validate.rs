//! `validate()` on a full studentpool batch (20 students, each with 3 contacts) and on a full
//! ClassIn request (20 auditors with names and custom columns).

use client_runtime::Validate;
use criterion::{criterion_group, criterion_main, Criterion};
use generated_client::classin::add_course_student_multiple as classin;
use generated_client::dingtalk::industry_studentpool_batchadd as pool;

fn batch() -> pool::IndustryStudentpoolBatchaddRequest {
    let mut r = pool::IndustryStudentpoolBatchaddRequest::new("1003".into());
    r.student_list = Some(
        (0..20)
            .map(|i| {
                let mut s = pool::TrainingStudentDto::new();
                s.name = Some(format!("学员{i}"));
                s.mobile = Some("18511111111".into());
                s.number = Some(format!("{i:06}"));
                s.package_ids = Some(vec![12, 34]);
                s.patriarchs = Some(
                    (0..3)
                        .map(|_| {
                            let mut p = pool::PatriarchDto::new();
                            p.name = Some("丁明".into());
                            p.mobile = Some("18511111111".into());
                            p.relation = Some("F".into());
                            p
                        })
                        .collect(),
                );
                s
            })
            .collect(),
    );
    r
}

fn classin_request() -> classin::AddCourseStudentMultipleRequest {
    let accounts = (0..20)
        .map(|i| {
            let mut a = classin::StudentAccount::new(format!("1001{i:03}"));
            a.name = Some("丁小明".repeat(8));
            a.custom_column = Some(format!("column-{i}"));
            a
        })
        .collect();
    classin::AddCourseStudentMultipleRequest::builder()
        .course_id(490583)
        .student_json(accounts)
        .identity(classin::Identity::Auditor)
        .build()
}

fn bench(c: &mut Criterion) {
    let b = batch();
    assert!(b.validate().is_ok());
    c.bench_function("validate/studentpool_batch_20x3", |bench| {
        bench.iter(|| std::hint::black_box(&b).validate())
    });
    let r = classin_request();
    assert!(r.validate().is_ok());
    c.bench_function("validate/classin_20_auditors", |bench| {
        bench.iter(|| std::hint::black_box(&r).validate())
    });
    let mut bad = classin_request();
    for a in &mut bad.student_json {
        a.uid.clear();
    }
    c.bench_function("validate/classin_20_faults", |bench| {
        bench.iter(|| std::hint::black_box(&bad).validate())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
