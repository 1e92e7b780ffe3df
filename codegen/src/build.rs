//! The entry point for a build script: generate into `OUT_DIR`, tell Cargo to rerun when any
//! spec changes, and fail the build with every diagnostic when a spec is wrong.
//!
//! ```no_run
//! // build.rs of the crate that holds the generated client
//! codegen::build::compile("../spec");
//! ```
//! and in its `lib.rs`: `include!(concat!(env!("OUT_DIR"), "/lib.rs"));`
//!
//! The generated types derive serde's other direction (`Serialize` on response types,
//! `Deserialize` on request types) only with the crate's `serde-both` feature
//! ([`SERDE_BOTH_FEATURE`]); declare it in the crate's `[features]` to offer it. [`compile`]
//! tells rustc the name is expected either way, so a crate that does not declare it still builds
//! warning-free.
//!
//! A vendor whose folder name is a feature declared in the crate's `Cargo.toml` is compiled only
//! with that feature (`dingtalk = []`, listed in `default` to keep it on unless a user opts out);
//! vendors without one are always compiled, and the build says so when others have one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::emit::SERDE_BOTH_FEATURE;
use crate::{generate_dir, write, Failure, Layout, Options};

/// Generates the client for the specs in `spec_dir` (relative to the crate being built) into
/// `OUT_DIR`. On failure prints every problem and exits with status 1, so the build stops
/// with the reasons in its output.
pub fn compile(spec_dir: impl AsRef<Path>) {
    if let Err(message) = try_compile(spec_dir.as_ref()) {
        eprintln!("{message}");
        std::process::exit(1);
    }
}

/// [`compile`], returning the failure instead of exiting.
pub fn try_compile(spec_dir: &Path) -> Result<(), String> {
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or("OUT_DIR is not set: call this from a build script")?;
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(|d| PathBuf::from(d).join("Cargo.toml"))
        .ok_or("CARGO_MANIFEST_DIR is not set: call this from a build script")?;
    rerun_if_changed(spec_dir);
    println!("cargo:rerun-if-changed={}", manifest.display());
    println!("cargo::rustc-check-cfg=cfg(feature, values(\"{SERDE_BOTH_FEATURE}\"))");
    let options = Options {
        layout: Layout::OutDir,
        vendor_features: declared_features(&manifest)?,
    };
    let output = generate_dir(spec_dir, options.clone()).map_err(|f| match f {
        Failure::Specs(d) => format!(
            "the API specs in {} have problems:\n\n{d}",
            spec_dir.display()
        ),
        Failure::Emit(e) => e.to_string(),
    })?;
    write::write_output(&output, &out_dir).map_err(|e| {
        format!(
            "cannot write the generated client to {}: {e}",
            out_dir.display()
        )
    })?;
    let (gated, always): (Vec<&String>, Vec<&String>) = output
        .summary
        .vendors
        .keys()
        .partition(|v| options.vendor_features.contains(*v));
    for v in always.iter().filter(|_| !gated.is_empty()) {
        println!(
            "cargo:warning=vendor `{v}` has no feature of its own in {}, so it is always \
             compiled; declare `{v} = []` (and list it in `default`) to make it optional like \
             the others",
            manifest.display()
        );
    }
    Ok(())
}

/// The features declared in the `[features]` table of the Cargo manifest at `manifest`: the
/// vendor folders named there are compiled only with their feature.
pub fn declared_features(manifest: &Path) -> Result<BTreeSet<String>, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        features: BTreeMap<String, serde::de::IgnoredAny>,
    }
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let parsed: Manifest =
        toml::from_str(&text).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    Ok(parsed.features.into_keys().collect())
}

fn rerun_if_changed(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rerun_if_changed(&p);
        } else {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-build-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Cargo.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn declared_features_are_the_keys_of_the_features_table() {
        let path = manifest(
            "features",
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"dingtalk\"]\ndingtalk = []\nserde-both = []\n\n[dependencies]\nserde = \"1\"\n",
        );
        let found = declared_features(&path).unwrap();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["default", "dingtalk", "serde-both"]
        );
    }

    #[test]
    fn a_manifest_without_features_declares_none() {
        let path = manifest("none", "[package]\nname = \"x\"\n");
        assert!(declared_features(&path).unwrap().is_empty());
    }

    #[test]
    fn an_unreadable_manifest_is_an_error_naming_it() {
        let path = manifest("broken", "[features\n");
        let err = declared_features(&path).unwrap_err();
        assert!(err.contains("Cargo.toml"), "{err}");
        let missing = path.with_file_name("Missing.toml");
        assert!(declared_features(&missing)
            .unwrap_err()
            .contains("Missing.toml"));
    }
}
