//! Generation time by stage for 1, 4, 100 and 1,000 synthetic endpoints, and for the project's
//! own specs, beside the time serde_yaml alone takes to parse the same files.
//!
//! `emit` and `total` generate with a build script's defaults (the `OUT_DIR` layout, files laid
//! out fast); `emit_pretty` and `total_pretty` format with prettyplease, as `codegen generate`
//! does (left out at 1,000 endpoints, where they alone would take minutes). The whole run takes
//! a few minutes.
//!
//! `cargo bench -p codegen --bench generate`

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use codegen::load::{self, Loaded, Source};
use codegen::{check, emit, lower, Diagnostics, Format, Layout, Options};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};

fn parse_all(sources: Vec<Source>) -> Vec<Loaded> {
    let mut diags = Diagnostics::default();
    let loaded: Vec<Loaded> = sources
        .into_iter()
        .map(|s| load::parse(s, &mut diags))
        .collect();
    assert!(diags.is_empty(), "{diags}");
    loaded
}

fn bench_set(c: &mut Criterion, label: &str, sources: Vec<Source>) {
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let loaded = parse_all(sources.clone());
    let (model, diags) = check::check(&loaded);
    assert!(diags.is_empty(), "{diags}");
    let model = model.expect("a model when nothing is wrong");
    let ir = lower::lower(&model);

    let build_script = || Options {
        format: Format::Fast,
        ..Options::from(Layout::OutDir)
    };
    let pretty = || Options::from(Layout::OutDir);
    let mut group = c.benchmark_group(format!("generate/{label}"));
    group.throughput(Throughput::Bytes(bytes as u64));
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    if sources.len() > 500 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(10));
    } else if sources.len() > 50 {
        group
            .sample_size(20)
            .sampling_mode(SamplingMode::Flat)
            .measurement_time(Duration::from_secs(4));
    }
    group.bench_function("serde_yaml_value", |b| {
        b.iter(|| {
            for s in &sources {
                black_box(serde_yaml::from_str::<serde_yaml::Value>(&s.text).ok());
            }
        })
    });
    group.bench_function("load", |b| {
        b.iter_batched(|| sources.clone(), parse_all, BatchSize::LargeInput)
    });
    group.bench_function("check", |b| b.iter(|| check::check(black_box(&loaded))));
    group.bench_function("lower", |b| b.iter(|| lower::lower(black_box(&model))));
    group.bench_function("emit", |b| {
        b.iter(|| emit::emit(black_box(&ir), build_script()).expect("emit"))
    });
    group.bench_function("total", |b| {
        b.iter_batched(
            || sources.clone(),
            |s| codegen::generate_sources(s, build_script()).expect("generate"),
            BatchSize::LargeInput,
        )
    });
    if sources.len() <= 500 {
        group.bench_function("emit_pretty", |b| {
            b.iter(|| emit::emit(black_box(&ir), pretty()).expect("emit"))
        });
        group.bench_function("total_pretty", |b| {
            b.iter_batched(
                || sources.clone(),
                |s| codegen::generate_sources(s, pretty()).expect("generate"),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn project_specs() -> Vec<Source> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut diags = Diagnostics::default();
    let sources = load::read_dir(&dir, &mut diags);
    assert!(diags.is_empty(), "{diags}");
    sources
}

fn generation(c: &mut Criterion) {
    bench_set(c, "spec_dir", project_specs());
    for n in [1, 4, 100, 1000] {
        bench_set(c, &format!("synthetic_{n}"), codegen::synth::sources(n));
    }
}

criterion_group!(benches, generation);
criterion_main!(benches);
