//! The catalogue of spec changes: each case in `spec-diffs/` holds the specs before (`old/`)
//! and after (`new/`) one kind of change, and `expected.txt`, the compatibility report a user
//! sees, with each change's semver level and wire effect. Every case runs, and every case whose
//! report differs is named at the end. `SPEC_DIFF_BLESS=1` writes the reports instead, to be
//! read before they are kept.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::{self, ChangeKind, Level, Report};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec-diffs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("spec-diffs folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn report(case: &Path) -> Report {
    let model = |side: &str| match codegen::model_from_dir(&case.join(side)) {
        Ok(m) => m,
        Err(e) => panic!("{}/{side}: {e}", case.display()),
    };
    diff::diff(&model("old"), &model("new"))
}

#[test]
fn every_case_reports_its_expected_classification() {
    let bless = std::env::var_os("SPEC_DIFF_BLESS").is_some();
    let mut failed = Vec::new();
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = std::panic::catch_unwind(|| {
            let actual = format!("{}\n", report(&case));
            let expected_file = case.join("expected.txt");
            if bless {
                std::fs::write(&expected_file, &actual).expect("write expected.txt");
                return;
            }
            let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
            assert_eq!(
                actual, expected,
                "{name}: the report differs from expected.txt"
            );
        });
        if outcome.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{} cases differ: {}",
        failed.len(),
        failed.join(", ")
    );
}

#[test]
fn the_catalogue_covers_every_kind_of_change() {
    let mut seen = BTreeSet::new();
    for case in cases() {
        seen.extend(report(&case).changes.iter().map(|c| c.kind));
    }
    let missing: Vec<&ChangeKind> = ChangeKind::ALL
        .iter()
        .filter(|k| !seen.contains(*k))
        .collect();
    assert!(missing.is_empty(), "no case shows {missing:?}");
    assert!(seen.len() >= 25, "only {} kinds", seen.len());
}

#[test]
fn every_change_names_both_sides_with_a_location() {
    for case in cases() {
        for c in report(&case).changes {
            // A file on one side only has no place on the other.
            let one_file = case.join("old").join(module_file(&c.module)).is_file()
                != case.join("new").join(module_file(&c.module)).is_file();
            assert!(
                c.old.is_some() || one_file,
                "{}: {c} lacks its old side",
                case.display()
            );
            assert!(
                c.new.is_some() || one_file,
                "{}: {c} lacks its new side",
                case.display()
            );
            assert!(c.old.is_some() || c.new.is_some(), "{c}");
            for (loc, side) in [(&c.old, "old/"), (&c.new, "new/")] {
                if let Some(loc) = loc {
                    assert!(
                        loc.file.starts_with(side) && loc.line >= 1 && loc.col >= 1,
                        "{c}"
                    );
                }
            }
            assert!(c.path.starts_with(&c.module), "{c}");
        }
    }
}

/// `vendor::module` as `vendor/module.yaml`.
fn module_file(module: &str) -> String {
    format!("{}.yaml", module.replace("::", "/"))
}

#[test]
fn identical_specs_have_no_changes() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::model_from_dir(&spec).expect("the project's specs");
    let report = diff::diff(&model, &model);
    assert!(report.changes.is_empty(), "{report}");
    assert_eq!(report.level(), None);
    assert_eq!(report.to_string(), "no changes");
}

/// The acceptance: the project's specs with one limit tightened, one enum value added
/// and one field removed.
#[test]
fn a_limit_an_enum_value_and_a_field_are_reported_with_their_classification() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let old = codegen::model_from_dir(&spec).expect("the project's specs");
    let mut sources = Vec::new();
    for vendor in ["classin", "dingtalk"] {
        for file in std::fs::read_dir(spec.join(vendor)).unwrap() {
            let file = file.unwrap().path();
            let module = file.file_stem().unwrap().to_string_lossy().into_owned();
            let mut text = std::fs::read_to_string(&file).unwrap();
            if module == "industry_studentpool_batchadd" {
                text = text.replacen("max_items: 20", "max_items: 10", 1);
            }
            if module == "edu_period_create" {
                text = text
                    .replacen(
                        "        name: HighSchool\n        description: 高中\n",
                        "        name: HighSchool\n        description: 高中\n      - value: 大学\n        name: University\n",
                        1,
                    )
                    .replacen(
                        "      start_year:\n        type: string\n        required: true\n        example: \"2019\"\n        description: 入学年份\n",
                        "",
                        1,
                    );
            }
            sources.push(codegen::Source {
                display: format!("spec/{vendor}/{module}.yaml"),
                vendor: vendor.to_owned(),
                module,
                text,
            });
        }
    }
    let new = codegen::model_from_sources(sources).expect("the edited specs");
    let report = diff::diff(&old, &new);
    let found: Vec<(ChangeKind, &str, Level)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str(), c.rust))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                ChangeKind::FieldRemoved,
                "dingtalk::edu_period_create::Grades.start_year",
                Level::Major
            ),
            (
                ChangeKind::EnumValueAdded,
                "dingtalk::edu_period_create::Step::University",
                Level::Minor
            ),
            (
                ChangeKind::LimitTightened,
                "dingtalk::industry_studentpool_batchadd::IndustryStudentpoolBatchaddRequest.student_list",
                Level::Patch
            ),
        ],
        "{report}"
    );
    assert_eq!(
        report.changes[2].wire,
        vec![diff::WireEffect::RequestsMayBeRefused]
    );
    assert_eq!(report.level(), Some(Level::Major));
    assert!(report.reaches(Level::Major));
}

#[test]
fn the_readme_table_classifies_every_kind() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## What a spec change means\n")
        .nth(1)
        .expect("README.md has a `## What a spec change means` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let missing: Vec<String> = ChangeKind::ALL
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .filter(|name| !section.contains(&format!("| `{name}` |")))
        .collect();
    assert!(missing.is_empty(), "the README's table lacks {missing:?}");
}
