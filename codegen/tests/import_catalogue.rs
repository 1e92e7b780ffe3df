//! The importer over a catalogue of page fragments (`tests/import-pages/cases/`): one per
//! layout variation the vendors' pages show, and malformed pages. Each case's output, the spec
//! or the error, is a snapshot a person has read. A case named `bad_*` must be refused with
//! the line it names; every other case must give a spec that passes every check and
//! generates.

use codegen::import::{self, Options};
use codegen::{Layout, Source};

#[test]
fn catalogue() {
    insta::glob!("../../tests/import-pages/cases", "*.txt", |path| {
        let text = std::fs::read_to_string(path).expect("a case");
        let case = path.file_stem().unwrap().to_string_lossy().into_owned();
        match import::import_page(&text, &Options::default()) {
            Ok(draft) => {
                assert!(
                    !case.starts_with("bad_"),
                    "{case} was imported:\n{}",
                    draft.text
                );
                let source = Source {
                    display: format!("spec/{}", draft.path()),
                    vendor: draft.endpoint.vendor.clone(),
                    module: draft.endpoint.module.clone(),
                    text: draft.text.clone(),
                };
                if let Err(e) = codegen::generate_sources(vec![source], Layout::Tree) {
                    panic!(
                        "{case}: the imported spec does not generate:\n{e}\n\n{}",
                        draft.text
                    );
                }
                insta::assert_snapshot!(format!("{}\n---\n{}", draft.path(), draft.text));
            }
            Err(e) => {
                assert!(case.starts_with("bad_"), "{case} was refused: {e}");
                let lines = text.lines().count().max(1);
                assert!(
                    (1..=lines).contains(&e.line),
                    "{case}: line {} is not a line of the page",
                    e.line
                );
                insta::assert_snapshot!(e.to_string());
            }
        }
    });
}
