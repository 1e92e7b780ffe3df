//! README.md's import example is what the importer does: the page shown imports into exactly
//! the spec shown (which the `doc-examples` crate also builds), with the summary line shown,
//! and the fix the README describes for its review comment passes every check.

use codegen::import::{self, Options};
use codegen::{Layout, Source};

/// The README's import section.
fn section() -> &'static str {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Importing an endpoint from its documentation page")
        .expect("README.md has the import section");
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

/// The fenced blocks of `text` in order, as (info string, body).
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        let fence = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = fence.strip_prefix("```") {
                    open = Some((info.to_owned(), String::new()));
                }
            }
            Some(_) if fence.starts_with("```") => out.extend(open.take()),
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    out
}

#[test]
fn the_readme_page_imports_into_the_spec_it_shows() {
    let blocks = blocks(section());
    let texts: Vec<&String> = blocks
        .iter()
        .filter(|(i, _)| i == "text")
        .map(|(_, b)| b)
        .collect();
    let yamls: Vec<&String> = blocks
        .iter()
        .filter(|(i, _)| i == "yaml")
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        (texts.len(), yamls.len()),
        (2, 1),
        "the summary, the page and the spec"
    );
    let (summary, page, shown) = (texts[0], texts[1], yamls[0]);

    let draft = import::import_page(page, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let (first, spec) = shown.split_once('\n').unwrap();
    assert_eq!(first, format!("# spec/{}", draft.path()));
    assert_eq!(
        spec, draft.text,
        "the README shows another spec than the import gives"
    );
    assert_eq!(
        summary.trim_end(),
        format!(
            "guardian.txt: wrote spec/{} ({})",
            draft.path(),
            draft.summary()
        )
    );
}

#[test]
fn the_fix_the_readme_describes_passes_every_check() {
    let blocks = blocks(section());
    let page = &blocks.iter().filter(|(i, _)| i == "text").nth(1).unwrap().1;
    let draft = import::import_page(page, &Options::default()).unwrap();
    assert_eq!(draft.summary().reviews, 1);
    let review_start = draft.text.find("      # review:").unwrap();
    let review_end = draft.text[review_start..].find("      relation:").unwrap() + review_start;
    let mut fixed = format!(
        "{}{}",
        &draft.text[..review_start],
        &draft.text[review_end..]
    );
    fixed = fixed.replace(
        "      relation:\n        type: int64",
        "      relation:\n        type: Relation",
    );
    fixed.push_str(
        "\n  Relation:\n    enum:\n      - {value: 1, name: Father}\n      - {value: 2, name: Mother}\n      - {value: 3, name: Other}\n",
    );
    assert!(section().contains("{value: 1, name: Father}"));
    assert!(!fixed
        .lines()
        .any(|l| l.trim_start().starts_with("# review:")));
    let source = Source {
        display: format!("spec/{}", draft.path()),
        vendor: "dingtalk".into(),
        module: draft.endpoint.module.clone(),
        text: fixed,
    };
    let model = codegen::model_from_sources(vec![source.clone()]).unwrap_or_else(|e| panic!("{e}"));
    let module = &model.vendors["dingtalk"].modules["edu_guardian_add"];
    assert!(module.enums.iter().any(|e| e.rust == "Relation"));
    codegen::generate_sources(vec![source], Layout::Tree).unwrap_or_else(|e| panic!("{e}"));
}
