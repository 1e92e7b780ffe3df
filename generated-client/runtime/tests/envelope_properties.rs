//! Properties of the envelope readers over random and hostile bodies: `read_token`, `read_oapi`,
//! `read_top` (both `simplify` modes) and `read_classin` never panic, answer with the variants
//! their family allows, call a body a success only when its envelope says so, and never show a
//! credential the call knows in an error.
//!
//! Bodies are random JSON (a bounded recursive strategy over `serde_json::Value`) poured into the
//! real envelope shapes with random values, random JSON of any shape, arbitrary bytes, and
//! mutations of all of these (truncated, a byte changed, trailing garbage). Each property's
//! expected outcome is computed from the body independently of the runtime: a small model of the
//! documented envelope rules over the parsed `Value`.
//!
//! Secrets reach the bodies through placeholders (`⟦S0⟧` as written, `⟦P0⟧` percent-encoded,
//! `⟦T⟧` the access token) substituted after generation, so any text field, key or byte string
//! can echo them.

use std::fmt::Debug;

use client_runtime::de::{FieldIndex, List, ListOpt, ObjectOpt, Scalar, ScalarOpt};
use client_runtime::envelope::{
    read_classin, read_oapi, read_token, read_top, Decoded, DEFAULT_TOKEN_LIFETIME,
    TOKEN_LIFETIME_BOUNDS,
};
use client_runtime::error::SNIPPET_CHARS;
use client_runtime::redact::Redactor;
use client_runtime::{CodeKind, Error, ErrorCode, TokenError};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Cases per property: enough to reach every envelope path many times, quick in a debug build.
/// `PROPTEST_CASES` overrides it for a longer run.
const CASES: u32 = 512;

fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: match std::env::var_os("PROPTEST_CASES") {
            Some(_) => default.cases,
            None => CASES,
        },
        // Failures are reported with their minimal input; no regression files in the checkout.
        failure_persistence: None,
        ..default
    }
}

const METHOD: &str = "dingtalk.corp.extcontact.update";
const WRAPPER: &str = "dingtalk_corp_extcontact_update_response";

// ---- Payload types, shaped as the generator emits them ----------------------------------------

/// A seed for a required field: the value read by `S`, kept as `Some` until the end of the
/// object, where a missing one is serde's "missing field" error.
struct Required<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Required<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

include!("support/wire_struct.rs");

wire_struct!(OapiPayload {
    errcode: Option<i64> = "errcode" => ScalarOpt::new(),
    errmsg: Option<String> = "errmsg" => ScalarOpt::new(),
    success: Option<bool> = "success" => ScalarOpt::new(),
    result: Option<PeriodResult> = "result" => ObjectOpt::new(),
    request_id: Option<String> = "request_id" => ScalarOpt::new(),
} required []);

wire_struct!(PeriodResult {
    dept_id: Option<i64> = "deptId" => ScalarOpt::new(),
    grades: Option<Vec<Grade>> = "grades" => ListOpt::new(),
} required []);

wire_struct!(Grade {
    grade: Option<i64> = "grade" => Required(Scalar::new()),
    name: Option<String> = "name" => ScalarOpt::new(),
    super_id: Option<i64> = "super_id" => ScalarOpt::new(),
} required [grade = "grade"]);

wire_struct!(TopPayload {
    result: Option<DingOpenResult> = "result" => ObjectOpt::new(),
    request_id: Option<String> = "request_id" => ScalarOpt::new(),
    label_ids: Option<Vec<i64>> = "label_ids" => ListOpt::new(),
} required []);

wire_struct!(DingOpenResult {
    success: Option<bool> = "success" => ScalarOpt::new(),
    ding_open_errcode: Option<i64> = "ding_open_errcode" => ScalarOpt::new(),
    error_msg: Option<String> = "error_msg" => ScalarOpt::new(),
} required []);

wire_struct!(ClassInPayload {
    data: Option<Vec<ClassInItem>> = "data" => ListOpt::new(),
} required []);

wire_struct!(ClassInItem {
    custom_column: Option<String> = "customColumn" => ScalarOpt::new(),
    errno: Option<i64> = "errno" => Required(Scalar::new()),
    error: Option<String> = "error" => ScalarOpt::new(),
    uids: Option<Vec<String>> = "uids" => Required(List::new()),
} required [errno = "errno"]);

/// Error codes of a test endpoint: 841 and 135 are partial successes (ClassIn's "added, nickname
/// sync failed" and `register`'s "already registered"), 1 and 0 successes, 104 retryable.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Codes(i64);

impl ErrorCode for Codes {
    fn from_code(code: i64) -> Self {
        Codes(code)
    }
    fn code(&self) -> i64 {
        self.0
    }
    fn meaning(&self) -> Option<&'static str> {
        (self.0 == 841).then_some("添加成功，同步昵称失败")
    }
    fn kind(&self) -> CodeKind {
        match self.0 {
            0 | 1 => CodeKind::Success,
            841 | 135 => CodeKind::PartialSuccess,
            104 => CodeKind::Retryable,
            _ => CodeKind::Failure,
        }
    }
}

const PARTIAL_CODES: [i64; 2] = [841, 135];

// ---- A model of the envelope rules, over the parsed body --------------------------------------

