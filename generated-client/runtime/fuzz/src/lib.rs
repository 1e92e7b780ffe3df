//! What the envelope fuzz targets share: payload types shaped as the generator emits them, an
//! error-code table with partial successes, the secrets a body may echo, and the checks every
//! outcome must pass.
//!
//! The checks are cheap: the variants a family may answer with, no secret in an error's
//! `Display` or `Debug`, a body that is not one JSON object never read as anything but
//! `UnexpectedBody`, and, only for the rare successes, the envelope's code read back from the
//! body with `serde_json::Value`.

use client_runtime::de::{FieldIndex, List, ListOpt, ObjectOpt, Scalar, ScalarOpt};
use client_runtime::envelope::Decoded;
use client_runtime::error::SNIPPET_CHARS;
use client_runtime::redact::Redactor;
use client_runtime::{CodeKind, Error, ErrorCode};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The call's secrets: an app secret, a token with URL-reserved characters, a ClassIn `safeKey`
/// and a TOP session. The seeds echo them in every text field.
pub const SECRETS: [&str; 4] = [
    "AppSecret-7f3a9c2e",
    "tok/en+1=K9",
    "2a8abf11be48acd1499a7d809aa35951",
    "Sess10n-Token-xyz",
];

/// The TOP method the `top_envelope` target reads answers of, and its wrapper key.
pub const METHOD: &str = "dingtalk.corp.extcontact.update";
pub const WRAPPER: &str = "dingtalk_corp_extcontact_update_response";

/// Partial successes the targets' code table knows.
pub const PARTIAL_CODES: [i64; 2] = [841, 135];

pub fn redactor() -> Redactor<'static> {
    Redactor::new(&SECRETS)
}

/// Error codes of a test endpoint: 841 and 135 are partial successes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Codes(pub i64);

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
            c if PARTIAL_CODES.contains(&c) => CodeKind::PartialSuccess,
            104 => CodeKind::Retryable,
            _ => CodeKind::Failure,
        }
    }
}

// ---- Payload types -----------------------------------------------------------------------------

/// A seed for a required field: `Some` of what `S` reads; a missing one is an error at the end.
pub struct Required<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Required<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

include!("../../tests/support/wire_struct.rs");

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
    campus_id: Option<i64> = "campus_id" => ScalarOpt::new(),
    grade: Option<i64> = "grade" => Required(Scalar::new()),
    name: Option<String> = "name" => ScalarOpt::new(),
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

// ---- Reading the body independently -------------------------------------------------------------

/// Whether the body is exactly one JSON object as the runtime's parser sees it (ignored parts
/// are only scanned: no depth limit, no UTF-8 check inside strings).
pub fn is_one_object(body: &[u8]) -> bool {
    let first = body.iter().find(|b| !b" \t\r\n".contains(b));
    first == Some(&b'{') && serde_json::from_slice::<IgnoredAny>(body).is_ok()
}

/// The root object, when the body parses as one into a `Value`.
pub fn root_of(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A code as the envelopes read it: an integer, an integral float in range, or a string holding
/// an integer (trimmed).
pub fn code_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64().filter(|_| n.is_f64())?;
            (f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

// ---- Checks ----------------------------------------------------------------------------------------

/// Panics when `text` shows a secret or `more`: as written, or JSON-escaped (`\\`, `\"`, control
/// characters), with or without `/` escaped as `\/`.
pub fn assert_hidden(what: &str, text: &str, more: Option<&str>) {
    for secret in SECRETS.iter().copied().chain(more) {
        if secret.chars().count() < 4 {
            continue;
        }
        let json = serde_json::to_string(secret).expect("a string serializes");
        let json = &json[1..json.len() - 1];
        let forms = [secret, json, &json.replace('/', "\\/")];
        let shows = |form: &str| {
            if what == "Debug" {
                shown_in_debug(text, form)
            } else {
                text.contains(form)
            }
        };
        assert!(
            !forms.iter().any(|form| shows(form)),
            "{what} shows {secret:?}: {text}"
        );
    }
}

/// Whether `Debug` output shows `secret`: an occurrence that starts inside one of `Debug`'s
/// escapes (`\t` before `ok/en`: a tab, then `ok/en`) is not the secret. An escape starts after
/// an odd run of backslashes; an even run is escaped backslashes, shown as text.
pub fn shown_in_debug(debug: &str, secret: &str) -> bool {
    debug.match_indices(secret).any(|(at, _)| {
        let run = debug[..at]
            .bytes()
            .rev()
            .take_while(|&b| b == b'\\')
            .count();
        run % 2 == 0
    })
}

/// The families' envelopes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Family {
    Oapi,
    Top { simplify: bool },
    ClassIn,
}

/// What an outcome says, reduced to compare two payload types' reads of one body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    Ok(Option<i64>),
    DingTalk(i64),
    Top(i64),
    TopFailure(Option<i64>),
    ClassIn(i64),
    Unexpected,
    Decode,
}

