//! Inputs at the edges: deep nesting (YAML lists and mappings, chains of object types), very long
//! descriptions, huge enums, empty and comment-only files. Each is generated or rejected with a
//! located diagnostic, without panicking and within a bounded amount of memory, measured by a
//! counting allocator around each run.

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use codegen::{Failure, Layout, Output, Source};

/// The system allocator, counting the bytes in use and the peak since the last reset.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counters are process-wide.
static MEASURING: Mutex<()> = Mutex::new(());

const MB: usize = 1024 * 1024;

/// Generates `files` (vendor `demo`) and returns the result with the peak number of bytes
/// allocated beyond what was in use before.
fn generate(files: &[(&str, String)]) -> (Result<Output, Failure>, usize) {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let sources: Vec<Source> = files
        .iter()
        .map(|(module, text)| Source {
            display: format!("spec/demo/{module}.yaml"),
            vendor: "demo".into(),
            module: (*module).into(),
            text: text.clone(),
        })
        .collect();
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = codegen::generate_sources(sources, Layout::Tree);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (result, peak)
}

/// The diagnostics of a rejected spec, each checked for a location in a named file.
fn rejected(result: Result<Output, Failure>) -> codegen::Diagnostics {
    match result {
        Err(Failure::Specs(d)) => {
            assert!(!d.is_empty());
            for x in &d.0 {
                assert!(x.pos.line >= 1 && x.pos.col >= 1, "{x}");
                assert!(x.file.starts_with("spec/demo/"), "{x}");
            }
            d
        }
        Err(e) => panic!("generator error: {e}"),
        Ok(_) => panic!("accepted"),
    }
}

fn accepted(result: Result<Output, Failure>) -> Output {
    match result {
        Ok(out) => out,
        Err(e) => panic!("rejected: {e}"),
    }
}

/// An endpoint whose request field `name` carries `extra` (indented under the field), followed
/// by `tail` at the top level.
fn endpoint(extra: &str, tail: &str) -> String {
    format!(
        "api: demo.oapi.thing.create\ntitle: 示例\nprotocol: dingtalk-oapi\n\
         http: {{method: POST, path: /topapi/thing/create}}\n\
         request:\n  fields:\n    name:\n      type: string\n{extra}\
         response:\n  fields: {{}}\n{tail}"
    )
}

/// An endpoint whose request field `names` (a `list<string>`, so any JSON-shaped example
/// passes the checks) has `example` as its example.
fn example_endpoint(example: &str) -> String {
    endpoint(&format!("      example: {example}\n"), "").replace(
        "    name:\n      type: string\n",
        "    names:\n      type: list<string>\n",
    )
}

fn nested_lists(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_maps(depth: usize) -> String {
    format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth))
}

