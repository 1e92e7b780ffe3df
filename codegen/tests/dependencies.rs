//! What a build script that depends on `codegen` compiles: the generator's own dependencies,
//! without the command line's (`clap` lives in `codegen-cli`). Read from Cargo's resolve of the
//! workspace, so the test follows every change to a manifest or the lock file.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The platform Cargo builds for here, from `rustc -vV`.
fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_else(|| panic!("no host in `rustc -vV`:\n{text}"))
        .to_owned()
}

/// The names of every package a user of `package` compiles: its normal dependencies and
/// theirs, with the build dependencies of each (dev-dependencies are left out).
fn compiled_with(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .args(["--filter-platform", &host()])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let nodes = metadata["resolve"]["nodes"].as_array().expect("a resolve");
    let name_of = |id: &str| {
        metadata["packages"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["id"] == id))
            .and_then(|p| p["name"].as_str())
            .unwrap_or_else(|| panic!("no package {id}"))
            .to_owned()
    };
    let root = nodes
        .iter()
        .find(|n| name_of(n["id"].as_str().unwrap()) == package)
        .unwrap_or_else(|| panic!("no package {package} in the workspace"));
    let mut seen = BTreeSet::new();
    let mut todo = vec![root];
    while let Some(node) = todo.pop() {
        for dep in node["deps"].as_array().into_iter().flatten() {
            let compiled = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            let id = dep["pkg"].as_str().unwrap();
            if compiled && seen.insert(id.to_owned()) {
                todo.extend(nodes.iter().find(|n| n["id"] == id));
            }
        }
    }
    seen.iter().map(|id| name_of(id)).collect()
}

#[test]
fn a_build_script_using_codegen_compiles_no_command_line_parser() {
    let deps = compiled_with("codegen");
    assert!(
        deps.contains("syn") && deps.contains("prettyplease"),
        "the walk found the generator's own dependencies: {deps:?}"
    );
    let cli: Vec<&String> = deps.iter().filter(|d| d.starts_with("clap")).collect();
    assert!(cli.is_empty(), "codegen pulls in {cli:?}: {deps:?}");
}
