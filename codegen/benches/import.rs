//! Import speed: 1,000 documentation pages (the four vendor pages of
//! `tests/import-pages/vendor/`, cycled) read into draft specs, text written, from text already
//! in memory.
//!
//! `cargo bench -p codegen --bench import`

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use codegen::import::{import_page, Options};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

fn pages() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/import-pages/vendor");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("the vendor pages")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a page"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let four = pages();
    let thousand: Vec<&str> = four.iter().cycle().take(1000).map(String::as_str).collect();
    let bytes: usize = thousand.iter().map(|p| p.len()).sum();
    let options = Options::default();

    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Bytes(bytes as u64));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("1000 pages", |b| {
        b.iter(|| {
            for page in &thousand {
                let draft = import_page(black_box(page), &options).expect("imports");
                black_box(draft.text.len());
            }
        })
    });
    group.finish();

    let mut one = c.benchmark_group("import/one page");
    for (name, page) in ["000 studentpool", "001 period", "002 classin", "003 top"]
        .iter()
        .zip(&four)
    {
        one.throughput(Throughput::Bytes(page.len() as u64));
        one.bench_function(*name, |b| {
            b.iter(|| import_page(black_box(page), &options).expect("imports"))
        });
    }
    one.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
