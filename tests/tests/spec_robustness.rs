//! Hostile input never breaks the generator: random text, random edits of the project's specs,
//! random YAML trees and random specs built from the format's own keys and its most awkward
//! names and values are either generated or rejected, and every rejection names the file, line
//! and column. Case counts are bounded so the suite runs on every `cargo test`.

use std::path::Path;
use std::sync::OnceLock;

use codegen::{Failure, Layout, Source};
use proptest::prelude::*;
use proptest::sample::{select, Index};

/// The project's specs, whatever they are.
fn project_sources() -> &'static [Source] {
    static SOURCES: OnceLock<Vec<Source>> = OnceLock::new();
    SOURCES.get_or_init(|| sources_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")))
}

/// Every spec under `dir`, which must read cleanly and hold at least one.
fn sources_in(dir: &Path) -> Vec<Source> {
    let mut diags = codegen::Diagnostics::default();
    let sources = codegen::load::read_dir(dir, &mut diags);
    assert!(diags.is_empty(), "the specs do not read: {diags}");
    assert!(!sources.is_empty(), "no spec file under {}", dir.display());
    sources
}

/// A user who adds a spec keeps these tests green: nothing here counts the project's specs.
#[test]
fn a_spec_added_to_the_project_specs_is_taken_as_it_is() {
    let dir = std::env::temp_dir().join(format!("spec-robustness-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for s in project_sources() {
        let path = dir.join(&s.vendor).join(format!("{}.yaml", s.module));
        std::fs::create_dir_all(path.parent().expect("a vendor folder")).expect("temp folder");
        std::fs::write(&path, &s.text).expect("spec copied");
    }
    let added = "api: dingtalk.oapi.edu.period.get\ntitle: 获取学段\nprotocol: dingtalk-oapi\n\
                 http: {method: POST, path: /topapi/edu/period/get}\n\
                 request: {fields: {period_id: {type: int64, required: true}}}\n\
                 response: {fields: {name: {type: string}}}\n";
    std::fs::write(dir.join("dingtalk/edu_period_get.yaml"), added).expect("spec added");
    let sources = sources_in(&dir);
    assert_eq!(sources.len(), project_sources().len() + 1);
    let out = codegen::generate_sources(sources, Layout::Tree).expect("the specs generate");
    assert!(out.files.contains_key("dingtalk/edu_period_get.rs"));
    std::fs::remove_dir_all(&dir).expect("temp folder removed");
}

fn source(vendor: &str, module: &str, text: String) -> Source {
    Source {
        display: format!("spec/{vendor}/{module}.yaml"),
        vendor: vendor.to_owned(),
        module: module.to_owned(),
        text,
    }
}

/// Generates `sources`: success, or a rejection whose every problem is located in one of them.
/// A panic fails the case as well (proptest catches it and shrinks the input).
fn generates_or_locates(sources: Vec<Source>) -> Result<(), TestCaseError> {
    let files: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
    match codegen::generate_sources(sources, Layout::Tree) {
        Ok(_) => Ok(()),
        Err(Failure::Specs(diags)) => {
            prop_assert!(!diags.is_empty());
            for d in &diags.0 {
                prop_assert!(d.pos.line >= 1 && d.pos.col >= 1, "no position: {}", d);
                prop_assert!(files.contains(&d.file), "unknown file: {}", d);
                prop_assert!(!d.message.is_empty());
                let shown = d.to_string();
                let location = format!("{}:{}:{}", d.file, d.pos.line, d.pos.col);
                prop_assert!(shown.contains(&location), "not shown: {}", shown);
            }
            Ok(())
        }
        Err(Failure::Emit(e)) => Err(TestCaseError::fail(format!("generator bug: {e}"))),
    }
}

const KEYS: &[&str] = &[
    "api",
    "title",
    "description",
    "docs",
    "protocol",
    "http",
    "method",
    "path",
    "action",
    "name",
    "notes",
    "request",
    "response",
    "types",
    "errors",
    "fields",
    "rules",
    "item_result",
    "type",
    "rust_name",
    "required",
    "default",
    "example",
    "min_items",
    "max_items",
    "recommended_max_items",
    "min_length",
    "max_length",
    "length",
    "truncated_beyond",
    "min",
    "max",
    "pattern",
    "encoding",
    "enum",
    "value",
    "when",
    "check",
    "field",
    "equals",
    "not_equals",
    "absent",
    "present",
    "severity",
    "code",
    "message",
    "meaning",
    "kind",
];

/// Scalars written as YAML: every type, protocol and enum word of the format, and the values
/// that break naive readers (huge, non-finite, empty, non-ASCII, keywords, anchors, tags).
const SCALARS: &[&str] = &[
    "string",
    "int32",
    "int64",
    "number",
    "bool",
    "list<string>",
    "list<Item>",
    "Item",
    "Mode",
    "list<list<int64>>",
    "list<",
    "\"\"",
    "dingtalk-oapi",
    "dingtalk-top",
    "classin-v1",
    "POST",
    "GET",
    "/topapi/x",
    "json",
    "comma",
    "plain",
    "error",
    "warning",
    "success",
    "retryable",
    "partial_success",
    "failure",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "2",
    "20",
    "9223372036854775807",
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "0.5",
    ".nan",
    ".inf",
    "-.inf",
    "~",
    "null",
    "学员",
    "type",
    "self",
    "Self",
    "2fa",
    "a-b",
    "deptId",
    "dept_id",
    "Unknown",
    "[]",
    "{}",
    "\"[0-9]+\"",
    "\"(\"",
    "&a x",
    "*a",
    "!!binary aGk=",
    "\"\\u0000\"",
    "'it''s'",
    "|\n  block\n",
    ">-\n  folded\n",
];

const PUNCTUATION: &[&str] = &[
    ":",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "#",
    "---",
    "...",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "'",
    "\"",
    "\t",
    "\r\n",
    "%YAML 1.2\n",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        select(KEYS).prop_map(str::to_owned),
        select(SCALARS).prop_map(str::to_owned),
        select(PUNCTUATION).prop_map(str::to_owned),
        "[a-zA-Z0-9_]{1,6}",
    ]
}

