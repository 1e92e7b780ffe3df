//! The README's section "Generating a client in your own crate" shows this crate: its
//! `build.rs` and `src/lib.rs` hold the code the README shows (beside their doc comments and
//! lint settings), and its `Cargo.toml` has the dependencies the README lists.

use std::collections::BTreeSet;
use std::path::Path;

const SECTION: &str = "## Generating a client in your own crate";

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fenced blocks of the README's section, with their info strings.
fn readme_blocks() -> Vec<(String, String)> {
    let readme = read("../../README.md");
    let start = readme.find(SECTION).expect("the README has the section");
    let section = &readme[start + SECTION.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in section.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn block(info: &str) -> String {
    let found: Vec<String> = readme_blocks()
        .into_iter()
        .filter(|(i, _)| i == info)
        .map(|(_, text)| text)
        .collect();
    assert_eq!(found.len(), 1, "one ```{info} block in the section");
    found.into_iter().next().unwrap()
}

/// The lines that are code: no comments, no crate-level attributes, no lines rustdoc hides.
fn code(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| {
            let t = l.trim_start();
            !(t.is_empty() || t.starts_with("//") || t.starts_with("#![") || t.starts_with("# "))
        })
        .collect()
}

#[test]
fn build_rs_is_the_readme_build_script() {
    let shown = block("rust,no_run");
    assert!(shown.contains("codegen::Config::new()"), "{shown}");
    assert_eq!(code(&read("build.rs")), code(&shown));
}

#[test]
fn lib_rs_is_the_readme_lib_rs() {
    let shown = block("rust");
    assert_eq!(code(&read("src/lib.rs")), code(&shown));
    assert_eq!(code(&shown), ["client_runtime::include_client!();"]);
}

#[test]
fn the_dependencies_are_the_readme_ones() {
    let names = |text: &str, table: &str| -> BTreeSet<String> {
        let parsed: toml::Table = text.parse().expect("valid TOML");
        parsed
            .get(table)
            .and_then(|t| t.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    };
    let shown = block("toml");
    let manifest = read("Cargo.toml");
    for table in ["dependencies", "build-dependencies"] {
        assert_eq!(
            names(&manifest, table),
            names(&shown, table),
            "[{table}] of tests/own-crate/Cargo.toml and of the README"
        );
    }
}
