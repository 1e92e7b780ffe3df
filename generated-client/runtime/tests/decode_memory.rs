//! Peak memory of the envelope readers on hostile bodies of about 16 MiB, beside a
//! `serde_json::Value` parse of the same bytes (how the former runtime read every answer).
//!
//! A counting global allocator keeps, per thread, the bytes currently allocated and their peak;
//! a `realloc` is counted as the new block allocated before the old one is freed, the most it
//! can hold at once. Each body is built before measuring; the figure is the peak of the bytes
//! allocated on top of it while one call decodes it, its typed result included.
//!
//! The bound: when the payload type ignores the filler (an unknown key, an ignored field), the
//! peak is at most twice the body's size. That covers every buffer the reader may grow with the
//! body (serde_json's scratch: one byte per level of an ignored nesting, the bytes of an escaped
//! key), the typed result (small here), and the error's bounded snippet; it excludes nothing.
//! A body whose filler the result keeps (small objects or numbers read into a typed list, a huge
//! `errmsg` carried by the error) is bounded by what is kept instead: at most three times it, a
//! `Vec`'s last growth holding the old and the new block at once, or the text and its scrubbed
//! copy.
//!
//! `cargo test -p client-runtime --test decode_memory -- --nocapture` prints every figure;
//! `DECODE_MEMORY_MIB` changes the bodies' size (default 16).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use client_runtime::de::{FieldIndex, ListOpt, ObjectOpt, ScalarOpt};
use client_runtime::envelope::{read_classin, read_oapi, read_top, Decoded};
use client_runtime::redact::Redactor;
use client_runtime::{Error, UndocumentedCode};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

// ---- Counting --------------------------------------------------------------------------------------

struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = CURRENT.try_with(|current| {
        let now = current.get() + delta;
        current.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: forwards to the system allocator; only counts sizes on the calling thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize);
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if new.is_null() {
            track(-(new_size as isize));
        } else {
            track(-(layout.size() as isize));
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What `f` returns, and the peak of the bytes it allocated on this thread on top of what was
/// allocated before.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as usize)
}

/// The counter sees what is allocated, counts a `realloc` as both blocks, and ignores what was
/// there before.
#[test]
fn the_counter_measures_peaks() {
    let before = vec![0u8; 1 << 20];
    let ((), peak) = peak_during(|| {
        let a = vec![1u8; 3 << 20];
        drop(a);
        let b = vec![1u8; 2 << 20];
        drop(b);
    });
    assert_eq!(peak, 3 << 20);
    let ((), peak) = peak_during(|| {
        let mut v: Vec<u8> = vec![0; 1 << 20];
        v.reserve_exact(1 << 20);
    });
    assert_eq!(peak, 3 << 20, "a realloc holds the old and the new block");
    let ((), peak) = peak_during(|| ());
    assert_eq!(peak, 0);
    drop(before);
}

// ---- Payload types, shaped as the generator emits them ---------------------------------------------

include!("support/wire_struct.rs");

/// A seed for a required field: `Some` of what `S` reads.
struct Required<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Required<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

wire_struct!(OapiPayload {
    errcode: Option<i64> = "errcode" => ScalarOpt::new(),
    errmsg: Option<String> = "errmsg" => ScalarOpt::new(),
    result: Option<PeriodResult> = "result" => ObjectOpt::new(),
    request_id: Option<String> = "request_id" => ScalarOpt::new(),
} required []);

wire_struct!(PeriodResult {
    dept_id: Option<i64> = "deptId" => ScalarOpt::new(),
} required []);

wire_struct!(TopPayload {
    result: Option<DingOpenResult> = "result" => ObjectOpt::new(),
    request_id: Option<String> = "request_id" => ScalarOpt::new(),
    label_ids: Option<Vec<i64>> = "label_ids" => ListOpt::new(),
} required []);

wire_struct!(DingOpenResult {
    success: Option<bool> = "success" => ScalarOpt::new(),
    ding_open_errcode: Option<i64> = "ding_open_errcode" => ScalarOpt::new(),
} required []);

// ClassIn's answer with `data` an optional list of per-item results (`errno` required).
wire_struct!(ClassInPayload {
    data: Option<Vec<ClassInItem>> = "data" => ListOpt::new(),
} required []);

wire_struct!(ClassInItem {
    custom_column: Option<String> = "customColumn" => ScalarOpt::new(),
    errno: Option<i64> = "errno" => Required(client_runtime::de::Scalar::new()),
    error: Option<String> = "error" => ScalarOpt::new(),
} required [errno = "errno"]);

// The same with every item field optional, so that `{}` is an item.
wire_struct!(ClassInLoosePayload {
    data: Option<Vec<LooseItem>> = "data" => ListOpt::new(),
} required []);

wire_struct!(LooseItem {
    errno: Option<i64> = "errno" => ScalarOpt::new(),
    error: Option<String> = "error" => ScalarOpt::new(),
} required []);

// ---- Hostile bodies ----------------------------------------------------------------------------------

fn body_size() -> usize {
    std::env::var("DECODE_MEMORY_MIB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(16)
        << 20
}

/// `head`, then units written by `unit` (its index given) separated by commas until the body
/// holds `size` bytes, then `tail`.
fn fill(head: &str, tail: &str, size: usize, mut unit: impl FnMut(usize, &mut String)) -> Vec<u8> {
    let mut body = String::with_capacity(size + tail.len() + 64);
    body.push_str(head);
    let mut i = 0;
    while body.len() + tail.len() < size {
        if i > 0 {
            body.push(',');
        }
        unit(i, &mut body);
        i += 1;
    }
    body.push_str(tail);
    body.into_bytes()
}

/// `n` opening brackets then `n` closing ones.
fn nested(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n('[', n));
    out.extend(std::iter::repeat_n(']', n));
}

/// A body of `size` bytes: `head`, one string of `a`s, `tail`.
fn one_string(head: &str, tail: &str, size: usize) -> Vec<u8> {
    let mut body = String::with_capacity(size + 64);
    body.push_str(head);
    body.push('"');
    body.extend(std::iter::repeat_n(
        'a',
        size.saturating_sub(head.len() + tail.len() + 2),
    ));
    body.push('"');
    body.push_str(tail);
    body.into_bytes()
}

/// Nesting this deep is past serde_json's recursion limit (128) for a `Value`; an ignored
/// value is skipped with one byte of scratch per level.
fn deep(head: &str, tail: &str, size: usize) -> Vec<u8> {
    let depth = size.saturating_sub(head.len() + tail.len()) / 2;
    let mut body = String::with_capacity(size + 64);
    body.push_str(head);
    nested(depth, &mut body);
    body.push_str(tail);
    body.into_bytes()
}

const WRAPPER: &str = "dingtalk_corp_extcontact_update_response";
const METHOD: &str = "dingtalk.corp.extcontact.update";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Ok,
    Decode,
    DingTalk,
    ClassIn,
}

