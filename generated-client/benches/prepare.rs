//! Request preparation per endpoint, as the clients do it before sending: validate, serialize,
//! encode for the protocol family, sign. Beside each, a hand-written baseline that does the same
//! wire work with serde_json, serde_urlencoded and the hash crates directly, without validation
//! (both in `common::prepare`). Checks first that both sides write the same bytes.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

mod common;
use common::prepare::{
    baseline_classin, baseline_json, baseline_top, prepare_classin, prepare_oapi, prepare_top,
};
use common::{classin_request, ext_request, period_request, pool_request};

fn bench(c: &mut Criterion) {
    let p = period_request();
    let b = pool_request();
    let e = ext_request();
    let r = classin_request();

    // The client and the baseline put the same bytes on the wire.
    assert_eq!(prepare_oapi(&p), baseline_json(&p).into_bytes());
    assert_eq!(prepare_oapi(&b), baseline_json(&b).into_bytes());
    assert_eq!(prepare_classin(&r), baseline_classin(&r));
    let (body, query) = prepare_top(&e);
    let mut client: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("{body}&{query}")).expect("urlencoded");
    let mut baseline: Vec<(String, String)> =
        serde_urlencoded::from_str(&baseline_top(&e.contact)).expect("urlencoded");
    client.sort();
    baseline.sort();
    assert_eq!(client, baseline);

    let mut g = c.benchmark_group("prepare/edu_period_create (oapi)");
    g.bench_function("client", |x| x.iter(|| prepare_oapi(black_box(&p))));
    g.bench_function("hand-written", |x| x.iter(|| baseline_json(black_box(&p))));
    g.finish();

    let mut g = c.benchmark_group("prepare/industry_studentpool_batchadd (oapi)");
    g.bench_function("client", |x| x.iter(|| prepare_oapi(black_box(&b))));
    g.bench_function("hand-written", |x| x.iter(|| baseline_json(black_box(&b))));
    g.finish();

    let mut g = c.benchmark_group("prepare/corp_extcontact_update (TOP, hmac-sha256)");
    g.bench_function("client", |x| x.iter(|| prepare_top(black_box(&e))));
    g.bench_function("hand-written", |x| {
        x.iter(|| baseline_top(black_box(&e.contact)))
    });
    g.finish();

    let mut g = c.benchmark_group("prepare/add_course_student_multiple (ClassIn)");
    g.bench_function("client", |x| x.iter(|| prepare_classin(black_box(&r))));
    g.bench_function("hand-written", |x| {
        x.iter(|| baseline_classin(black_box(&r)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
