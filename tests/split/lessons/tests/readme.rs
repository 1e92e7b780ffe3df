//! The README's section "A large API over several crates" shows these crates: its build scripts
//! are those of `split-types` and of this part (beside comments), and its layout names these
//! folders.

use std::path::Path;

const SECTION: &str = "## A large API over several crates";

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn section() -> String {
    let readme = read("../../../README.md");
    let start = readme.find(SECTION).expect("the README has the section");
    let section = &readme[start + SECTION.len()..];
    section[..section.find("\n## ").unwrap_or(section.len())].to_owned()
}

/// The fenced blocks of the section with info string `info`, in order.
fn blocks(info: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in section().lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(i)) => open = Some((i.to_owned(), String::new())),
            (Some(_), Some(_)) => {
                let (i, text) = open.take().unwrap();
                if i == info {
                    found.push(text);
                }
            }
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    found
}

/// The lines that are code: no blank lines and no comments.
fn code(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !(l.trim().is_empty() || l.trim_start().starts_with("//")))
        .collect()
}

#[test]
fn the_build_scripts_are_the_readme_ones() {
    let shown = blocks("rust,no_run");
    assert_eq!(shown.len(), 2, "the shared crate's build.rs, then a part's");
    assert_eq!(code(&shown[0]), code(&read("../types/build.rs")));
    assert_eq!(code(&shown[1]), code(&read("build.rs")));
}

#[test]
fn the_layout_names_the_example_folders() {
    let layout = blocks("text").join("");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // The spec files by their path under `spec/`, the crates by their folder's line.
    for (file, shown) in [
        (
            "spec/types/dingtalk/common.yaml",
            "types/dingtalk/common.yaml",
        ),
        (
            "spec/courses/dingtalk/course_get.yaml",
            "courses/dingtalk/course_get.yaml",
        ),
        (
            "spec/lessons/dingtalk/lesson_schedule.yaml",
            "lessons/dingtalk/lesson_schedule.yaml",
        ),
        ("types/build.rs", "── types/ "),
        ("courses/build.rs", "── courses/ "),
        ("lessons/build.rs", "── lessons/ "),
    ] {
        assert!(root.join(file).is_file(), "{file} is in tests/split");
        assert!(
            layout.contains(shown),
            "the layout shows {shown}:\n{layout}"
        );
    }
}
