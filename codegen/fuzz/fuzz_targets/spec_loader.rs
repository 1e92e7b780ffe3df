//! Arbitrary bytes through the whole generator, as up to four spec files of two vendors (the
//! input split at NUL bytes): it either generates or rejects the files with every problem
//! located in one of them. A panic, a problem without a position, or code the generator
//! cannot format is a finding.

#![no_main]

use codegen::{Failure, Layout, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources: Vec<Source> = text
        .split('\0')
        .take(4)
        .enumerate()
        .map(|(i, part)| {
            let vendor = if i % 2 == 0 { "demo" } else { "other" };
            Source {
                display: format!("spec/{vendor}/f{i}.yaml"),
                vendor: vendor.to_owned(),
                module: format!("f{i}"),
                text: part.to_owned(),
            }
        })
        .collect();
    let files: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
    match codegen::generate_sources(sources, Layout::Tree) {
        Ok(_) => {}
        Err(Failure::Specs(diags)) => {
            assert!(!diags.is_empty());
            for d in &diags.0 {
                assert!(d.pos.line >= 1 && d.pos.col >= 1, "{d}");
                assert!(files.contains(&d.file), "{d}");
            }
        }
        Err(Failure::Emit(e)) => panic!("{e}"),
    }
});