/// `raw_i64` of the runtime, stated on a `Value`: an integer, an integral float in range, or a
/// string holding an integer (trimmed).
fn model_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            if n.is_f64() {
                let f = n.as_f64()?;
                (f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64)
                    .then_some(f as i64)
            } else {
                None // an integer beyond i64
            }
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A number, or a string holding one (trimmed).
fn model_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean, the integer 0 or 1, or "true"/"false"/"1"/"0" (trimmed).
fn model_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if !n.is_f64() => match (n.as_i64(), n.as_u64()) {
            (Some(0), _) | (_, Some(0)) => Some(false),
            (Some(1), _) | (_, Some(1)) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the body is exactly one JSON object as the runtime's parser sees it (ignored parts are
/// only scanned, with no depth limit and no UTF-8 check inside strings).
fn is_one_object(body: &[u8]) -> bool {
    let first = body.iter().find(|b| !b" \t\r\n".contains(b));
    first == Some(&b'{') && serde_json::from_slice::<IgnoredAny>(body).is_ok()
}

/// The root object, when the body parses as one into a `Value`.
fn root_of(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// What the model expects of an envelope read.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// A success with this partial-success code, when any.
    Ok {
        partial: Option<i64>,
    },
    /// A success, or `Error::Decode` when the typed payload does not fit.
    OkOrDecode {
        partial: Option<i64>,
    },
    /// For a typed payload with a partial code: a partial success, or the code as an error when
    /// the payload does not fit.
    PartialOrCode(i64),
    DingTalk(i64),
    Top(i64),
    TopFailure(Option<i64>),
    ClassIn(i64),
    Unexpected,
}

fn expect_oapi(root: &Map<String, Value>, typed: bool) -> Expect {
    let Some(errcode) = root.get("errcode").and_then(model_i64) else {
        return Expect::Unexpected;
    };
    if errcode == 0 {
        return if typed {
            Expect::OkOrDecode { partial: None }
        } else {
            Expect::Ok { partial: None }
        };
    }
    if PARTIAL_CODES.contains(&errcode) {
        return if typed {
            Expect::PartialOrCode(errcode)
        } else {
            Expect::Ok {
                partial: Some(errcode),
            }
        };
    }
    Expect::DingTalk(errcode)
}

fn expect_top(root: &Map<String, Value>, simplify: bool, typed: bool) -> Expect {
    let wrapper = root.get(WRAPPER);
    if wrapper.is_some_and(|w| !w.is_object()) {
        return Expect::Unexpected;
    }
    if let Some(err) = root.get("error_response") {
        return match err.get("code").and_then(model_i64) {
            Some(code) if err.is_object() => Expect::Top(code),
            _ => Expect::Unexpected,
        };
    }
    if let Some(errcode) = root.get("errcode").and_then(model_i64) {
        if errcode != 0 {
            return Expect::DingTalk(errcode);
        }
    }
    let inner = match (wrapper, simplify) {
        (Some(Value::Object(w)), _) => w,
        // A simplified root is a TOP payload only with `result` or `request_id`, and not shaped
        // like a gateway's error (`code` with `msg` or `message`) unless it has `result`.
        (_, true) => {
            let result = root.contains_key("result");
            let gateway_error = root.contains_key("code")
                && (root.contains_key("msg") || root.contains_key("message"));
            let looks_like_top = result || (root.contains_key("request_id") && !gateway_error);
            if !looks_like_top {
                return Expect::Unexpected;
            }
            root
        }
        (_, false) => return Expect::Unexpected,
    };
    if let Some(Value::Object(result)) = inner.get("result") {
        if result.get("success").and_then(model_bool) == Some(false) {
            return Expect::TopFailure(result.get("ding_open_errcode").and_then(model_i64));
        }
    }
    if typed {
        Expect::OkOrDecode { partial: None }
    } else {
        Expect::Ok { partial: None }
    }
}

fn expect_classin(root: &Map<String, Value>, typed: bool) -> Expect {
    let Some(Value::Object(info)) = root.get("error_info") else {
        return Expect::Unexpected;
    };
    let Some(errno) = info.get("errno").and_then(model_i64) else {
        return Expect::Unexpected;
    };
    match errno {
        1 if typed => Expect::OkOrDecode { partial: None },
        1 => Expect::Ok { partial: None },
        c if PARTIAL_CODES.contains(&c) && typed => Expect::PartialOrCode(c),
        c if PARTIAL_CODES.contains(&c) => Expect::Ok { partial: Some(c) },
        c => Expect::ClassIn(c),
    }
}

/// The outcome, reduced to what the model predicts.
fn outcome_of<R, C: ErrorCode>(read: &Result<Decoded<R, C>, Error<C>>) -> Expect {
    match read {
        Ok(d) => Expect::Ok {
            partial: d.partial.as_ref().map(|p| p.code.code()),
        },
        Err(Error::DingTalk { errcode, .. }) => Expect::DingTalk(*errcode),
        Err(Error::Top { code, .. }) => Expect::Top(*code),
        Err(Error::TopFailure {
            ding_open_errcode, ..
        }) => Expect::TopFailure(*ding_open_errcode),
        Err(Error::ClassIn { code, .. }) => Expect::ClassIn(code.code()),
        Err(Error::UnexpectedBody { .. }) => Expect::Unexpected,
        // Not a model outcome: matched separately.
        Err(Error::Decode { .. }) => Expect::OkOrDecode { partial: None },
        Err(other) => panic!("an envelope reader answered with {other:?}"),
    }
}

fn matches_model(expected: &Expect, got: &Expect) -> bool {
    match (expected, got) {
        (Expect::OkOrDecode { partial }, Expect::Ok { partial: p }) => partial == p,
        (Expect::OkOrDecode { .. }, Expect::OkOrDecode { .. }) => true,
        (Expect::PartialOrCode(c), Expect::Ok { partial: Some(p) }) => c == p,
        (Expect::PartialOrCode(c), Expect::ClassIn(p) | Expect::DingTalk(p)) => c == p,
        (e, g) => e == g,
    }
}

// ---- Secrets and what must never show them ---------------------------------------------------

/// No secret of at least four characters in `text`, as written or as a JSON encoder that
/// escapes `/` writes it.
fn assert_hidden(what: &str, text: &str, secrets: &[&str]) -> Result<(), TestCaseError> {
    for secret in secrets.iter().filter(|s| s.chars().count() >= 4) {
        let escaped = secret.replace('/', "\\/");
        let shows = |form: &str| {
            if what == "Debug" {
                shown_in_debug(text, form)
            } else {
                text.contains(form)
            }
        };
        prop_assert!(
            !shows(secret) && !shows(&escaped),
            "{what} shows the secret {secret:?}: {text}"
        );
    }
    Ok(())
}

/// Whether `Debug` output shows `secret`: an occurrence that starts inside one of `Debug`'s
/// escapes (`\t` before `tok...`: a tab, then `ok...`) is not the secret. An escape starts after
/// an odd run of backslashes; an even run is escaped backslashes, shown as text.
fn shown_in_debug(debug: &str, secret: &str) -> bool {
    debug.match_indices(secret).any(|(at, _)| {
        let run = debug[..at]
            .bytes()
            .rev()
            .take_while(|&b| b == b'\\')
            .count();
        run % 2 == 0
    })
}

/// Checks shared by every envelope outcome: the variants the family may answer with, status and
/// snippet bounds, and no secret in `Display`, `Debug` or a partial success's message.
fn check_common<R: Debug, C: ErrorCode>(
    read: &Result<Decoded<R, C>, Error<C>>,
    status: u16,
    allowed: fn(&Error<C>) -> bool,
    secrets: &[&str],
) -> Result<(), TestCaseError> {
    match read {
        Ok(decoded) => {
            if let Some(p) = &decoded.partial {
                prop_assert_eq!(p.code.kind(), CodeKind::PartialSuccess);
                assert_hidden("a partial success's message", &p.message, secrets)?;
            }
            if let Some(id) = &decoded.request_id {
                assert_hidden("a request_id", id, secrets)?;
            }
        }
        Err(e) => {
            prop_assert!(allowed(e), "variant not allowed for the family: {e:?}");
            if let Error::UnexpectedBody { status: s, snippet }
            | Error::Decode {
                status: s, snippet, ..
            } = e
            {
                prop_assert_eq!(*s, status);
                prop_assert!(snippet.chars().count() <= SNIPPET_CHARS + 1);
            }
            assert_hidden("Display", &e.to_string(), secrets)?;
            assert_hidden("Debug", &format!("{e:?}"), secrets)?;
        }
    }
    Ok(())
}

fn oapi_variants<C: ErrorCode>(e: &Error<C>) -> bool {
    matches!(
        e,
        Error::DingTalk { .. } | Error::UnexpectedBody { .. } | Error::Decode { .. }
    )
}

fn top_variants<C: ErrorCode>(e: &Error<C>) -> bool {
    matches!(
        e,
        Error::Top { .. }
            | Error::DingTalk { .. }
            | Error::TopFailure { .. }
            | Error::UnexpectedBody { .. }
            | Error::Decode { .. }
    )
}

fn classin_variants<C: ErrorCode>(e: &Error<C>) -> bool {
    matches!(
        e,
        Error::ClassIn { .. } | Error::UnexpectedBody { .. } | Error::Decode { .. }
    )
}

/// The model's verdict for one read: a body that is not one JSON object is unexpected; one that
/// parses is what the model says; a typed payload that decodes where the model allows a decode
/// failure must decode exactly when serde reads the same text into the same type.
fn check_model<R: Debug>(
    read: &Result<Decoded<R, Codes>, Error<Codes>>,
    body: &[u8],
    expected: Option<Expect>,
    payload_fits: Option<bool>,
) -> Result<(), TestCaseError> {
    let got = outcome_of(read);
    if !is_one_object(body) {
        prop_assert_eq!(got, Expect::Unexpected, "not one JSON object");
        return Ok(());
    }
    let Some(expected) = expected else {
        // Valid JSON the `Value` parser refuses (deeper than its limit, a lone surrogate in an
        // ignored string): no model; only the common checks hold.
        return Ok(());
    };
    prop_assert!(
        matches_model(&expected, &got),
        "expected {:?}, got {:?}",
        expected,
        read.as_ref().map(|d| &d.partial)
    );
    if let (Some(fits), Expect::OkOrDecode { .. } | Expect::PartialOrCode(_)) =
        (payload_fits, &expected)
    {
        let decoded = matches!(got, Expect::Ok { .. });
        prop_assert_eq!(decoded, fits, "the tapped read and serde's own disagree");
    }
    Ok(())
}

fn fits<R: for<'de> Deserialize<'de>>(json: &[u8]) -> bool {
    serde_json::from_slice::<R>(json).is_ok()
}

// ---- Strategies --------------------------------------------------------------------------------

/// Keys the envelopes and payloads read, placeholders, and random ones.
fn key() -> BoxedStrategy<String> {
    const KEYS: &[&str] = &[
        "errcode",
        "errmsg",
        "sub_code",
        "sub_msg",
        "request_id",
        "result",
        "success",
        "data",
        "error_info",
        "errno",
        "error",
        "error_response",
        "code",
        "msg",
        "message",
        "access_token",
        "expires_in",
        "ding_open_errcode",
        "error_msg",
        "grades",
        "deptId",
        "grade",
        "name",
        "customColumn",
        "uids",
        "label_ids",
        "number",
        WRAPPER,
        "⟦S0⟧",
        "⟦S1⟧",
        "⟦T⟧",
    ];
    prop_oneof![
        3 => select(KEYS).prop_map(String::from),
        1 => "[a-z_]{0,10}",
        1 => ".{0,8}",
    ]
    .boxed()
}

/// A number of any JSON kind, with the values envelopes care about weighted in.
fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => select(vec![0i64, 1, -1, 841, 135, 88, 15, 40001, 102, 104, 7200, 60, 86_400, i64::MIN, i64::MAX])
            .prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => select(vec![0.0, -0.0, 1.0, 1.5, 841.0, 59.9, 7200.5, 86_400.1, 1e19, -1e19, 9.3e18, 1e300, -1e300, 1e-300])
            .prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
    ]
    .boxed()
}