/// One edit of a spec file's lines.
#[derive(Debug, Clone)]
enum Edit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Indent(Index, usize),
    Dedent(Index, usize),
    InsertKey(Index, usize, &'static str, &'static str),
    ReplaceValue(Index, &'static str),
    TruncateLine(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Delete),
        any::<Index>().prop_map(Edit::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<Index>(), 1..4usize).prop_map(|(a, n)| Edit::Indent(a, n)),
        (any::<Index>(), 1..4usize).prop_map(|(a, n)| Edit::Dedent(a, n)),
        (any::<Index>(), 0..8usize, select(KEYS), select(SCALARS))
            .prop_map(|(a, n, k, v)| Edit::InsertKey(a, n, k, v)),
        (any::<Index>(), select(SCALARS)).prop_map(|(a, v)| Edit::ReplaceValue(a, v)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::TruncateLine(a, b)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for e in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match e {
            Edit::Delete(i) => {
                lines.remove(i.index(n));
            }
            Edit::Duplicate(i) => {
                let l = lines[i.index(n)].clone();
                lines.insert(i.index(n), l);
            }
            Edit::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            Edit::Indent(i, k) => lines[i.index(n)].insert_str(0, &" ".repeat(*k)),
            Edit::Dedent(i, k) => {
                let l = &mut lines[i.index(n)];
                let spaces = l.len() - l.trim_start_matches(' ').len();
                l.drain(..spaces.min(*k));
            }
            Edit::InsertKey(i, indent, k, v) => {
                lines.insert(i.index(n), format!("{}{k}: {v}", " ".repeat(*indent)));
            }
            Edit::ReplaceValue(i, v) => {
                let l = &mut lines[i.index(n)];
                if let Some(colon) = l.find(": ") {
                    l.truncate(colon + 2);
                    l.push_str(v);
                }
            }
            Edit::TruncateLine(i, at) => {
                let l = &mut lines[i.index(n)];
                let cut = l
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(at.index(l.chars().count().max(1)))
                    .unwrap_or(l.len());
                l.truncate(cut);
            }
        }
    }
    lines.join("\n") + "\n"
}

