//! What the documentation says of the generator holds: spec/README.md lists every rule a spec
//! can break, in the order the generator knows them, and the diagnostic README.md shows is the
//! one a user gets. (The YAML examples themselves are built by the `doc-examples` crate.)

use codegen::diagnostic::Code;
use codegen::Source;

#[test]
fn the_spec_readme_lists_every_rule_code() {
    let text = include_str!("../../spec/README.md");
    let checks = text
        .split("\n## Checks\n")
        .nth(1)
        .expect("spec/README.md has a `## Checks` section");
    let section = checks.split("\n## ").next().unwrap_or(checks);
    let listed: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once("`:").map(|(name, _)| name))
        .collect();
    let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, known, "spec/README.md and `Code::ALL` differ");
}

#[test]
fn every_rule_code_has_its_own_name() {
    let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all);
    assert!(names
        .iter()
        .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
}

/// The text of the first block fenced as `fence` after `after` in `text`.
fn block_after<'t>(text: &'t str, after: &str, fence: &str) -> &'t str {
    let rest = &text[text.find(after).expect("the marker is in the text")..];
    let open = format!("```{fence}\n");
    let start = rest.find(&open).expect("a fenced block follows") + open.len();
    let body = &rest[start..];
    &body[..body.find("```").expect("the block is closed")]
}

#[test]
fn the_readme_shows_the_diagnostic_its_example_gets() {
    let readme = include_str!("../../README.md");
    let spec = block_after(readme, "## Adding an endpoint", "yaml");
    let shown = block_after(readme, "## Adding an endpoint", "text");
    let misspelt = spec.replace("{type: PeriodCode,", "{type: PeriodCod,");
    assert_ne!(misspelt, spec, "the example refers to `PeriodCode`");
    let source = Source {
        display: "spec/dingtalk/edu_period_get.yaml".into(),
        vendor: "dingtalk".into(),
        module: "edu_period_get".into(),
        text: misspelt,
    };
    let report = match codegen::generate_sources(vec![source], codegen::Layout::Tree) {
        Err(codegen::Failure::Specs(d)) => d,
        other => panic!("the misspelt example was not refused: {other:?}"),
    };
    assert_eq!(report.len(), 1, "{report}");
    let expected: Vec<&str> = shown.trim_end().lines().map(str::trim_end).collect();
    let got = report.0[0].to_string();
    let got: Vec<&str> = got.lines().map(str::trim_end).collect();
    // The README indents the block by three spaces inside its list item.
    let expected: Vec<&str> = expected
        .iter()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect();
    assert_eq!(got, expected);
}