#[test]
fn lists_nested_64_deep_are_read_and_shown() {
    let (result, peak) = generate(&[("thing", example_endpoint(&nested_lists(64)))]);
    let out = accepted(result);
    assert!(out.files["demo/thing.rs"].contains(&nested_lists(64)));
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn mappings_nested_64_deep_are_read() {
    let (result, peak) = generate(&[("thing", example_endpoint(&nested_maps(64)))]);
    accepted(result);
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn lists_nested_10000_deep_are_rejected_with_a_location() {
    let (result, peak) = generate(&[(
        "thing",
        endpoint(&format!("      example: {}\n", nested_lists(10_000)), ""),
    )]);
    let d = rejected(result);
    assert_eq!(d.0[0].pos.line, 9, "{d}");
    assert!(d.to_string().contains("nested"), "{d}");
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn mappings_nested_10000_deep_are_rejected_with_a_location() {
    let (result, peak) = generate(&[(
        "thing",
        endpoint(&format!("      example: {}\n", nested_maps(10_000)), ""),
    )]);
    let d = rejected(result);
    assert_eq!(d.0[0].pos.line, 9, "{d}");
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn block_mappings_nested_1000_deep_are_rejected_with_a_location() {
    let mut deep = String::from("x:\n");
    for level in 1..1000 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("a:\n");
    }
    let (result, peak) = generate(&[("thing", endpoint("", &deep))]);
    rejected(result);
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn an_unclosed_million_brackets_is_rejected() {
    let (result, peak) = generate(&[(
        "thing",
        endpoint(&format!("      example: {}\n", "[".repeat(1_000_000)), ""),
    )]);
    rejected(result);
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn deep_nesting_after_a_duplicate_key_is_rejected() {
    // Reporting the duplicate where its second occurrence stands means indexing the whole
    // file, deep part included: the nesting is found first.
    let tail = format!(
        "types:\n  A: {{enum: [{{value: a}}]}}\n  A: {{enum: [{{value: b}}]}}\nnotes: {}\n",
        nested_lists(100_000)
    );
    let (result, peak) = generate(&[("thing", endpoint("", &tail))]);
    let d = rejected(result);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].rule.as_str(), "too-deep");
    assert_eq!(d.0[0].pos.line, 14);
    assert!(peak < 16 * MB, "peak {peak}");
}

#[test]
fn wide_lists_at_depth_do_not_multiply_memory() {
    // 100,000 items 90 levels down: an index that copied each item's whole path would need
    // hundreds of megabytes.
    let wide = format!(
        "{}{}{}",
        "[".repeat(90),
        vec!["1"; 100_000].join(","),
        "]".repeat(90)
    );
    let (result, peak) = generate(&[("thing", example_endpoint(&wide))]);
    accepted(result);
    assert!(peak < 96 * MB, "peak {peak}");
}

/// `count` object types, each holding the next directly (`list: false`) or in a list.
fn type_chain(count: usize, list: bool) -> String {
    let mut s = String::from("types:\n");
    for i in 0..count {
        s.push_str(&format!("  T{i}:\n    fields:\n"));
        if i + 1 < count {
            let ty = if list {
                format!("list<T{}>", i + 1)
            } else {
                format!("T{}", i + 1)
            };
            s.push_str(&format!("      next: {{type: \"{ty}\"}}\n"));
        }
        s.push_str("      id: {type: int64}\n");
    }
    s
}

#[test]
fn object_types_nested_64_deep_generate() {
    let (result, peak) = generate(&[
        ("thing", endpoint("", "")),
        ("chain", type_chain(64, false)),
    ]);
    let out = accepted(result);
    assert!(out.files["demo/chain.rs"].contains("pub struct T63"));
    assert!(peak < 32 * MB, "peak {peak}");
}

#[test]
fn object_types_nested_10000_deep_are_checked() {
    let text = type_chain(10_000, true);
    let sources = vec![Source {
        display: "spec/demo/chain.yaml".into(),
        vendor: "demo".into(),
        module: "chain".into(),
        text,
    }];
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let mut diags = codegen::Diagnostics::default();
    let loaded: Vec<_> = sources
        .into_iter()
        .map(|s| codegen::load::parse(s, &mut diags))
        .collect();
    assert!(diags.is_empty(), "{diags}");
    let (model, diags) = codegen::check::check(&loaded);
    assert!(diags.is_empty(), "{diags}");
    let ir = codegen::lower::lower(&model.expect("a model when nothing is wrong"));
    assert_eq!(ir.vendors["demo"].modules["chain"].structs.len(), 10_000);
}

#[test]
fn a_cycle_through_10001_object_types_is_one_short_problem() {
    let mut text = type_chain(10_000, false);
    text.push_str("  Last:\n    fields:\n      first: {type: T0}\n");
    text = text.replace("      id: {type: int64}\n", "");
    let text = text.replace(
        "  T9999:\n    fields:\n",
        "  T9999:\n    fields:\n      last: {type: Last}\n",
    );
    let (result, peak) = generate(&[("chain", text)]);
    let d = rejected(result);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].rule.as_str(), "recursive-type");
    assert!(
        d.0[0].message.contains("T0 -> T1 -> T2 -> T3 -> T4 -> T5 -> … -> T9996 -> T9997 -> T9998 -> T9999 -> Last -> T0, a cycle of 10001 types"),
        "{d}"
    );
    assert!(peak < 128 * MB, "peak {peak}");
}

#[test]
fn a_one_megabyte_description_is_kept() {
    let long = "很长的描述。".repeat(MB / 18);
    let (result, peak) = generate(&[(
        "thing",
        endpoint(&format!("      description: {long}\n"), ""),
    )]);
    let out = accepted(result);
    assert!(out.files["demo/thing.rs"].contains(&long));
    assert!(peak < 32 * MB, "peak {peak}");
}

#[test]
fn an_enum_of_10000_values_generates() {
    let mut tail = String::from("types:\n  Big:\n    enum:\n");
    for i in 0..10_000 {
        tail.push_str(&format!("      - {{value: v{i}, description: 值{i}}}\n"));
    }
    let extra = "      default: v0\n".replace("default", "example");
    let text = endpoint(&extra, &tail).replace("      type: string\n", "      type: Big\n");
    let (result, peak) = generate(&[("thing", text)]);
    let out = accepted(result);
    let code = &out.files["demo/thing.rs"];
    assert!(code.contains("V9999,"));
    assert!(code.contains("\"v9999\" => Self::V9999"));
    assert!(peak < 200 * MB, "peak {peak}");
}

#[test]
fn an_int_enum_of_10000_values_generates() {
    let mut tail = String::from("types:\n  Big:\n    enum:\n");
    for i in 0..10_000 {
        tail.push_str(&format!("      - {{value: {i}, name: Value{i}}}\n"));
    }
    let text = endpoint("      default: 9999\n", &tail)
        .replace("      type: string\n", "      type: Big\n");
    let (result, _) = generate(&[("thing", text)]);
    let out = accepted(result);
    assert!(out.files["demo/thing.rs"].contains("9999 => Self::Value9999"));
}

#[test]
fn empty_and_comment_only_files_are_reported_at_their_start() {
    for text in [
        "",
        "   \n\n\t\n",
        "# only a comment\n",
        "# one\n\n# two\n",
        "---\n",
        "...\n",
        "~\n",
        "null\n",
    ] {
        let (result, _) = generate(&[("thing", text.to_owned())]);
        let d = rejected(result);
        assert_eq!(d.len(), 1, "{text:?}: {d}");
        assert_eq!((d.0[0].pos.line, d.0[0].pos.col), (1, 1), "{text:?}: {d}");
    }
}