pub fn verdict<R, C: ErrorCode>(read: &Result<Decoded<R, C>, Error<C>>) -> Verdict {
    match read {
        Ok(d) => Verdict::Ok(d.partial.as_ref().map(|p| p.code.code())),
        Err(Error::DingTalk { errcode, .. }) => Verdict::DingTalk(*errcode),
        Err(Error::Top { code, .. }) => Verdict::Top(*code),
        Err(Error::TopFailure {
            ding_open_errcode, ..
        }) => Verdict::TopFailure(*ding_open_errcode),
        Err(Error::ClassIn { code, .. }) => Verdict::ClassIn(code.code()),
        Err(Error::UnexpectedBody { .. }) => Verdict::Unexpected,
        Err(Error::Decode { .. }) => Verdict::Decode,
        Err(other) => panic!("an envelope reader answered with {other:?}"),
    }
}

/// Every check of a typed and an `IgnoredAny` read of `body`, and that they agree.
pub fn check_reads<R, C: ErrorCode>(
    family: Family,
    status: u16,
    body: &[u8],
    typed: &Result<Decoded<R, C>, Error<C>>,
    ignored: &Result<Decoded<IgnoredAny, C>, Error<C>>,
) {
    let (t, i) = (verdict(typed), verdict(ignored));
    check(family, status, body, ignored);
    check(family, status, body, typed);
    check_same_envelope(t, i);
}

/// Every check of one read of `body`.
pub fn check<R, C: ErrorCode>(
    family: Family,
    status: u16,
    body: &[u8],
    read: &Result<Decoded<R, C>, Error<C>>,
) {
    let v = verdict(read);
    let allowed = match family {
        Family::Oapi => matches!(
            v,
            Verdict::Ok(_) | Verdict::DingTalk(_) | Verdict::Unexpected | Verdict::Decode
        ),
        Family::Top { .. } => !matches!(v, Verdict::ClassIn(_) | Verdict::Ok(Some(_))),
        Family::ClassIn => matches!(
            v,
            Verdict::Ok(_) | Verdict::ClassIn(_) | Verdict::Unexpected | Verdict::Decode
        ),
    };
    assert!(allowed, "{family:?} answered {v:?}");
    match read {
        Ok(d) => {
            if let Some(p) = &d.partial {
                assert_eq!(p.code.kind(), CodeKind::PartialSuccess);
                assert_hidden("a partial success's message", &p.message, None);
            }
            if let Some(id) = &d.request_id {
                assert_hidden("a request_id", id, None);
            }
        }
        Err(e) => {
            if let Error::UnexpectedBody { status: s, snippet }
            | Error::Decode {
                status: s, snippet, ..
            } = e
            {
                assert_eq!(*s, status);
                assert!(snippet.chars().count() <= SNIPPET_CHARS + 1, "{snippet}");
            }
            assert_hidden("Display", &e.to_string(), None);
            assert_hidden("Debug", &format!("{e:?}"), None);
        }
    }
    if !is_one_object(body) {
        assert_eq!(v, Verdict::Unexpected, "not one JSON object");
    }
    if let Verdict::Ok(partial) = v {
        check_success(family, body, partial);
    }
}

/// A success's envelope, read back from the body: oapi `errcode` 0, ClassIn `errno` 1, or the
/// partial code; TOP without `error_response` or a nonzero root `errcode`, and with its wrapper
/// unless simplified.
fn check_success(family: Family, body: &[u8], partial: Option<i64>) {
    let Some(root) = root_of(body) else {
        return; // valid JSON the `Value` parser refuses (depth, a lone surrogate when ignored)
    };
    let code = match family {
        Family::Oapi => root.get("errcode").and_then(code_of),
        Family::ClassIn => match root.get("error_info") {
            Some(Value::Object(info)) => info.get("errno").and_then(code_of),
            _ => None,
        },
        Family::Top { simplify } => {
            assert!(!root.contains_key("error_response"));
            assert!(root.get("errcode").and_then(code_of).is_none_or(|c| c == 0));
            match root.get(WRAPPER) {
                Some(w) => assert!(w.is_object()),
                None => assert!(simplify, "a success without the wrapper"),
            }
            return;
        }
    };
    let success = if family == Family::Oapi { 0 } else { 1 };
    match partial {
        None => assert_eq!(code, Some(success), "a success with code {code:?}"),
        Some(p) => assert_eq!(code, Some(p)),
    }
}

/// The envelope decides, not the payload type: a typed payload answers what `IgnoredAny` does,
/// or `Decode` where that succeeded, or the partial code as an error where its payload did not
/// fit.
pub fn check_same_envelope(typed: Verdict, ignored: Verdict) {
    let consistent = match (typed, ignored) {
        (t, i) if t == i => true,
        (Verdict::Decode, Verdict::Ok(None)) => true,
        (Verdict::DingTalk(c) | Verdict::ClassIn(c), Verdict::Ok(Some(p))) => c == p,
        _ => false,
    };
    assert!(consistent, "typed {typed:?}, ignored {ignored:?}");
}