/// How a body's peak is bounded.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// The payload type ignores the filler: at most twice the body.
    TwiceBody,
    /// The result keeps the filler as this many bytes (the payload's items, or the text an
    /// error carries): at most three times that, plus [`SLACK`].
    Kept(usize),
}

/// Room for the small allocations beside a kept filler (the error, the regex's cache): an
/// `errmsg` may be held up to three times at once (the typed payload's copy, the envelope's, and
/// what the error keeps of it).
const SLACK: usize = 1 << 20;

struct Case {
    name: &'static str,
    family: &'static str,
    body: Vec<u8>,
    expect: Outcome,
    bound: Bound,
    read: fn(&[u8]) -> Outcome,
}

fn outcome<R, C: client_runtime::ErrorCode>(read: Result<Decoded<R, C>, Error<C>>) -> Outcome {
    match read {
        Ok(_) => Outcome::Ok,
        Err(Error::Decode { .. }) => Outcome::Decode,
        Err(Error::DingTalk { .. }) => Outcome::DingTalk,
        Err(Error::ClassIn { .. }) => Outcome::ClassIn,
        Err(other) => panic!("unexpected outcome: {other}"),
    }
}

fn oapi(body: &[u8]) -> Outcome {
    outcome(read_oapi::<OapiPayload, UndocumentedCode>(
        200,
        body,
        &Redactor::default(),
    ))
}

fn top(body: &[u8]) -> Outcome {
    outcome(read_top::<TopPayload, UndocumentedCode>(
        200,
        body,
        METHOD,
        false,
        &Redactor::default(),
    ))
}

fn top_simplified(body: &[u8]) -> Outcome {
    outcome(read_top::<TopPayload, UndocumentedCode>(
        200,
        body,
        METHOD,
        true,
        &Redactor::default(),
    ))
}

fn classin(body: &[u8]) -> Outcome {
    outcome(read_classin::<ClassInPayload, UndocumentedCode>(
        200,
        body,
        &Redactor::default(),
    ))
}