/// A random YAML tree whose keys are the format's own, with awkward scalars at its leaves.
fn yaml_tree() -> impl Strategy<Value = serde_yaml::Value> {
    let leaf = prop_oneof![
        select(SCALARS).prop_map(|s| serde_yaml::from_str(s).unwrap_or(serde_yaml::Value::Null)),
        any::<i64>().prop_map(serde_yaml::Value::from),
        any::<f64>().prop_map(serde_yaml::Value::from),
        "\\PC{0,40}".prop_map(serde_yaml::Value::from),
        (0..20_000usize).prop_map(|n| serde_yaml::Value::from("描述".repeat(n))),
    ];
    leaf.prop_recursive(6, 256, 12, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..12).prop_map(serde_yaml::Value::Sequence),
            prop::collection::vec((select(KEYS), inner), 0..12).prop_map(|entries| {
                serde_yaml::Value::Mapping(
                    entries
                        .into_iter()
                        .map(|(k, v)| (serde_yaml::Value::from(k), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// Field names: the ones that collide with Rust keywords, prelude names and generated code, and
/// now and then one that cannot be a Rust name at all.
fn field_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        40 => select(&[
            "type", "ref", "match", "self", "crate", "async", "try", "2fa", "a-b", "Result",
            "Option", "String", "client", "validate", "deptId", "name", "uid", "studentJson",
            "path", "out", "v", "p", "i", "item", "list", "new", "None", "_1", "x__y",
            "Unknown", "SID", "super", "fn", "gen", "Default", "Vec", "errno", "error",
        ][..]),
        1 => select(&["学员", "_", "__", "", "Self", "dept_id", "r#x", "1", "a.b", "a b"][..]),
    ]
}

/// A field type, the limits that fit it with sound bounds, and a default that fits it.
struct Kind {
    ty: &'static str,
    limits: &'static [(&'static str, &'static str)],
    default: Option<&'static str>,
}

const KINDS: &[Kind] = &[
    Kind {
        ty: "string",
        limits: &[
            ("min_length", "1"),
            ("max_length", "24"),
            ("truncated_beyond", "50"),
            ("pattern", "\"[0-9]+|a\\\\.b\""),
        ],
        default: Some("\"x \\\" y\""),
    },
    Kind {
        ty: "string",
        limits: &[("length", "32")],
        default: None,
    },
    Kind {
        ty: "int32",
        limits: &[("min", "-5"), ("max", "100")],
        default: Some("1"),
    },
    Kind {
        ty: "int64",
        limits: &[("min", "0"), ("max", "9007199254740993")],
        default: Some("-9223372036854775808"),
    },
    Kind {
        ty: "number",
        limits: &[("min", "0.5"), ("max", "1e300")],
        default: Some("1.5"),
    },
    Kind {
        ty: "bool",
        limits: &[],
        default: Some("false"),
    },
    Kind {
        ty: "list<string>",
        limits: &[
            ("min_items", "1"),
            ("max_items", "20"),
            ("recommended_max_items", "10"),
            ("max_length", "8"),
        ],
        default: None,
    },
    Kind {
        ty: "list<int64>",
        limits: &[("max_items", "18446744073709551615"), ("min", "1")],
        default: None,
    },
    Kind {
        ty: "list<number>",
        limits: &[("max", "0.25")],
        default: None,
    },
    Kind {
        ty: "list<Item>",
        limits: &[("max_items", "3")],
        default: None,
    },
    Kind {
        ty: "Item",
        limits: &[],
        default: None,
    },
    Kind {
        ty: "Mode",
        limits: &[],
        default: Some("active"),
    },
    Kind {
        ty: "Level",
        limits: &[],
        default: Some("1"),
    },
    Kind {
        ty: "list<Mode>",
        limits: &[("max_items", "2")],
        default: None,
    },
    Kind {
        ty: "list<list<string>>",
        limits: &[("max_items", "2")],
        default: None,
    },
];

/// Keys set to values that must be refused (or, for `rust_name`, that settle a collision).
const HOSTILE: &[(&str, &str)] = &[
    ("min", ".nan"),
    ("max", ".inf"),
    ("min", "-.inf"),
    ("max", "1e400"),
    ("default", ".nan"),
    ("default", "[]"),
    ("min_length", "-1"),
    ("max_items", "18446744073709551616"),
    ("type", "Missing"),
    ("type", "list<"),
    ("type", "\"list<Item>>\""),
    ("pattern", "\"(\""),
    ("rust_name", "Self"),
    ("rust_name", "a__b"),
    ("rust_name", "_"),
    ("rust_name", "deptId"),
    ("rust_name", "self"),
    ("rust_name", "dept_id_2"),
    ("encoding", "comma"),
    ("encoding", "json"),
    ("example", "[[[[1]]]]"),
    ("description", "\"`<b>[x]` */ \\\\ \\\"\""),
];

#[derive(Debug, Clone)]
struct FieldDraw {
    name: &'static str,
    kind: usize,
    required: bool,
    limits: Vec<Index>,
    default: bool,
    hostile: Option<(&'static str, &'static str)>,
}

fn field_draw() -> impl Strategy<Value = FieldDraw> {
    (
        field_name(),
        0..KINDS.len(),
        any::<bool>(),
        prop::collection::vec(any::<Index>(), 0..3),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.15, select(HOSTILE)),
    )
        .prop_map(
            |(name, kind, required, limits, default, hostile)| FieldDraw {
                name,
                kind,
                required,
                limits,
                default,
                hostile,
            },
        )
}

/// The fields as a YAML flow mapping (names written once), and the type of each.
fn write_fields(
    draws: &[FieldDraw],
    form: bool,
    in_item: bool,
) -> (String, Vec<(&'static str, &'static str)>) {
    let mut written = Vec::new();
    let mut out = Vec::new();
    for d in draws {
        if written.iter().any(|(n, _)| *n == d.name) {
            continue;
        }
        let kind = &KINDS[d.kind];
        // An item holding itself other than in a list is refused; see the bad-spec catalogue.
        let ty = if in_item && kind.ty == "Item" {
            "list<Item>"
        } else {
            kind.ty
        };
        let mut entries: Vec<(&str, String)> = vec![("type", q(ty))];
        if d.required {
            entries.push(("required", "true".into()));
        }
        if !kind.limits.is_empty() {
            for l in &d.limits {
                let (k, v) = kind.limits[l.index(kind.limits.len())];
                if !entries.iter().any(|(e, _)| *e == k) {
                    entries.push((k, v.to_owned()));
                }
            }
        }
        if let (true, Some(v)) = (d.default, kind.default) {
            entries.push(("default", v.to_owned()));
        }
        if form && !in_item && matches!(ty, "Item" | "list<Item>") {
            entries.push(("encoding", "json".into()));
        }
        if let Some((k, v)) = d.hostile {
            entries.retain(|(e, _)| *e != k);
            entries.push((k, v.to_owned()));
        }
        let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        out.push(format!("{}: {{{}}}", q(d.name), body.join(", ")));
        written.push((d.name, ty));
    }
    (format!("{{{}}}", out.join(", ")), written)
}

const VARIANT_NAMES: &[&str] = &[
    "A",
    "B",
    "Self",
    "SelfValue",
    "None",
    "Some",
    "Ok",
    "Default",
    "V2",
    "2x",
    "Type",
    "Unknown",
];
const MODULES: &[&str] = &[
    "thing",
    "other",
    "new",
    "new_endpoint",
    "type",
    "call",
    "a-b",
    "self",
    "2x",
    "mod",
    "lib",
    "学员",
];

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[derive(Debug, Clone)]
struct SpecDraw {
    endpoint: bool,
    route: usize,
    name: Option<&'static str>,
    request: Vec<FieldDraw>,
    response: Vec<FieldDraw>,
    item: Vec<FieldDraw>,
    item_result: bool,
    modes: Vec<&'static str>,
    levels: Vec<(i64, &'static str)>,
    rules: Vec<(Index, Index, bool)>,
    errors: Vec<(i64, Option<&'static str>)>,
}

/// Protocol, route, and whether the body is a form.
const ROUTES: &[(&str, &str, bool)] = &[
    ("dingtalk-oapi", "{method: POST, path: /topapi/x}", false),
    ("dingtalk-oapi", "{method: GET, path: /topapi/y}", false),
    ("dingtalk-top", "{method: POST}", true),
    (
        "classin-v1",
        "{method: POST, path: /partner/api/course.api.php, action: go}",
        true,
    ),
    ("dingtalk-top", "{method: GET, path: /x}", true),
    ("classin-v1", "{method: POST}", true),
];

fn spec_draw() -> impl Strategy<Value = SpecDraw> {
    (
        (
            prop::bool::weighted(0.85),
            prop_oneof![12 => 0..4usize, 1 => 4..ROUTES.len()],
            prop::option::weighted(0.2, select(&["Thing", "Self", "Result", "2x", "new", "Client", "学员"][..])),
            prop::collection::vec(field_draw(), 0..7),
            prop::collection::vec(field_draw(), 0..4),
            prop::collection::vec(field_draw(), 0..4),
            prop::bool::weighted(0.2),
        ),
        (
            prop::collection::vec(
                prop_oneof![
                    20 => select(&["x", "b", "self", "type", "2fa", "a-b", "None", "s p a c e", "ok", "Default"][..]),
                    1 => select(&["Unknown", "学员", "SelfValue", "Self", ""][..]),
                ],
                0..4,
            ),
            prop::collection::vec((-3i64..3, select(VARIANT_NAMES)), 0..3),
            prop::collection::vec((any::<Index>(), any::<Index>(), any::<bool>()), 0..3),
            prop::collection::vec((prop_oneof![Just(0i64), Just(1), Just(-1), Just(100), Just(i64::MIN), Just(i64::MAX)], prop::option::of(select(VARIANT_NAMES))), 0..4),
        ),
    )
        .prop_map(|((endpoint, route, name, request, response, item, item_result), (modes, levels, rules, errors))| SpecDraw {
            endpoint, route, name, request, response, item, item_result, modes, levels, rules, errors,
        })
}

/// An endpoint (or a types-only file) mostly as a careful author would write it, with the
/// drawn awkward names and the occasional hostile value. A second file of the same vendor
/// (`shares_types`) refers to the first one's types instead of defining its own.
fn write_spec(d: &SpecDraw, api: &str, shares_types: bool) -> String {
    let (protocol, http, form) = ROUTES[d.route];
    let mut s = String::new();
    let mut item_fields = d.item.clone();
    let item_result = d.item_result && d.endpoint && !shares_types;
    if item_result {
        for (name, kind) in [("errno", 3), ("error", 0)] {
            item_fields.insert(
                0,
                FieldDraw {
                    name,
                    kind,
                    required: true,
                    limits: Vec::new(),
                    default: false,
                    hostile: None,
                },
            );
        }
    }
    if d.endpoint {
        s.push_str(&format!(
            "api: {api}\ntitle: 标题\nprotocol: {protocol}\nhttp: {http}\n"
        ));
        if let Some(n) = d.name {
            s.push_str(&format!("name: {}\n", q(n)));
        }
        let (request, written) = write_fields(&d.request, form, false);
        s.push_str(&format!("request:\n  fields: {request}\n"));
        let rules: Vec<String> = d
            .rules
            .iter()
            .filter(|_| !written.is_empty())
            .map(|(when, target, absent)| {
                let (w, wty) = written[when.index(written.len())];
                let (t, tty) = written[target.index(written.len())];
                let value = match wty {
                    "Mode" => "active",
                    "Level" => "1",
                    "bool" => "true",
                    "string" => "\"a\"",
                    _ => "1",
                };
                let check = if tty.starts_with("list<") && !absent {
                    "max_items: 2".to_owned()
                } else if *absent {
                    "absent: true".to_owned()
                } else {
                    "present: true".to_owned()
                };
                format!("{{when: {{field: {}, equals: {value}}}, check: {{field: {}, {check}}}, description: 规则}}", q(w), q(t))
            })
            .collect();
        s.push_str(&format!("  rules: [{}]\n", rules.join(", ")));
        let (response, _) = write_fields(&d.response, false, false);
        s.push_str(&format!("response:\n  fields: {response}\n"));
    }
    if shares_types {
        return s;
    }
    let (item, _) = write_fields(&item_fields, false, true);
    s.push_str(&format!("types:\n  Item:\n    fields: {item}\n"));
    if item_result {
        s.push_str("    item_result: {code: errno, message: error}\n");
    }
    let mut modes = vec!["{value: active}".to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    modes.extend(
        d.modes
            .iter()
            .filter(|m| seen.insert(**m))
            .map(|m| format!("{{value: {}}}", q(m))),
    );
    s.push_str(&format!("  Mode: {{enum: [{}]}}\n", modes.join(", ")));
    let mut levels = vec!["{value: 1, name: One}".to_owned()];
    let (mut values, mut names) = (vec![1], vec!["One"]);
    for (v, n) in &d.levels {
        if !values.contains(v) && !names.contains(n) {
            values.push(*v);
            names.push(n);
            levels.push(format!("{{value: {v}, name: {}}}", q(n)));
        }
    }
    s.push_str(&format!("  Level: {{enum: [{}]}}\n", levels.join(", ")));
    if d.endpoint && (!d.errors.is_empty() || item_result) {
        s.push_str("errors:\n  - {code: 0, name: Success, kind: success, meaning: 成功}\n");
        let (mut codes, mut names) = (vec![0], vec!["Success"]);
        for (code, name) in &d.errors {
            if codes.contains(code) || name.is_some_and(|n| names.contains(&n)) {
                continue;
            }
            codes.push(*code);
            names.extend(*name);
            match name {
                Some(n) => s.push_str(&format!(
                    "  - {{code: {code}, name: {}, kind: retryable, meaning: 含义}}\n",
                    q(n)
                )),
                None => s.push_str(&format!(
                    "  - {{code: {code}, meaning: \"含义 \\\" ` */\"}}\n"
                )),
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_is_generated_or_located(text in "\\PC{0,400}") {
        generates_or_locates(vec![source("demo", "thing", text)])?;
    }

    #[test]
    fn random_yaml_tokens_are_generated_or_located(tokens in prop::collection::vec(token(), 0..160)) {
        generates_or_locates(vec![source("demo", "thing", tokens.concat())])?;
    }

    #[test]
    fn random_specs_are_generated_or_located(
        first in spec_draw(),
        second in prop::option::weighted(0.3, (spec_draw(), select(MODULES), any::<bool>())),
        module in prop_oneof![8 => Just("thing"), 1 => select(MODULES)],
    ) {
        let mut sources = vec![source("demo", module, write_spec(&first, "demo.oapi.thing.create", false))];
        if let Some((draw, other, same_vendor)) = second {
            let vendor = if same_vendor { "demo" } else { "other" };
            if !(same_vendor && other == module) {
                let text = write_spec(&draw, "demo.oapi.thing.update", same_vendor);
                sources.push(source(vendor, other, text));
            }
        }
        generates_or_locates(sources)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn edited_project_specs_are_generated_or_located(
        which in any::<Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let mut sources = project_sources().to_vec();
        let i = which.index(sources.len());
        sources[i].text = apply(&sources[i].text, &edits);
        generates_or_locates(sources)?;
    }

    #[test]
    fn random_yaml_trees_are_generated_or_located(tree in yaml_tree()) {
        let text = serde_yaml::to_string(&tree).unwrap_or_default();
        generates_or_locates(vec![source("demo", "thing", text)])?;
    }
}

#[test]
fn an_unedited_project_spec_set_generates() {
    // The properties above start from a set that generates; an edit is what breaks it.
    assert!(generates_or_locates(project_sources().to_vec()).is_ok());
    assert!(codegen::generate_sources(project_sources().to_vec(), Layout::Tree).is_ok());
}
