//! The code `build.rs` generated for this crate: pinned by snapshots, and identical to what the
//! generator produces in memory from the same specs.

use std::path::Path;

const OUT_DIR: &str = env!("OUT_DIR");

fn spec_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// The path the methods' doc examples name this crate by, as `build.rs` sets it.
const DOC_EXAMPLES: &str = "generated_client";

/// What `build.rs` generates with: the `OUT_DIR` layout, vendors behind this crate's features,
/// doc examples, the fast layout of a build script.
fn build_options() -> codegen::Options {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    codegen::Options {
        layout: codegen::Layout::OutDir,
        vendor_features: codegen::build::declared_features(&manifest).expect("manifest reads"),
        doc_examples: Some(DOC_EXAMPLES.to_owned()),
        format: codegen::Format::Fast,
        ..codegen::Options::from(codegen::Layout::OutDir)
    }
}

/// The same code formatted with prettyplease, for review (the generator's tests check that
/// the fast layout holds exactly this code).
fn reviewed_options() -> codegen::Options {
    codegen::Options {
        format: codegen::Format::Pretty,
        ..build_options()
    }
}

/// Every generated module file, formatted, snapshotted one file per snapshot.
#[test]
fn generated_modules_match_snapshots() {
    let output = codegen::generate_dir(&spec_dir(), reviewed_options()).expect("specs are valid");
    assert!(
        output.files.len() >= 5,
        "expected the four endpoints and the root file"
    );
    // Every module is compared, and every one that changed is named at the end.
    let mut changed = Vec::new();
    for (rel, built) in &output.files {
        let name = rel.trim_end_matches(".rs").replace('/', "__");
        if std::panic::catch_unwind(|| insta::assert_snapshot!(name.as_str(), built)).is_err() {
            changed.push(rel.clone());
        }
    }
    assert!(
        changed.is_empty(),
        "{} generated modules differ from their snapshots: {}",
        changed.len(),
        changed.join(", ")
    );
}

/// One generator, one truth: the files in `OUT_DIR` are byte for byte what the generator
/// produces now, and generating twice gives the same bytes.
#[test]
fn build_output_is_the_generator_output_and_deterministic() {
    let first = codegen::generate_dir(&spec_dir(), build_options()).expect("specs are valid");
    let second = codegen::generate_dir(&spec_dir(), build_options()).expect("specs are valid");
    assert_eq!(first, second, "generation is not deterministic");
    for (rel, content) in &first.files {
        let built =
            std::fs::read_to_string(Path::new(OUT_DIR).join(rel)).expect("build.rs wrote it");
        assert!(
            &built == content,
            "{rel} in OUT_DIR differs from the generator's output"
        );
    }
}

/// The module files are the same whichever layout ties them together, so the tree that
/// `codegen generate` writes for review holds the code this crate compiles.
#[test]
fn tree_layout_holds_the_same_modules() {
    let out_dir = codegen::generate_dir(&spec_dir(), reviewed_options()).expect("specs are valid");
    let tree_options = codegen::Options {
        doc_examples: Some(DOC_EXAMPLES.to_owned()),
        ..codegen::Options::from(codegen::Layout::Tree)
    };
    let tree = codegen::generate_dir(&spec_dir(), tree_options).expect("specs are valid");
    for (rel, content) in &out_dir.files {
        if rel != "lib.rs" {
            assert_eq!(tree.files.get(rel), Some(content), "{rel}");
        }
    }
}

/// Each vendor sits behind the feature of its name, so a user of one vendor compiles only its
/// endpoints; this crate declares one per vendor folder.
#[test]
fn every_vendor_is_behind_its_feature() {
    let options = build_options();
    let output = codegen::generate_dir(&spec_dir(), options.clone()).expect("specs are valid");
    let lib = &output.files["lib.rs"];
    for vendor in output.summary.vendors.keys() {
        assert!(
            options.vendor_features.contains(vendor),
            "Cargo.toml declares no feature `{vendor}`"
        );
        let gate = format!("#[cfg(feature = \"{vendor}\")]\npub mod {vendor} {{");
        assert!(lib.contains(&gate), "{vendor} is not gated:\n{lib}");
    }
}

/// Every endpoint's client method documents one example, a doctest that builds the request
/// from the spec's example values and calls the method; `cargo test --doc` compiles them all.
#[test]
fn every_endpoint_method_has_one_compiled_example() {
    let output = codegen::generate_dir(&spec_dir(), reviewed_options()).expect("specs are valid");
    let mut endpoints = 0;
    for (rel, text) in &output.files {
        let endpoint = text.matches("impl ::client_runtime::Endpoint for ").count();
        endpoints += endpoint;
        assert_eq!(
            text.matches("/// ```no_run").count(),
            endpoint,
            "{rel}: an example per endpoint"
        );
        if endpoint == 1 {
            let method = rel.trim_end_matches(".rs").rsplit('/').next().unwrap();
            assert!(
                text.contains(&format!(
                    "/// let response = client.{method}(&request).await?;"
                )),
                "{rel}: the example calls the method"
            );
            assert!(
                text.contains(&format!("/// use {DOC_EXAMPLES}::")),
                "{rel}: the example names the crate"
            );
        }
    }
    assert_eq!(
        endpoints,
        output
            .summary
            .vendors
            .values()
            .map(|c| c.endpoints)
            .sum::<usize>()
    );
}