fn classin_loose(body: &[u8]) -> Outcome {
    let read =
        read_classin::<ClassInLoosePayload, UndocumentedCode>(200, body, &Redactor::default());
    if let Ok(d) = &read {
        assert!(d
            .response
            .data
            .as_ref()
            .is_some_and(|items| items.len() > 1000));
    }
    outcome(read)
}

fn cases(size: usize) -> Vec<Case> {
    let empty_lists = |head: &str, tail: &str| fill(head, tail, size, |_, b| b.push_str("[]"));
    let keys =
        |head: &str, tail: &str| fill(head, tail, size, |i, b| write!(b, r#""k{i}":0"#).unwrap());
    let numbers = |head: &str, tail: &str| {
        fill(head, tail, size, |i, b| {
            write!(b, "{}", 1_000_003 * i as u64 % 9_999_991).unwrap()
        })
    };
    let legal_nesting = |head: &str, tail: &str| fill(head, tail, size, |_, b| nested(120, b));
    let wrapped = format!(r#"{{"{WRAPPER}":{{"result":{{"success":true}},"request_id":"r1","x":"#);
    let info = r#"{"error_info":{"errno":1,"error":"程序正常执行"},"data":"#;
    let twice = Bound::TwiceBody;
    let item_size = std::mem::size_of::<LooseItem>();
    let items_kept = (size / 3) * item_size;
    vec![
        Case {
            name: "`[]` filler in an ignored field",
            family: "oapi",
            body: empty_lists(r#"{"errcode":0,"errmsg":"ok","x":["#, "]}"),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "nesting 120 deep, repeated",
            family: "oapi",
            body: legal_nesting(r#"{"errcode":0,"x":["#, "]}"),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "one nesting 8 Mi levels deep",
            family: "oapi",
            body: deep(r#"{"errcode":0,"x":"#, "}", size),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name:
                "one nesting 8 Mi levels deep, then a `result` that does not fit (its path found)",
            family: "oapi",
            body: deep(r#"{"errcode":0,"x":"#, r#","result":"bad"}"#, size),
            expect: Outcome::Decode,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "unknown keys `\"k1\":0`",
            family: "oapi",
            body: keys(r#"{"errcode":0,"#, "}"),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "one 16 MiB string in an ignored field",
            family: "oapi",
            body: one_string(r#"{"errcode":0,"x":"#, "}", size),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "numbers in an ignored list",
            family: "oapi",
            body: numbers(r#"{"errcode":0,"x":["#, "]}"),
            expect: Outcome::Ok,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "unknown keys, then a `result` that does not fit",
            family: "oapi",
            body: keys(r#"{"errcode":0,"#, r#","result":"bad"}"#),
            expect: Outcome::Decode,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "`[]` filler in an error answer",
            family: "oapi",
            body: empty_lists(r#"{"errcode":88,"errmsg":"no","x":["#, "]}"),
            expect: Outcome::DingTalk,
            bound: twice,
            read: oapi,
        },
        Case {
            name: "one 16 MiB `errmsg` in an error answer (kept, scrubbed)",
            family: "oapi",
            body: one_string(r#"{"errcode":88,"errmsg":"#, "}", size),
            expect: Outcome::DingTalk,
            bound: Bound::Kept(size),
            read: oapi,
        },
        Case {
            name: "one 16 MiB `error` of `\\u4e01,` escapes (kept, scrubbed)",
            family: "ClassIn",
            body: fill(
                r#"{"error_info":{"errno":102,"error":""#,
                r#""}}"#,
                size,
                |_, b| b.push_str(r"\u4e01"),
            ),
            expect: Outcome::ClassIn,
            bound: Bound::Kept(size),
            read: classin,
        },
        Case {
            name: "`[]` filler inside the wrapper",
            family: "TOP",
            body: empty_lists(&format!("{wrapped}["), "]}}"),
            expect: Outcome::Ok,
            bound: twice,
            read: top,
        },
        Case {
            name: "`[]` filler inside the wrapper",
            family: "TOP simplify",
            body: empty_lists(&format!("{wrapped}["), "]}}"),
            expect: Outcome::Ok,
            bound: twice,
            read: top_simplified,
        },
        Case {
            name: "unknown keys inside the wrapper",
            family: "TOP",
            body: keys(
                &format!(r#"{{"{WRAPPER}":{{"result":{{"success":true}},"#),
                "}}",
            ),
            expect: Outcome::Ok,
            bound: twice,
            read: top,
        },
        Case {
            name: "one 16 MiB string inside the wrapper",
            family: "TOP",
            body: one_string(&wrapped, "}}", size),
            expect: Outcome::Ok,
            bound: twice,
            read: top,
        },
        Case {
            name: "`[]` filler at a simplified root",
            family: "TOP simplify",
            body: empty_lists(
                r#"{"result":{"success":true},"request_id":"r1","x":["#,
                "]}",
            ),
            expect: Outcome::Ok,
            bound: twice,
            read: top_simplified,
        },
        Case {
            name: "`[]` filler in an item of `data`",
            family: "ClassIn",
            body: empty_lists(&format!(r#"{info}[{{"errno":1,"x":["#), "]}]}"),
            expect: Outcome::Ok,
            bound: twice,
            read: classin,
        },
        Case {
            name: "unknown keys in an item of `data`",
            family: "ClassIn",
            body: keys(&format!(r#"{info}[{{"errno":1,"#), "}]}"),
            expect: Outcome::Ok,
            bound: twice,
            read: classin,
        },
        Case {
            name: "one 16 MiB string in an item of `data`",
            family: "ClassIn",
            body: one_string(&format!(r#"{info}[{{"errno":1,"x":"#), "}]}", size),
            expect: Outcome::Ok,
            bound: twice,
            read: classin,
        },
        Case {
            name: "`[]` filler as the items of `data`",
            family: "ClassIn",
            body: empty_lists(&format!("{info}["), "]}"),
            expect: Outcome::Decode,
            bound: twice,
            read: classin,
        },
        Case {
            name: "`{\"errno\":1}` items of `data` (kept)",
            family: "ClassIn",
            body: fill(&format!("{info}["), "]}", size, |_, b| {
                b.push_str(r#"{"errno":1}"#)
            }),
            expect: Outcome::Ok,
            bound: Bound::Kept((size / 12) * std::mem::size_of::<ClassInItem>()),
            read: classin,
        },
        Case {
            name: "`1,1,1…` in the typed list `label_ids` (kept)",
            family: "TOP",
            body: fill(
                &format!(r#"{{"{WRAPPER}":{{"label_ids":["#),
                "]}}",
                size,
                |_, b| b.push('1'),
            ),
            expect: Outcome::Ok,
            bound: Bound::Kept((size / 2) * std::mem::size_of::<i64>()),
            read: top,
        },
        Case {
            name: "`{}` items of `data`, all fields optional (kept)",
            family: "ClassIn",
            body: fill(&format!("{info}["), "]}", size, |_, b| b.push_str("{}")),
            expect: Outcome::Ok,
            bound: Bound::Kept(items_kept),
            read: classin_loose,
        },
    ]
}

/// A size in MiB, or in KiB or bytes when under one MiB.
fn mib(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / (1 << 10) as f64),
        b => format!("{b} B"),
    }
}

/// Every hostile body decodes to its expected outcome within its bound; the table of figures is
/// printed, and every failure reported at once.
#[test]
fn hostile_bodies_decode_within_their_bound() {
    let size = body_size();
    let mut table = String::from(
        "| family | hostile body | body | outcome | peak | × body | bound | `Value` parse peak | × body |\n\
         |---|---|---:|---|---:|---:|---|---:|---:|\n",
    );
    let mut failures = Vec::new();
    for case in cases(size) {
        let body = &case.body;
        let (got, peak) = peak_during(|| (case.read)(body));
        let (value, value_peak) = peak_during(|| serde_json::from_slice::<Value>(body).map(drop));
        let ratio = peak as f64 / body.len() as f64;
        let (limit, bound) = match case.bound {
            Bound::TwiceBody => (2 * body.len(), "≤ 2× body".to_owned()),
            Bound::Kept(kept) => (3 * kept + SLACK, format!("≤ 3× kept ({})", mib(kept))),
        };
        let value_text = match value {
            Ok(()) => mib(value_peak),
            Err(e) if e.to_string().contains("recursion limit") => {
                format!("{} (refused: depth)", mib(value_peak))
            }
            Err(e) => format!("{} (error: {e})", mib(value_peak)),
        };
        writeln!(
            table,
            "| {} | {} | {} | {:?} | {} | {:.2} | {} | {} | {:.1} |",
            case.family,
            case.name,
            mib(body.len()),
            got,
            mib(peak),
            ratio,
            bound,
            value_text,
            value_peak as f64 / body.len() as f64,
        )
        .unwrap();
        if got != case.expect {
            failures.push(format!(
                "{} / {}: {:?}, expected {:?}",
                case.family, case.name, got, case.expect
            ));
        }
        if peak > limit {
            failures.push(format!(
                "{} / {}: peak {peak} bytes over the bound {limit}",
                case.family, case.name
            ));
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
}
