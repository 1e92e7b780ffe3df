//! `--update`: re-importing a page over the spec written from it keeps the spec's hand edits
//! (Rust names, type names, enum names, rules, limits from prose, error names) and reports
//! exactly what the page changed.

mod import_support;

use codegen::import::update::{update, UpdateError};
use codegen::import::{self, Options};
use import_support::{differences, pages, root, source};

/// The hand-written spec for each vendor page, in page order.
const SPECS: &[&str] = &[
    "dingtalk/industry_studentpool_batchadd.yaml",
    "dingtalk/edu_period_create.yaml",
    "classin/add_course_student_multiple.yaml",
    "dingtalk/corp_extcontact_update.yaml",
];

fn hand(path: &str) -> String {
    std::fs::read_to_string(root().join("spec").join(path)).expect("a hand-written spec")
}

#[test]
fn updating_a_hand_written_spec_from_its_own_page_keeps_every_hand_edit() {
    let mut merged = Vec::new();
    for ((name, page), path) in pages().iter().zip(SPECS) {
        let draft = import::import_page(page, &Options::default()).unwrap();
        assert_eq!(draft.path(), *path, "{name}");
        let updated =
            update(&draft.endpoint, &hand(path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The page changed nothing the spec says: the page and the spec agree.
        let changes: Vec<&String> = updated
            .changes
            .iter()
            .filter(|c| !c.ends_with("is kept"))
            .collect();
        assert!(changes.is_empty(), "{name}: {changes:#?}");
        // Nothing changed, so nothing asks for a review again.
        assert!(
            !updated.text.contains("# review:"),
            "{name}:\n{}",
            updated.text
        );
        // The spec's own header comment is kept, not the importer's.
        assert!(
            updated.text.starts_with(hand(path).lines().next().unwrap()),
            "{name}"
        );
        merged.push(source(path, updated.text));
    }
    let hand_model = codegen::model_from_dir(&root().join("spec")).unwrap();
    let merged_model = codegen::model_from_sources(merged).unwrap_or_else(|e| panic!("{e}"));
    let found = differences(&hand_model, &merged_model);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_changed_page_is_reported_and_applied_over_the_hand_edits() {
    let page = &pages()[1].1;
    let changed = page
        .replace("super_id Number 必须 1233 校区id", "super_id Number 可选 1233 校区id")
        .replace(
            "operator String 必须 12334 钉钉管理员",
            "operator String 必须 12334\n  • 最大长度:64\n  • 钉钉管理员\nremark String 可选 备注内容 备注",
        );
    let draft = import::import_page(&changed, &Options::default()).unwrap();
    let updated = update(&draft.endpoint, &hand("dingtalk/edu_period_create.yaml")).unwrap();
    assert_eq!(
        updated.changes,
        [
            "request.super_id: now optional",
            "request.operator: max_length 64 added",
            "request.remark: added (string)",
        ]
    );
    // The hand edits stay: the prose default, the limit from prose, the enum names.
    for kept in [
        "default: number",
        "min: 0",
        "name: Kindergarten",
        "docs: https://",
    ] {
        assert!(
            updated.text.contains(kept),
            "{kept} lost:\n{}",
            updated.text
        );
    }
    let model = codegen::model_from_sources(vec![source(
        "dingtalk/edu_period_create.yaml",
        updated.text,
    )]);
    assert!(model.is_ok(), "{:?}", model.err());
}

#[test]
fn a_removed_field_and_a_renamed_type_are_reported() {
    let page = &pages()[0].1;
    let without_number = page.replace(
        "    • └ number\n    • String\n    • 可选\n    • 123456\n    • 学员编号\n",
        "",
    );
    assert_ne!(&without_number, page);
    let draft = import::import_page(&without_number, &Options::default()).unwrap();
    let spec =
        hand("dingtalk/industry_studentpool_batchadd.yaml").replace("PatriarchDto", "Contact");
    let updated = update(&draft.endpoint, &spec).unwrap();
    assert_eq!(
        updated.changes,
        ["TrainingStudentDto.number: removed (the page no longer lists it)"]
    );
    // The spec's name for the page's `PatriarchDto` is kept.
    assert!(
        updated.text.contains("type: list<Contact>"),
        "{}",
        updated.text
    );
    assert!(!updated.text.contains("PatriarchDto"), "{}", updated.text);
}

#[test]
fn a_spec_of_another_endpoint_is_refused() {
    let draft = import::import_page(&pages()[0].1, &Options::default()).unwrap();
    let err = update(&draft.endpoint, &hand("dingtalk/edu_period_create.yaml")).unwrap_err();
    assert_eq!(
        err,
        UpdateError::OtherApi {
            old: "dingtalk.oapi.edu.period.create".into(),
            new: "dingtalk.oapi.industry.studentpool.batchadd".into(),
        }
    );
    assert!(matches!(
        update(&draft.endpoint, "api: [unclosed"),
        Err(UpdateError::Unreadable(_))
    ));
}
