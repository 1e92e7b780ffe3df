//! The catalogue of bad specs: every case is reported, each problem with `file:line:col`, what
//! is wrong and a hint; one snapshot per case shows exactly what a user sees.

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bad-specs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("bad-specs folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn catalogue_has_at_least_forty_five_cases() {
    assert!(cases().len() >= 45, "only {} cases", cases().len());
}

#[test]
fn every_bad_spec_is_reported_with_its_location() {
    // Every case runs, and every one whose report changed is named at the end.
    let mut changed = Vec::new();
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let diags = codegen::check_dir(&case);
        assert!(!diags.is_empty(), "{name}: no problem reported");
        for d in &diags.0 {
            assert!(d.pos.line >= 1 && d.pos.col >= 1, "{name}: {d}");
            assert!(d.file.starts_with(&name), "{name}: file {}", d.file);
            let rendered = d.to_string();
            let location = format!("{}:{}:{}", d.file, d.pos.line, d.pos.col);
            assert!(
                rendered.contains(&location),
                "{name}: no location in {rendered}"
            );
        }
        // Generation refuses the same specs with the same report.
        match codegen::generate_dir(&case, codegen::Layout::Tree) {
            Err(codegen::Failure::Specs(same)) => assert_eq!(same, diags, "{name}"),
            other => panic!("{name}: generation did not fail on the specs: {other:?}"),
        }
        let report = diags.to_string();
        let same = std::panic::catch_unwind(|| insta::assert_snapshot!(name.as_str(), report));
        if same.is_err() {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "the reports of {} cases changed: {}",
        changed.len(),
        changed.join(", ")
    );
}

#[test]
fn the_project_specs_are_clean() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let diags = codegen::check_dir(&spec);
    assert!(diags.is_empty(), "{diags}");
}
