//! The four vendor pages in `tests/import-pages/vendor/` import into specs that pass every
//! check and generate, and that agree with the hand-written specs in `spec/`, compared field by
//! field in the resolved model: wire names, types, required flags, defaults, encodings, every
//! limit, enum values and error codes. The differences that remain are listed below, each with
//! the reason a person's spec differs from the page.

mod import_support;

use std::collections::BTreeSet;

use codegen::import::{self, Options};
use codegen::Layout;
use import_support::{differences, imported, pages, root};

#[test]
fn every_page_imports_into_a_spec_that_passes_check_and_generates() {
    let sources = imported();
    let names: Vec<&str> = sources.iter().map(|s| s.display.as_str()).collect();
    assert_eq!(
        names,
        [
            "spec/dingtalk/industry_studentpool_batchadd.yaml",
            "spec/dingtalk/edu_period_create.yaml",
            "spec/classin/add_course_student_multiple.yaml",
            "spec/dingtalk/corp_extcontact_update.yaml",
        ]
    );
    // `check_dir` on a folder of the four, as `codegen check` runs it.
    let dir = std::env::temp_dir().join(format!("import-vendor-pages-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for s in &sources {
        let file = dir.join(s.display.trim_start_matches("spec/"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &s.text).unwrap();
    }
    let problems = codegen::check_dir(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{problems}");
    let output = codegen::generate_sources(sources, Layout::Tree).unwrap_or_else(|e| panic!("{e}"));
    assert!(output
        .files
        .keys()
        .any(|f| f.contains("add_course_student_multiple")));
}

#[test]
fn importing_is_deterministic() {
    for (name, text) in pages() {
        let a = import::import_page(&text, &Options::default()).unwrap();
        let b = import::import_page(&text, &Options::default()).unwrap();
        assert_eq!(a.text, b.text, "{name}");
        // Line endings and a byte-order mark do not change the result.
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let c = import::import_page(&crlf, &Options::default()).unwrap();
        assert_eq!(a.text, c.text, "{name}");
    }
}

/// What a person's spec says beyond the page, or says differently: each with its reason.
const EXPECTED: &[(&str, &str)] = &[
    // Names chosen by a person: the page gives no English names for these.
    ("spec/classin/add_course_student_multiple.yaml: request.studentJson[]: type name StudentAccount (import: StudentJsonItem)",
     "a person named the item type; the page calls it only \"学生1帐号信息\""),
    ("spec/classin/add_course_student_multiple.yaml: response.data[]: type name StudentAddResult (import: DataItem)",
     "a person named the item type; the page calls it only \"data返回信息1\""),
    ("spec/classin/add_course_student_multiple.yaml: errors: error-code variant names differ",
     "a person named each error code; the page gives only Chinese meanings"),
    // Rules written from prose.
    ("spec/classin/add_course_student_multiple.yaml: request.studentJson: limits {min_items=1, recommended_max_items=30} (import: {})",
     "min_items from error 155 (数据数组不可为空) and the advice in the introduction (不超过30人): prose, not the table"),
    ("spec/classin/add_course_student_multiple.yaml: request: 2 rules (import: 0)",
     "\"旁听人数最多可添加20人\" and \"仅用于当identity为2\" are conditions in words; the import quotes them in review comments"),
    ("spec/classin/add_course_student_multiple.yaml: response.data[].errno: required true (import: false)",
     "the response table has no required column; a person knows every item carries its errno"),
    ("spec/dingtalk/edu_period_create.yaml: request.open_period.grades[].classes: limits {min=0} (import: {})",
     "\"允许填0\" is prose, not a 最小值 line: the page states no limit"),
    ("spec/dingtalk/edu_period_create.yaml: request.open_period.name_mode: default Some(Str(\"number\")) (import: None)",
     "\"默认。\" is a default in prose, not a 默认值 line"),
];

#[test]
fn imports_agree_with_the_hand_written_specs_field_by_field() {
    let hand = codegen::model_from_dir(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let import = codegen::model_from_sources(imported()).unwrap_or_else(|e| panic!("{e}"));
    let found = differences(&hand, &import);
    let expected: BTreeSet<String> = EXPECTED.iter().map(|(d, _)| (*d).to_owned()).collect();
    let unexpected: Vec<&String> = found.difference(&expected).collect();
    let gone: Vec<&String> = expected.difference(&found).collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "differences not listed as expected:\n{}\n\nlisted but no longer found:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        gone.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

#[test]
fn the_comparison_sees_a_changed_limit() {
    // The comparison itself can fail: a limit changed in one import shows up.
    let hand = codegen::model_from_dir(&root().join("spec")).unwrap();
    let mut sources = imported();
    let s = sources
        .iter_mut()
        .find(|s| s.module == "industry_studentpool_batchadd")
        .unwrap();
    s.text = s.text.replace("max_items: 20", "max_items: 21");
    let import = codegen::model_from_sources(sources).unwrap();
    let found = differences(&hand, &import);
    assert!(
        found.contains("spec/dingtalk/industry_studentpool_batchadd.yaml: request.student_list: limits {max_items=20} (import: {max_items=21})"),
        "{found:#?}"
    );
}

/// The mistakes `../shared/api-docs/README.md` lists for the four pages: each draft follows the
/// parameter table and says so in a comment.
#[test]
fn every_known_page_mistake_is_noted_in_a_comment() {
    let expected: [&[&str]; 4] = [
        &[
            "`result` is a list, but the JSON example shows",
            "calls `list4.setPatriarchs` (line 87) on a variable it never declares",
        ],
        &["`grade` is `string` in the request table and `int64` in the response table"],
        &[
            "lists the item fields of `studentJson` again under `······`",
            "`string` as the response table types\n      #         `customColumn`, though the sample request sends `123`",
        ],
        &["passes `\"\"023420013644\"\"` for `share_user_ids`, which is not valid Java"],
    ];
    for ((name, text), notes) in pages().iter().zip(expected) {
        let draft = import::import_page(text, &Options::default()).unwrap();
        // Comments wrap: compare with the line breaks of comments taken out.
        let flat = draft.text.replace("\n#   ", " ");
        for note in notes {
            assert!(
                flat.contains(note) || draft.text.contains(note),
                "{name}: no comment says {note:?}:\n{}",
                draft.text
            );
        }
    }
}