/// Text a server might answer with, echoes of the call's secrets among it.
fn text() -> BoxedStrategy<Value> {
    const ECHOES: &[&str] = &[
        "⟦S0⟧",
        "⟦S1⟧",
        "⟦S2⟧",
        "⟦T⟧",
        "invalid appsecret ⟦S0⟧, retry",
        "不合法的access_token: ⟦T⟧",
        "GET /gettoken?appkey=k&appsecret=⟦P0⟧&x=1",
        "/topapi/x?access_token=⟦P1⟧",
        "sign=⟦S1⟧ sign_method=md5",
        r#"{"safeKey":"⟦S0⟧","SID":"1"}"#,
        "x⟦S0⟧y⟦S1⟧z",
        "⟦S2⟧⟦S2⟧",
        "safeKey: ⟦S1⟧, errno=102",
        "session=⟦T⟧",
    ];
    prop_oneof![
        3 => select(ECHOES).prop_map(Value::from),
        2 => ".{0,20}".prop_map(Value::from),
        1 => select(vec!["", " ", "ok", "程序正常执行", "null", "1", "0"]).prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value: bounded depth and size.
fn json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => number(),
        2 => text(),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A code (`errcode`, `errno`, `code`): numbers, numeric strings, and values of other kinds.
fn code() -> BoxedStrategy<Value> {
    prop_oneof![
        5 => number(),
        2 => select(vec!["0", "1", " 1 ", "841", "135", "+1", "-0", "1.0", "0x1", "", "x", "１", "88", "1e0"])
            .prop_map(Value::from),
        1 => any::<i64>().prop_map(|n| Value::from(n.to_string())),
        1 => json(),
    ]
    .boxed()
}

/// A code that is most often the family's success (`0` for DingTalk, `1` for ClassIn) in one of
/// its spellings, or a partial-success code, or any code.
fn code_near(success: i64) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => select(vec![json!(success), json!(success.to_string()), json!(success as f64), json!(format!(" {success} "))]),
        1 => select(vec![json!(841), json!(135), json!("841")]),
        3 => code(),
    ]
    .boxed()
}

