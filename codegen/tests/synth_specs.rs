//! The synthetic specs are valid specs: written to a folder they pass every check and generate
//! one module per endpoint.

use std::path::PathBuf;

fn fresh_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn fifty_synthetic_endpoints_pass_every_check() {
    let dir = fresh_dir("synth-50").join("spec");
    let files = codegen::synth::write(50, &dir).expect("write the specs");
    assert_eq!(files, 52, "50 endpoints and one common.yaml per vendor");
    let diags = codegen::check_dir(&dir);
    assert!(diags.is_empty(), "{diags}");
    let out = codegen::generate_dir(&dir, codegen::Layout::Tree).expect("generate");
    let endpoints: usize = out.summary.vendors.values().map(|c| c.endpoints).sum();
    assert_eq!(endpoints, 50);
    assert_eq!(out.summary.vendors.len(), 2, "{}", out.summary);
    // Every family appears: oapi and TOP routes under dingtalk, ClassIn actions under classin.
    let all: String = out.files.values().cloned().collect();
    for route in ["Route::Path(", "Route::TopMethod(", "Route::Action {"] {
        assert!(all.contains(route), "no {route}");
    }
}

#[test]
fn in_memory_sources_match_the_files() {
    let sources = codegen::synth::sources(4);
    let out = codegen::generate_sources(sources, codegen::Layout::Tree).expect("generate");
    let dir = fresh_dir("synth-4").join("spec");
    codegen::synth::write(4, &dir).expect("write the specs");
    let from_dir = codegen::generate_dir(&dir, codegen::Layout::Tree).expect("generate");
    assert_eq!(out, from_dir);
}

/// Only the vendors named in `vendor_features` are gated, in both layouts, and nothing but the
/// root file changes.
#[test]
fn vendor_features_gate_only_the_named_vendors() {
    for layout in [codegen::Layout::Tree, codegen::Layout::OutDir] {
        let plain =
            codegen::generate_sources(codegen::synth::sources(4), layout).expect("generate");
        let options = codegen::Options {
            layout,
            vendor_features: ["classin".to_owned(), "unrelated".to_owned()].into(),
            ..codegen::Options::from(layout)
        };
        let gated =
            codegen::generate_sources(codegen::synth::sources(4), options).expect("generate");
        let lib = &gated.files["lib.rs"];
        assert!(
            lib.contains("#[cfg(feature = \"classin\")]\npub mod classin"),
            "{lib}"
        );
        assert!(!lib.contains("feature = \"dingtalk\""), "{lib}");
        assert!(!lib.contains("unrelated"), "{lib}");
        assert!(!plain.files["lib.rs"].contains("#[cfg("));
        for (file, text) in &plain.files {
            if file != "lib.rs" {
                assert_eq!(gated.files.get(file), Some(text), "{file}");
            }
        }
    }
}
