//! The `codegen` command as the README runs it: `check` reports problems and fails on them,
//! `generate` writes the module tree and `generate --check` tells whether it is up to date.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn codegen(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("codegen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder holding `spec/demo/ping.yaml` with `spec`.
fn project(name: &str, spec: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/demo")).unwrap();
    std::fs::write(dir.join("spec/demo/ping.yaml"), spec).unwrap();
    dir
}

const PING: &str = "api: demo.ping\ntitle: ping\nprotocol: dingtalk-oapi\n\
    http: {method: POST, path: /ping}\nrequest:\n  fields: {}\n\
    response:\n  fields:\n    ok: {type: bool}\n";

#[test]
fn check_passes_the_project_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = codegen(&["check"], &root);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no problems found"));
}

#[test]
fn check_fails_with_every_problem_named() {
    let dir = project("cli-check-bad", &PING.replace("bool", "boolean"));
    let out = codegen(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ping.yaml") && stderr.contains("boolean"),
        "{stderr}"
    );
}

#[test]
fn generate_writes_the_tree_and_check_finds_it_stale_after_an_edit() {
    let dir = project("cli-generate", PING);
    let out = codegen(&["generate"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("total: 1 endpoints"),
        "{}",
        text(&out.stdout)
    );
    let module = dir.join("target/generated/demo/ping.rs");
    assert!(module.is_file());

    let fresh = codegen(&["generate", "--check"], &dir);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));

    std::fs::write(
        dir.join("spec/demo/ping.yaml"),
        PING.replace("title: ping", "title: pong"),
    )
    .unwrap();
    let stale = codegen(&["generate", "--check"], &dir);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("out of date"),
        "{}",
        text(&stale.stderr)
    );
}