/// A boolean in the forms vendors use, or anything else.
fn flag() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => any::<bool>().prop_map(Value::Bool),
        2 => select(vec![json!(0), json!(1), json!("true"), json!("false"), json!(" 0 "), json!("1"), json!(2), json!(1.0), json!("yes")]),
        1 => json(),
    ]
    .boxed()
}

/// Random extra keys for an object.
fn extras() -> BoxedStrategy<Vec<(String, Value)>> {
    vec((key(), json()), 0..4).boxed()
}

/// An object from optional known entries and random extras (the known entries win).
fn object(known: Vec<(&'static str, Option<Value>)>, extras: Vec<(String, Value)>) -> Value {
    let mut map: Map<String, Value> = extras.into_iter().collect();
    for (k, v) in known {
        if let Some(v) = v {
            map.insert(k.to_owned(), v);
        }
    }
    Value::Object(map)
}

fn maybe<S: Strategy<Value = Value> + 'static>(p: f64, s: S) -> BoxedStrategy<Option<Value>> {
    weighted(p, s).boxed()
}

/// A list, plain or wrapped the TOP way, or a stand-in for none, or anything.
fn list_of(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => vec(item.clone(), 0..4).prop_map(Value::Array),
        1 => vec(item, 0..3).prop_map(|items| json!({ "item": items })),
        1 => select(vec![json!(""), json!({}), json!(null), json!("x"), json!({"a": [], "b": []})]),
        1 => json(),
    ]
    .boxed()
}

fn oapi_template() -> BoxedStrategy<Value> {
    let grade = (
        maybe(0.8, code()),
        maybe(0.5, text()),
        maybe(0.3, number()),
        extras(),
    )
        .prop_map(|(grade, name, super_id, extras)| {
            object(
                vec![("grade", grade), ("name", name), ("super_id", super_id)],
                extras,
            )
        })
        .boxed();
    let result = prop_oneof![
        3 => (maybe(0.7, code()), maybe(0.7, list_of(grade)), extras()).prop_map(
            |(dept, grades, extras)| object(vec![("deptId", dept), ("grades", grades)], extras)
        ),
        1 => json(),
    ];
    (
        maybe(0.85, code_near(0)),
        maybe(0.7, text()),
        maybe(0.3, text()),
        maybe(0.3, text()),
        maybe(0.6, text()),
        maybe(0.6, result),
        maybe(0.4, flag()),
        extras(),
    )
        .prop_map(
            |(errcode, errmsg, sub_code, sub_msg, request_id, result, success, extras)| {
                object(
                    vec![
                        ("errcode", errcode),
                        ("errmsg", errmsg),
                        ("sub_code", sub_code),
                        ("sub_msg", sub_msg),
                        ("request_id", request_id),
                        ("result", result),
                        ("success", success),
                    ],
                    extras,
                )
            },
        )
        .boxed()
}

fn top_template() -> BoxedStrategy<Value> {
    let result = prop_oneof![
        4 => (maybe(0.8, flag()), maybe(0.6, code()), maybe(0.6, text()), extras()).prop_map(
            |(success, errcode, msg, extras)| object(
                vec![("success", success), ("ding_open_errcode", errcode), ("error_msg", msg)],
                extras,
            )
        ),
        1 => json(),
    ]
    .boxed();
    let payload = prop_oneof![
        4 => (maybe(0.8, result.clone()), maybe(0.6, text()), maybe(0.3, list_of(number())), extras())
            .prop_map(|(result, id, labels, extras)| object(
                vec![("result", result), ("request_id", id), ("label_ids", labels)],
                extras,
            )),
        1 => json(),
    ]
    .boxed();
    let error_response = prop_oneof![
        4 => (maybe(0.85, code()), maybe(0.7, text()), maybe(0.6, text()), maybe(0.6, text()), maybe(0.5, text()), extras())
            .prop_map(|(code, msg, sub_code, sub_msg, id, extras)| object(
                vec![("code", code), ("msg", msg), ("sub_code", sub_code), ("sub_msg", sub_msg), ("request_id", id)],
                extras,
            )),
        1 => json(),
    ];
    // A gateway's own error at the root: `{"code":"Throttling.User","message":"denied"}`.
    let gateway = (maybe(0.6, code()), maybe(0.4, text()), maybe(0.4, text()));
    (
        maybe(0.6, payload),
        maybe(0.25, error_response),
        maybe(0.2, code()),
        maybe(0.2, text()),
        maybe(0.3, result),
        maybe(0.3, text()),
        weighted(0.2, gateway),
        extras(),
    )
        .prop_map(
            |(wrapped, error_response, errcode, errmsg, result, request_id, gateway, extras)| {
                let (code, msg, message) = gateway.unwrap_or_default();
                object(
                    vec![
                        (WRAPPER, wrapped),
                        ("error_response", error_response),
                        ("errcode", errcode),
                        ("errmsg", errmsg),
                        ("result", result),
                        ("request_id", request_id),
                        ("code", code),
                        ("msg", msg),
                        ("message", message),
                    ],
                    extras,
                )
            },
        )
        .boxed()
}

fn classin_template() -> BoxedStrategy<Value> {
    let item = (
        maybe(0.9, code_near(1)),
        maybe(0.7, text()),
        maybe(0.4, text()),
        maybe(0.8, list_of(text())),
        extras(),
    )
        .prop_map(|(errno, error, custom, uids, extras)| {
            object(
                vec![
                    ("errno", errno),
                    ("error", error),
                    ("customColumn", custom),
                    ("uids", uids),
                ],
                extras,
            )
        })
        .boxed();
    let info = prop_oneof![
        5 => (maybe(0.9, code_near(1)), maybe(0.8, text()), extras())
            .prop_map(|(errno, error, extras)| object(vec![("errno", errno), ("error", error)], extras)),
        1 => json(),
    ];
    (maybe(0.7, list_of(item)), maybe(0.9, info), extras())
        .prop_map(|(data, info, extras)| object(vec![("data", data), ("error_info", info)], extras))
        .boxed()
}

fn token_template() -> BoxedStrategy<Value> {
    let token = prop_oneof![
        6 => Just(Value::from("⟦T⟧")),
        1 => Just(Value::from("")),
        1 => json(),
    ];
    let expires_in = prop_oneof![
        3 => number(),
        2 => select(vec![" 7200 ", "7200", "1e3", "-5", "inf", "NaN", "soon", "", "0x10", "1e400", "86400.5"])
            .prop_map(Value::from),
        1 => json(),
    ];
    (
        maybe(0.9, code_near(0)),
        maybe(0.6, text()),
        maybe(0.9, token),
        maybe(0.8, expires_in),
        maybe(0.3, text()),
        extras(),
    )
        .prop_map(|(errcode, errmsg, token, expires_in, request_id, extras)| {
            object(
                vec![
                    ("errcode", errcode),
                    ("errmsg", errmsg),
                    ("access_token", token),
                    ("expires_in", expires_in),
                    ("request_id", request_id),
                ],
                extras,
            )
        })
        .boxed()
}

