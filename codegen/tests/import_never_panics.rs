//! Whatever text it is given, the importer answers with a spec or an error naming a line of
//! that text; it never panics. Inputs are arbitrary text, and the vendor pages cut, spliced and
//! garbled line by line.

mod import_support;

use codegen::import::{self, Options};
use proptest::prelude::*;

fn answers(text: &str) {
    match import::import_page(text, &Options::default()) {
        Ok(draft) => assert!(draft.text.starts_with('#')),
        Err(e) => {
            let lines = text.lines().count().max(1);
            assert!(
                (1..=lines).contains(&e.line),
                "line {} of {lines}: {e}",
                e.line
            );
        }
    }
}

/// Bits of the pages' own vocabulary, so random text reaches deep into the readers.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("名称 类型 是否必须 示例值 更多限制 描述".to_owned()),
        Just("名称 类型 示例值 描述".to_owned()),
        Just("请求参数".to_owned()),
        Just("响应参数".to_owned()),
        Just("请求示例".to_owned()),
        Just("  • └ name".to_owned()),
        Just("  • String []".to_owned()),
        Just("  • 必须".to_owned()),
        Just("  • 最大长度:".to_owned()),
        Just("key | 必填 | 更多限制 | 说明 |".to_owned()),
        Just("└ 学生1帐号信息 | 是 |".to_owned()),
        Just("https://root_url/partner/api/course.api.php?action=x".to_owned()),
        Just("dingtalk.oapi.a.b (标题)".to_owned()),
        "[a-zA-Z_ |└•:\\[\\]{}\"0-9-]{0,30}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        answers(&text);
    }

    #[test]
    fn page_vocabulary_in_any_order(lines in prop::collection::vec(token(), 0..40)) {
        answers(&lines.join("\n"));
    }

    #[test]
    fn vendor_pages_cut_and_garbled(
        page in 0usize..4,
        cut in 0usize..400,
        drop in prop::collection::vec(0usize..400, 0..6),
        insert in prop::collection::vec((0usize..400, token()), 0..4),
    ) {
        let text = &import_support::pages()[page].1;
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for d in drop {
            if d < lines.len() {
                lines.remove(d);
            }
        }
        for (at, t) in insert {
            let at = at.min(lines.len());
            lines.insert(at, t);
        }
        lines.truncate(cut.max(1));
        answers(&lines.join("\n"));
    }
}

#[test]
fn whole_vendor_pages_import() {
    for (name, text) in import_support::pages() {
        assert!(
            import::import_page(&text, &Options::default()).is_ok(),
            "{name}"
        );
    }
}
