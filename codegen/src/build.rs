//! The entry point for a build script: generate into `OUT_DIR`, tell Cargo to rerun when any
//! spec changes, and fail the build with every diagnostic when a spec is wrong.
//!
//! ```no_run
//! // build.rs of the crate that holds the generated client
//! codegen::build::compile("../spec");
//! ```
//! and in its `lib.rs`: `include!(concat!(env!("OUT_DIR"), "/lib.rs"));`
//!
//! The generated types derive serde's other direction (`Deserialize` on request types,
//! `Serialize` on response types) only with the crate's `serde-both` feature
//! ([`SERDE_BOTH_FEATURE`](crate::emit::SERDE_BOTH_FEATURE)); declare it in the crate's
//! `[features]` to offer it. [`compile`] tells rustc the name is expected either way, so a crate
//! that does not declare it still builds warning-free.

use std::path::{Path, PathBuf};

use crate::emit::SERDE_BOTH_FEATURE;
use crate::{generate_dir, write, Failure, Layout};

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
    rerun_if_changed(spec_dir);
    println!("cargo::rustc-check-cfg=cfg(feature, values(\"{SERDE_BOTH_FEATURE}\"))");
    let output = generate_dir(spec_dir, Layout::OutDir).map_err(|f| match f {
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
    Ok(())
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