/// A secret as credentials look: at least a capital, a small letter and a digit, from the
/// characters of tokens, keys and base64 (no text the runtime writes itself can hold one).
fn secret() -> impl Strategy<Value = String> {
    ("[A-Z]", "[a-z]", "[0-9]", "[A-Za-z0-9+/=._-]{1,24}")
        .prop_map(|(a, b, c, rest)| format!("{a}{b}{c}{rest}").chars().collect::<Vec<_>>())
        .prop_shuffle()
        .prop_map(|chars| chars.into_iter().collect())
}

/// How a body is made.
#[derive(Debug, Clone)]
enum Shape {
    /// A JSON value, serialized.
    Json(Value),
    /// A JSON value, serialized the way PHP's `json_encode` does by default: `/` as `\/` and
    /// every non-ASCII character as `\uXXXX` (ClassIn is a PHP service).
    Escaped(Value),
    /// A JSON value, serialized and then damaged.
    Mutated(Value, Mutation),
    /// Arbitrary bytes, a secret spliced in at a position.
    Bytes(Vec<u8>, Option<(usize, usize)>),
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Replace(usize, u8),
    Insert(usize, u8),
    Trailing(Vec<u8>),
    Leading(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (
            any::<usize>(),
            prop_oneof![select(b"{}[]\",:\\ 0-e".to_vec()), any::<u8>()]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        select(vec![
            b" x".to_vec(),
            b"}".to_vec(),
            b",".to_vec(),
            b"{}".to_vec(),
            vec![0]
        ])
        .prop_map(Mutation::Trailing),
        select(vec![
            b"\xef\xbb\xbf".to_vec(),
            b"[".to_vec(),
            b" \n".to_vec()
        ])
        .prop_map(Mutation::Leading),
    ]
}

/// Bodies for a family: its template (most often), any JSON, damaged JSON, arbitrary bytes.
fn shape(template: BoxedStrategy<Value>) -> impl Strategy<Value = Shape> {
    prop_oneof![
        5 => template.clone().prop_map(Shape::Json),
        1 => template.clone().prop_map(Shape::Escaped),
        1 => json().prop_map(Shape::Json),
        2 => (template, mutation()).prop_map(|(v, m)| Shape::Mutated(v, m)),
        1 => (vec(any::<u8>(), 0..256), weighted(0.5, (any::<usize>(), 0usize..3)))
            .prop_map(|(b, s)| Shape::Bytes(b, s)),
    ]
}

/// `s` as it appears in a URL query or a form body.
fn percent_encoded(s: &str) -> String {
    let pair = serde_urlencoded::to_string([("", s)]).unwrap();
    pair[1..].to_owned()
}

/// The placeholders of a text replaced by the call's secrets and token.
fn substitute(text: &str, secrets: &[String], token: &str) -> String {
    let mut out = text.replace("⟦T⟧", token);
    for i in 0..3 {
        let secret = &secrets[i % secrets.len()];
        out = out
            .replace(&format!("⟦S{i}⟧"), secret)
            .replace(&format!("⟦P{i}⟧"), &percent_encoded(secret));
    }
    out
}

fn substitute_value(v: &Value, secrets: &[String], token: &str) -> Value {
    match v {
        Value::String(s) => Value::String(substitute(s, secrets, token)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute_value(i, secrets, token))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        substitute(k, secrets, token),
                        substitute_value(v, secrets, token),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The body bytes of a shape, placeholders replaced.
fn render(shape: &Shape, secrets: &[String], token: &str) -> Vec<u8> {
    let json = |v: &Value| serde_json::to_vec(&substitute_value(v, secrets, token)).unwrap();
    match shape {
        Shape::Json(v) => json(v),
        Shape::Escaped(v) => php_escaped(&json(v)),
        Shape::Mutated(v, m) => {
            let mut body = json(v);
            match m {
                Mutation::Truncate(i) => body.truncate(at_most(*i, body.len())),
                Mutation::Replace(i, b) => {
                    if !body.is_empty() {
                        let i = i % body.len();
                        body[i] = *b;
                    }
                }
                Mutation::Insert(i, b) => body.insert(at_most(*i, body.len()), *b),
                Mutation::Trailing(t) => body.extend_from_slice(t),
                Mutation::Leading(l) => body.splice(0..0, l.iter().copied()).for_each(drop),
            }
            body
        }
        Shape::Bytes(bytes, splice) => {
            let mut body = bytes.clone();
            if let Some((i, which)) = splice {
                let secret = secrets[which % secrets.len()].as_bytes();
                let i = at_most(*i, body.len());
                body.splice(i..i, secret.iter().copied()).for_each(drop);
            }
            body
        }
    }
}

/// Serialized JSON with `/` written `\/` and non-ASCII characters as `\uXXXX` escapes (both
/// occur only inside strings, so the text stays the same JSON).
fn php_escaped(json: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(json).unwrap();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.into_bytes()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn at_most(i: usize, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        i % (len + 1)
    }
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => select(vec![400u16, 403, 404, 500, 502, 503]),
        1 => any::<u16>(),
    ]
}

fn secrets() -> impl Strategy<Value = Vec<String>> {
    vec(secret(), 1..=3)
}

// ---- The properties ----------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// `gettoken` answers: no panic; a token is a non-empty string with a bounded lifetime, read
    /// exactly as the model says; an error is a typed `TokenError` that shows neither the app
    /// secret nor the token it carried.
    #[test]
    fn token_answers(
        status in status(),
        app_secret in secret(),
        token in secret(),
        shape in shape(token_template()),
    ) {
        let secrets = vec![app_secret.clone()];
        let body = render(&shape, &secrets, &token);
        let known = [app_secret.as_str()];
        let read = read_token(status, &body, &Redactor::new(&known));
        let root = root_of(&body);
        let (min, max) = TOKEN_LIFETIME_BOUNDS;
        match &read {
            Ok(issued) => {
                prop_assert!(!issued.token.is_empty());
                prop_assert!(issued.lifetime >= min && issued.lifetime <= max, "{:?}", issued.lifetime);
                let root = root.as_ref();
                prop_assert!(is_one_object(&body));
                if let Some(root) = root {
                    prop_assert_eq!(root.get("errcode").and_then(model_i64), Some(0));
                    prop_assert_eq!(root.get("access_token").and_then(Value::as_str), Some(issued.token.expose()));
                    let expected = match root.get("expires_in").filter(|v| !v.is_null()) {
                        None => (DEFAULT_TOKEN_LIFETIME, true),
                        Some(v) => {
                            let s = model_f64(v).filter(|s| s.is_finite());
                            prop_assert!(s.is_some(), "a lifetime from {}", v);
                            let s = s.unwrap();
                            let bounded = s.clamp(min.as_secs_f64(), max.as_secs_f64());
                            (std::time::Duration::from_secs_f64(bounded), bounded != s)
                        }
                    };
                    prop_assert_eq!((issued.lifetime, issued.clamped), expected);
                }
            }
            Err(e) => {
                let mut hidden = known.to_vec();
                let carried = root.as_ref().and_then(|r| r.get("access_token")).and_then(Value::as_str);
                if carried == Some(token.as_str()) {
                    hidden.push(&token);
                }
                assert_hidden("Display", &e.to_string(), &hidden)?;
                assert_hidden("Debug", &format!("{e:?}"), &hidden)?;
                match e {
                    TokenError::Api { errcode, .. } => {
                        prop_assert_ne!(*errcode, 0);
                        if let Some(root) = &root {
                            prop_assert_eq!(root.get("errcode").and_then(model_i64), Some(*errcode));
                        }
                    }
                    TokenError::UnexpectedBody { status: s, .. } => {
                        prop_assert_eq!(*s, status);
                        if let Some(root) = &root {
                            let errcode = root.get("errcode").and_then(model_i64);
                            let token_ok = root.get("access_token").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
                            let lifetime_ok = root.get("expires_in").is_none_or(|v| {
                                v.is_null() || model_f64(v).is_some_and(f64::is_finite)
                            });
                            prop_assert!(
                                errcode != Some(0) || !token_ok || !lifetime_ok,
                                "a good answer refused: {}", String::from_utf8_lossy(&body)
                            );
                            prop_assert!(errcode.is_none() || errcode == Some(0));
                        }
                    }
                    other => prop_assert!(false, "read_token answered {:?}", other),
                }
            }
        }
    }

    /// oapi answers: a success needs `errcode` 0 (a number or a numeric string), or a partial
    /// code with a payload that fits; a nonzero code is that `DingTalk` error; anything without
    /// a numeric `errcode` is unexpected. Read into a typed payload, `IgnoredAny` and `Value`.
    #[test]
    fn oapi_answers(status in status(), secrets in secrets(), shape in shape(oapi_template())) {
        let body = render(&shape, &secrets, "Tok3n-unused");
        let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let redact = Redactor::new(&known);
        let root = root_of(&body);

        let typed = read_oapi::<OapiPayload, Codes>(status, &body, &redact);
        check_common(&typed, status, oapi_variants, &known)?;
        check_model(&typed, &body, root.as_ref().map(|r| expect_oapi(r, true)), Some(fits::<OapiPayload>(&body)))?;

        let ignored = read_oapi::<IgnoredAny, Codes>(status, &body, &redact);
        check_common(&ignored, status, oapi_variants, &known)?;
        check_model(&ignored, &body, root.as_ref().map(|r| expect_oapi(r, false)), None)?;

        let value = read_oapi::<Value, Codes>(status, &body, &redact);
        check_common(&value, status, oapi_variants, &known)?;
        check_model(&value, &body, root.as_ref().map(|r| expect_oapi(r, false)), None)?;
        if let (Ok(d), Some(root)) = (&value, &root) {
            prop_assert_eq!(&d.response, &Value::Object(root.clone()));
        }
    }

    /// TOP answers in both modes: `error_response` is `Top` (or unexpected when malformed), a
    /// nonzero root `errcode` is `DingTalk`, `result.success` false is `TopFailure`; without
    /// `simplify` a success needs the `<method>_response` wrapper.
    #[test]
    fn top_answers(
        status in status(),
        secrets in secrets(),
        simplify in any::<bool>(),
        shape in shape(top_template()),
    ) {
        let body = render(&shape, &secrets, "Tok3n-unused");
        let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let redact = Redactor::new(&known);
        let root = root_of(&body);
        // The payload's own text: the wrapper's, or the root's when simplified and unwrapped.
        let payload_text = root.as_ref().and_then(|r| match r.get(WRAPPER) {
            Some(w) => Some(serde_json::to_vec(w).unwrap()),
            None if simplify => Some(body.clone()),
            None => None,
        });
        let typed_fits = payload_text.map(|t| fits::<TopPayload>(&t));

        let typed = read_top::<TopPayload, Codes>(status, &body, METHOD, simplify, &redact);
        check_common(&typed, status, top_variants, &known)?;
        check_model(&typed, &body, root.as_ref().map(|r| expect_top(r, simplify, true)), typed_fits)?;
        if !simplify && typed.is_ok() {
            prop_assert!(contains(&body, WRAPPER.as_bytes()), "a success without the wrapper");
            if let Some(root) = &root {
                prop_assert!(root.get(WRAPPER).is_some_and(Value::is_object));
            }
        }

        let ignored = read_top::<IgnoredAny, Codes>(status, &body, METHOD, simplify, &redact);
        check_common(&ignored, status, top_variants, &known)?;
        check_model(&ignored, &body, root.as_ref().map(|r| expect_top(r, simplify, false)), None)?;

        let value = read_top::<Value, Codes>(status, &body, METHOD, simplify, &redact);
        check_common(&value, status, top_variants, &known)?;
        check_model(&value, &body, root.as_ref().map(|r| expect_top(r, simplify, false)), None)?;
        if let (Ok(d), Some(root)) = (&value, &root) {
            let expected = root.get(WRAPPER).cloned().unwrap_or_else(|| Value::Object(root.clone()));
            prop_assert_eq!(&d.response, &expected);
        }
    }

    /// ClassIn answers: a success needs `error_info.errno` 1 (a number or a numeric string), or
    /// a partial-success code with a payload that fits; another errno is that `ClassIn` error;
    /// a body without an `error_info` object holding a numeric errno is unexpected.
    #[test]
    fn classin_answers(status in status(), secrets in secrets(), shape in shape(classin_template())) {
        let body = render(&shape, &secrets, "Tok3n-unused");
        let known: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let redact = Redactor::new(&known);
        let root = root_of(&body);

        let typed = read_classin::<ClassInPayload, Codes>(status, &body, &redact);
        check_common(&typed, status, classin_variants, &known)?;
        check_model(&typed, &body, root.as_ref().map(|r| expect_classin(r, true)), Some(fits::<ClassInPayload>(&body)))?;

        let ignored = read_classin::<IgnoredAny, Codes>(status, &body, &redact);
        check_common(&ignored, status, classin_variants, &known)?;
        check_model(&ignored, &body, root.as_ref().map(|r| expect_classin(r, false)), None)?;

        let value = read_classin::<Value, Codes>(status, &body, &redact);
        check_common(&value, status, classin_variants, &known)?;
        check_model(&value, &body, root.as_ref().map(|r| expect_classin(r, false)), None)?;
    }
}

// ---- The model itself ----------------------------------------------------------------------------

/// The model agrees with the runtime on the documented examples, so a property failure points
/// at the runtime and not at the model.
#[test]
fn the_model_reads_the_documented_answers() {
    let root = |s: &str| root_of(s.as_bytes()).unwrap();
    assert_eq!(
        expect_oapi(
            &root(r#"{"errcode":0,"errmsg":"ok","result":{"deptId":1}}"#),
            false
        ),
        Expect::Ok { partial: None }
    );
    assert_eq!(
        expect_oapi(
            &root(r#"{"errcode":88,"sub_code":"60011","errmsg":"x"}"#),
            false
        ),
        Expect::DingTalk(88)
    );
    assert_eq!(
        expect_oapi(&root(r#"{"status":1111,"punish":"deny"}"#), false),
        Expect::Unexpected
    );
    assert_eq!(
        expect_top(
            &root(&format!(
                r#"{{"{WRAPPER}":{{"result":{{"success":false,"ding_open_errcode":40000}}}}}}"#
            )),
            false,
            false
        ),
        Expect::TopFailure(Some(40000))
    );
    assert_eq!(
        expect_top(
            &root(r#"{"error_response":{"code":50,"msg":"Remote service error"}}"#),
            false,
            false
        ),
        Expect::Top(50)
    );
    assert_eq!(
        expect_top(&root(r#"{"result":{"success":true}}"#), false, false),
        Expect::Unexpected
    );
    assert_eq!(
        expect_top(&root(r#"{"result":{"success":true}}"#), true, false),
        Expect::Ok { partial: None }
    );
    for gateway in [
        r#"{"code":"Throttling.User","message":"denied","request_id":"x"}"#,
        r#"{"status":1111,"wait":5,"punish":"deny"}"#,
        "{}",
    ] {
        assert_eq!(expect_top(&root(gateway), true, false), Expect::Unexpected);
    }
    assert_eq!(
        expect_classin(
            &root(r#"{"data":[],"error_info":{"errno":"1","error":"程序正常执行"}}"#),
            false
        ),
        Expect::Ok { partial: None }
    );
    assert_eq!(
        expect_classin(&root(r#"{"error_info":{"errno":841}}"#), false),
        Expect::Ok { partial: Some(841) }
    );
    assert_eq!(
        expect_classin(&root(r#"{"error_info":{"errno":102}}"#), false),
        Expect::ClassIn(102)
    );
    assert_eq!(
        expect_classin(&root(r#"{"data":[]}"#), false),
        Expect::Unexpected
    );
    assert_eq!(model_i64(&json!(" 841 ")), Some(841));
    assert_eq!(model_i64(&json!(1.5)), None);
    assert_eq!(model_i64(&json!(u64::MAX)), None);
    assert_eq!(model_bool(&json!("false")), Some(false));
    assert_eq!(model_bool(&json!(1.0)), None);
    assert!(!is_one_object(b"[1]") && !is_one_object(b"{} x") && is_one_object(b" {}"));
    assert!(!shown_in_debug(&format!("{:?}", "a\tok/en"), "tok/en"));
    assert!(shown_in_debug(&format!("{:?}", "a\\tok/en"), "tok/en"));
    assert!(shown_in_debug(&format!("{:?}", "a tok/en"), "tok/en"));
    assert_eq!(
        serde_json::from_slice::<Value>(&php_escaped(r#"{"a/b":"丁😀/"}"#.as_bytes())).unwrap(),
        json!({"a/b": "丁😀/"})
    );
    assert_eq!(php_escaped("\"/丁\"".as_bytes()), br#""\/\u4e01""#);
    // A placeholder becomes each form of its secret.
    let secrets = ["Ab1/+=".to_owned()];
    assert_eq!(
        substitute("⟦S0⟧ ⟦P0⟧ ⟦T⟧", &secrets, "Tok1"),
        "Ab1/+= Ab1%2F%2B%3D Tok1"
    );
}

// ---- Echoes written with JSON escapes -------------------------------------------------------------

/// A secret the body writes with JSON escapes (`\/`, as PHP's `json_encode` writes every `/`,
/// or `\uXXXX`) is scrubbed from the snippet like one written plainly. (Random bodies are
/// serialized by serde_json, which escapes neither, so this is checked here.)
#[test]
fn json_escaped_secrets_are_scrubbed_from_snippets() {
    let secret = "Sec/ret+Key=01";
    let escaped = r"Sec\/ret+Key=01";
    let known = [secret];
    let redact = Redactor::new(&known);
    let body = format!(r#"{{"status":1111,"punish":"deny","echo":"{escaped}"}}"#);
    let e = read_oapi::<IgnoredAny, Codes>(403, body.as_bytes(), &redact).unwrap_err();
    assert!(!e.to_string().contains(escaped), "{e}");
    let body = format!(r#"{{"data":1,"error_info":{{"errno":1,"error":"{escaped}"}}}}"#);
    let e = read_classin::<ClassInPayload, Codes>(200, body.as_bytes(), &redact).unwrap_err();
    assert!(!e.to_string().contains(escaped), "{e}");
    // The issued token, under a key written with an escape, is not scrubbed either.
    let body = br#"{"errcode":0,"access\u005ftoken":"Server\/Token-1","expires_in":"soon"}"#;
    let e = read_token(200, body, &Redactor::default()).unwrap_err();
    assert!(!e.to_string().contains(r"Server\/Token-1"), "{e}");
}

// ---- Cases the properties found, kept as regression tests ----------------------------------------

/// With `simplify`, a body whose wrapper reads well is still refused when the rest of it is not
/// JSON: trailing garbage, an HTML tail, or a body cut short (here in the middle of an
/// `error_response`) is `UnexpectedBody` in both modes.
#[test]
fn simplified_answers_are_refused_when_the_rest_of_the_body_is_not_json() {
    let wrapped = format!(r#"{{"{WRAPPER}":{{"result":{{"success":true}},"request_id":"r1"}}"#);
    for body in [
        format!("{wrapped}}} x"),
        format!("{wrapped}}}<html>"),
        format!(r#"{wrapped},"error_response":{{"code":7,"msg":"App Call Limited"#),
        format!(r#"{wrapped},"errcode":88,"errmsg":"no"#),
    ] {
        for simplify in [false, true] {
            let read = read_top::<IgnoredAny, Codes>(
                200,
                body.as_bytes(),
                METHOD,
                simplify,
                &Redactor::default(),
            );
            assert!(
                matches!(read, Err(Error::UnexpectedBody { .. })),
                "simplify={simplify} {body}: {:?}",
                read.map(|d| d.request_id)
            );
        }
    }
}

/// With `simplify`, a wrapped answer is read from the wrapper whatever the root holds besides
/// it: a root field the payload type would refuse, before or after the wrapper, changes nothing.
#[test]
fn simplified_wrapped_answers_do_not_depend_on_key_order() {
    let inner = r#"{"result":{"success":true},"request_id":"r1"}"#;
    let before = format!(r#"{{"result":"x","{WRAPPER}":{inner}}}"#);
    let after = format!(r#"{{"{WRAPPER}":{inner},"result":"x"}}"#);
    let read = |body: &str| {
        read_top::<TopPayload, Codes>(200, body.as_bytes(), METHOD, true, &Redactor::default())
            .map(|d| d.response.result.and_then(|r| r.success))
    };
    assert_eq!(read(&after).unwrap(), Some(true));
    assert_eq!(read(&before).unwrap(), Some(true), "{before}");
}

/// A body whose scrubbing shrinks it (a long credential-named value becomes `***`) so far that
/// the snippet's kept characters reach the end of its input window, where the window cuts a
/// secret: `body` with the secret's first `shown` bytes inside the window.
fn body_cutting(secret_in_body: &str, secret_len: usize, shown: usize) -> String {
    // The window the runtime reads: the kept characters at four bytes each, four more, and the
    // longest secret (percent-encoded) or 512 bytes.
    let window = SNIPPET_CHARS * 4 + 4 + (secret_len * 3).max(512);
    let mut body = format!(
        r#"{{"status":1111,"url":"/x?access_token={}"#,
        "t".repeat(1400)
    );
    body.push_str(r#"","echo":""#);
    body.push_str(&"y".repeat(window - shown - body.len()));
    body.push_str(secret_in_body);
    body.push_str(r#""}"#);
    body
}

/// A secret cut by the snippet's input window leaves no prefix behind, however far scrubbing
/// shrank the text before it.
#[test]
fn a_secret_cut_by_the_snippet_window_leaves_no_prefix() {
    let secret = "Prefix0Leak-abcdefghijklmnopqrst";
    let known = [secret];
    let redact = Redactor::new(&known);
    for shown in [4, 16, secret.len() - 1] {
        let body = body_cutting(secret, secret.len(), shown);
        let e = read_oapi::<IgnoredAny, Codes>(403, body.as_bytes(), &redact).unwrap_err();
        let text = e.to_string();
        assert!(!text.contains(&secret[..4]), "{text}");
    }
}

/// The same, with the secret written as PHP's `json_encode` writes it (`/` as `\/`) and the
/// window cutting that escape in two: the text then ends with `Prefix0Leak-abcdefghij\`, a
/// prefix of the secret only once the half escape is set aside, and that prefix is not shown.
#[test]
fn a_secret_cut_inside_an_escape_by_the_snippet_window_leaves_no_prefix() {
    let secret = "Prefix0Leak-abcdefghij/klmnopqrst";
    let escaped = secret.replace('/', "\\/");
    let known = [secret];
    let redact = Redactor::new(&known);
    let shown = escaped.find('\\').unwrap() + 1;
    let body = body_cutting(&escaped, secret.len(), shown);
    let e = read_oapi::<IgnoredAny, Codes>(403, body.as_bytes(), &redact).unwrap_err();
    let text = e.to_string();
    assert!(!text.contains(&secret[..4]), "{text}");
}

// ---- Cases fuzzing found, kept as regression tests --------------------------------------------------

/// An optional nested object read with `ObjectOpt` is absent when it is `{}`, but a malformed
/// first key (an invalid escape, a raw control character) is an error: a body that is not JSON
/// is no success with the field absent.
#[test]
fn a_malformed_first_key_in_an_optional_object_is_not_json() {
    for body in [
        &br#"{"errcode":0,"result":{"a\q}}"#[..],
        b"{\"errcode\":0,\"result\":{\"a\x01}}",
    ] {
        assert!(!is_one_object(body));
        let read = read_oapi::<OapiPayload, Codes>(200, body, &Redactor::default());
        assert!(
            matches!(read, Err(Error::UnexpectedBody { .. })),
            "{}: {:?}",
            String::from_utf8_lossy(body),
            read.map(|d| d.response)
        );
        let body = [
            br#"{"data":[],"error_info":{"errno":1},"result":"#,
            &body[22..],
        ]
        .concat();
        let read =
            read_classin::<ClassInPayloadWithObject, Codes>(200, &body, &Redactor::default());
        assert!(
            matches!(read, Err(Error::UnexpectedBody { .. })),
            "{}: {:?}",
            String::from_utf8_lossy(&body),
            read.map(|d| d.response)
        );
    }
}

/// A secret holding a backslash or a quote, echoed JSON-escaped (`\\`, `\"`) in a body the
/// error keeps a snippet of, is scrubbed in that escaped form too. (Issued tokens and app secrets
/// do not hold these characters; a password or a caller-chosen secret may.)
#[test]
fn json_escaped_secrets_with_backslashes_or_quotes_are_scrubbed_from_snippets() {
    for secret in [r"Pass\word-1234", r#"Pass"word-1234"#] {
        let escaped = serde_json::to_string(secret).unwrap();
        let escaped = &escaped[1..escaped.len() - 1];
        let known = [secret];
        let body = format!(r#"{{"status":1111,"punish":"deny","echo":"{escaped}"}}"#);
        let e = read_oapi::<IgnoredAny, Codes>(403, body.as_bytes(), &Redactor::new(&known))
            .unwrap_err();
        assert!(!e.to_string().contains(escaped), "{e}");
    }
}

wire_struct!(ClassInPayloadWithObject {
    data: Option<Vec<ClassInItem>> = "data" => ListOpt::new(),
    result: Option<PeriodResult> = "result" => ObjectOpt::new(),
} required []);
