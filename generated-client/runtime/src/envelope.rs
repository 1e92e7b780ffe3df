//! Reading each family's envelope and the typed payload straight from the body bytes.
//!
//! Envelopes are strict, payloads tolerant. A body that is not the family's envelope (oapi
//! without `errcode`, TOP without `<method>_response` or `error_response`, ClassIn without
//! `error_info`, anything that is not one JSON object) is [`Error::UnexpectedBody`], never a
//! success. Inside a success envelope the payload is read by its own tolerant `Deserialize`.
//!
//! No `serde_json::Value` is built: the payload type reads the body in one pass while the
//! envelope's keys are *tapped* on the way (a value the payload reads is noted as the JSON reader
//! hands it over, strings borrowed from the body; one it skips is kept as raw text, borrowed too,
//! and parsed only when the envelope asks for it), so decoding needs no memory beyond the typed
//! result, whatever the body holds.
//! Only when the payload does not fit is the body read a second time, for the envelope alone,
//! to tell an error answer from a malformed one.
//!
//! Every text taken from the server into an error passes through the call's [`Redactor`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::de::Lenient;
use crate::endpoint::{CodeKind, ErrorCode};
use crate::error::{Error, TokenError};
use crate::json_path;
use crate::redact::Redactor;
use crate::secret::Secret;

/// A call-level code the endpoint's spec marks as a partial success: the work was done, the
/// payload was read, and the caller is told what else happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial<C> {
    /// The typed code, for example ClassIn 135 "already registered".
    pub code: C,
    /// The server's message (credentials scrubbed).
    pub message: String,
}

/// A success envelope's payload and what the envelope said about it.
#[derive(Debug)]
pub struct Decoded<R, C> {
    /// The typed payload.
    pub response: R,
    /// The server's `request_id`, when it sent one.
    pub request_id: Option<String>,
    /// Set when the call-level code is a partial success.
    pub partial: Option<Partial<C>>,
}

impl<R, C> Decoded<R, C> {
    fn ok(response: R, request_id: Option<String>) -> Self {
        Decoded {
            response,
            request_id,
            partial: None,
        }
    }
}

/// The error for a body that is not the family's envelope.
fn unexpected<C: ErrorCode>(status: u16, body: &[u8], redact: &Redactor<'_>) -> Error<C> {
    Error::UnexpectedBody {
        status,
        snippet: redact.snippet(body),
    }
}

/// A payload that did not fit: serde_json's error after the path of the value it stopped at
/// ([`json_path`]), found only here, when the error is kept.
fn decode_error<C: ErrorCode>(
    status: u16,
    body: &[u8],
    error: &serde_json::Error,
    redact: &Redactor<'_>,
) -> Error<C> {
    let message = match json_path::of_error(body, error) {
        Some(path) => format!("{path}: {error}"),
        None => error.to_string(),
    };
    Error::Decode {
        status,
        message: redact.text(&message),
        snippet: redact.snippet(body),
    }
}

/// Read a DingTalk oapi answer: `errcode` 0 is success and the whole body is the payload; another
/// `errcode` is [`Error::DingTalk`] (or a partial success, when the endpoint's code table says
/// so); a body without `errcode` is unexpected.
pub fn read_oapi<R, C>(
    status: u16,
    body: &[u8],
    redact: &Redactor<'_>,
) -> Result<Decoded<R, C>, Error<C>>
where
    R: for<'de> Deserialize<'de>,
    C: ErrorCode,
{
    const KEYS: [Tap<'static>; 5] = [
        Tap::root("errcode"),
        Tap::root("errmsg"),
        Tap::root("sub_code"),
        Tap::root("sub_msg"),
        Tap::root("request_id"),
    ];
    let mut taps = Taps::new(KEYS);
    let payload = tapped::<R, 5>(body, &mut taps);
    let envelope = match payload {
        Ok(_) if taps.observed() => taps,
        _ => envelope_alone(body, KEYS).ok_or_else(|| unexpected(status, body, redact))?,
    };
    let Some(errcode) = envelope.get("errcode").lenient::<i64>() else {
        return Err(unexpected(status, body, redact));
    };
    let request_id = redact.opt(envelope.get("request_id").text());
    if errcode != 0 {
        let errmsg = redact.text(&envelope.get("errmsg").text().unwrap_or_default());
        let code = C::from_code(errcode);
        if let (CodeKind::PartialSuccess, Ok(response)) = (code.kind(), payload) {
            return Ok(Decoded {
                response,
                request_id,
                partial: Some(Partial {
                    code,
                    message: errmsg,
                }),
            });
        }
        return Err(Error::DingTalk {
            errcode,
            errmsg,
            sub_code: redact.opt(envelope.get("sub_code").text()),
            sub_msg: redact.opt(envelope.get("sub_msg").text()),
            request_id,
        });
    }
    match payload {
        Ok(response) => Ok(Decoded::ok(response, request_id)),
        Err(e) => Err(decode_error(status, body, &e, redact)),
    }
}

/// Read a TOP router answer for `method`.
///
/// `error_response` is [`Error::Top`]; a root `errcode` other than 0 is [`Error::DingTalk`]; the
/// payload is the object under `<method with dots as _>_response`. With `simplify` the router
/// leaves that wrapper out and the root is the payload (a wrapped answer is read too); without
/// it, a body with neither the wrapper nor `error_response` is unexpected. A payload whose
/// `result.success` is false is [`Error::TopFailure`].
pub fn read_top<R, C>(
    status: u16,
    body: &[u8],
    method: &str,
    simplify: bool,
    redact: &Redactor<'_>,
) -> Result<Decoded<R, C>, Error<C>>
where
    R: for<'de> Deserialize<'de>,
    C: ErrorCode,
{
    let wrapper = format!("{}_response", method.replace('.', "_"));
    let mut root = Taps::new(TOP_ROOT);
    let mut inner = Taps::new(TOP_PAYLOAD);
    let payload = if simplify {
        top_simplified::<R>(body, &wrapper, &mut root, &mut inner)
    } else {
        top_root::<R>(body, &wrapper, &mut root, &mut inner)
    };
    if payload.is_err() || !(root.observed() && inner.observed()) {
        // Read the envelope alone: an error answer whose payload could not be read is still
        // an error answer.
        root = Taps::new(TOP_ROOT);
        inner = Taps::new(TOP_PAYLOAD);
        let alone = if simplify {
            top_simplified::<IgnoredAny>(body, &wrapper, &mut root, &mut inner)
        } else {
            top_root::<IgnoredAny>(body, &wrapper, &mut root, &mut inner)
        };
        if alone.is_err() {
            return Err(unexpected(status, body, redact));
        }
    }
    let error = root.get("error_response");
    if error.is_present() {
        let code = match error {
            Tapped::Object => root.get("error_response.code").lenient::<i64>(),
            _ => None,
        };
        let Some(code) = code else {
            return Err(unexpected(status, body, redact));
        };
        let request_id = match root.get("error_response.request_id") {
            Tapped::Absent => root.get("request_id"),
            inside => inside,
        };
        return Err(Error::Top {
            code,
            msg: redact.text(&root.get("error_response.msg").text().unwrap_or_default()),
            sub_code: redact.opt(root.get("error_response.sub_code").text()),
            sub_msg: redact.opt(root.get("error_response.sub_msg").text()),
            request_id: redact.opt(request_id.text()),
        });
    }
    if let Some(errcode) = root.get("errcode").lenient::<i64>() {
        if errcode != 0 {
            return Err(Error::DingTalk {
                errcode,
                errmsg: redact.text(&root.get("errmsg").text().unwrap_or_default()),
                sub_code: redact.opt(root.get("sub_code").text()),
                sub_msg: redact.opt(root.get("sub_msg").text()),
                request_id: redact.opt(root.get("request_id").text()),
            });
        }
    }
    // Without the wrapper (and not simplified) this is no TOP answer.
    if matches!(payload, Ok(None)) || !inner.object {
        return Err(unexpected(status, body, redact));
    }
    let request_id = redact.opt(inner.get("request_id").text());
    if matches!(inner.get("result"), Tapped::Object)
        && inner.get("result.success").lenient::<bool>() == Some(false)
    {
        return Err(Error::TopFailure {
            ding_open_errcode: inner.get("result.ding_open_errcode").lenient::<i64>(),
            error_msg: redact.opt(inner.get("result.error_msg").text()),
            request_id,
        });
    }
    match payload {
        Ok(Some(response)) => Ok(Decoded::ok(response, request_id)),
        Ok(None) => Err(unexpected(status, body, redact)),
        Err(e) => Err(decode_error(status, body, &e, redact)),
    }
}

/// Keys of a TOP answer's root object that say how the call went.
const TOP_ROOT: [Tap<'static>; 11] = [
    Tap::root("error_response"),
    Tap::root("errcode"),
    Tap::root("errmsg"),
    Tap::root("sub_code"),
    Tap::root("sub_msg"),
    Tap::root("request_id"),
    Tap::inside(0, "error_response.code"),
    Tap::inside(0, "error_response.msg"),
    Tap::inside(0, "error_response.sub_code"),
    Tap::inside(0, "error_response.sub_msg"),
    Tap::inside(0, "error_response.request_id"),
];

/// Keys of a TOP payload that the runtime reads besides the payload type.
const TOP_PAYLOAD: [Tap<'static>; 5] = [
    Tap::root("result"),
    Tap::root("request_id"),
    Tap::inside(0, "result.success"),
    Tap::inside(0, "result.ding_open_errcode"),
    Tap::inside(0, "result.error_msg"),
];

/// Read a ClassIn v1 answer: `error_info.errno` (a number or a string) 1 is success and the whole
/// body is the payload; a code the endpoint marks as a partial success returns the payload with
/// it; any other errno is [`Error::ClassIn`]; a body without `error_info` is unexpected.
pub fn read_classin<R, C>(
    status: u16,
    body: &[u8],
    redact: &Redactor<'_>,
) -> Result<Decoded<R, C>, Error<C>>
where
    R: for<'de> Deserialize<'de>,
    C: ErrorCode,
{
    const KEYS: [Tap<'static>; 3] = [
        Tap::root("error_info"),
        Tap::inside(0, "error_info.errno"),
        Tap::inside(0, "error_info.error"),
    ];
    let mut taps = Taps::new(KEYS);
    let payload = tapped::<R, 3>(body, &mut taps);
    let envelope = match payload {
        Ok(_) if taps.observed() => taps,
        _ => envelope_alone(body, KEYS).ok_or_else(|| unexpected(status, body, redact))?,
    };
    let errno = match envelope.get("error_info") {
        Tapped::Object => envelope.get("error_info.errno").lenient::<i64>(),
        _ => None,
    };
    let Some(errno) = errno else {
        return Err(unexpected(status, body, redact));
    };
    if errno != 1 {
        let code = C::from_code(errno);
        let message = redact.text(&envelope.get("error_info.error").text().unwrap_or_default());
        if let (CodeKind::PartialSuccess, Ok(response)) = (code.kind(), payload) {
            return Ok(Decoded {
                response,
                request_id: None,
                partial: Some(Partial { code, message }),
            });
        }
        return Err(Error::ClassIn { code, message });
    }
    match payload {
        Ok(response) => Ok(Decoded::ok(response, None)),
        Err(e) => Err(decode_error(status, body, &e, redact)),
    }
}

/// The shortest and longest lifetime a fetched access token is given, whatever `expires_in`
/// says. DingTalk documents 7,200 seconds.
pub const TOKEN_LIFETIME_BOUNDS: (Duration, Duration) =
    (Duration::from_secs(60), Duration::from_secs(24 * 3600));

/// The lifetime of a token whose answer has no `expires_in`.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// An access token read from a `gettoken` answer.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token.
    pub token: Secret,
    /// How long it lives, `expires_in` clamped to [`TOKEN_LIFETIME_BOUNDS`].
    pub lifetime: Duration,
    /// Whether `expires_in` was outside the bounds (or absent) and was replaced.
    pub clamped: bool,
}

/// Read a `gettoken` answer: `{"errcode":0,"access_token":"...","expires_in":7200}`.
///
/// A non-zero `errcode` is [`TokenError::Api`]. Anything else that is not a non-empty string
/// `access_token` with a numeric (or absent) `expires_in` is [`TokenError::UnexpectedBody`],
/// its snippet scrubbed of the token and of every credential-named key.
pub fn read_token(
    status: u16,
    body: &[u8],
    redact: &Redactor<'_>,
) -> Result<IssuedToken, TokenError> {
    let mut taps = Taps::new([
        Tap::root("errcode"),
        Tap::root("errmsg"),
        Tap::root("access_token"),
        Tap::root("expires_in"),
        Tap::root("request_id"),
    ]);
    let read = tapped::<IgnoredAny, 5>(body, &mut taps);
    let token = taps.get("access_token").string();
    let issued = [token.as_deref().unwrap_or("")];
    let scrub = redact.with(&issued);
    let unexpected = |reason: &str| TokenError::UnexpectedBody {
        status,
        snippet: format!("{reason}: {}", scrub.snippet(body)),
    };
    if read.is_err() || !taps.object {
        return Err(unexpected("not a JSON object"));
    }
    let Some(errcode) = taps.get("errcode").lenient::<i64>() else {
        return Err(unexpected("no numeric errcode"));
    };
    if errcode != 0 {
        return Err(TokenError::Api {
            errcode,
            errmsg: scrub.text(&taps.get("errmsg").text().unwrap_or_default()),
            request_id: scrub.opt(taps.get("request_id").text()),
        });
    }
    let Some(token) = token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(unexpected("no access_token string"));
    };
    let (lifetime, clamped) = match taps.get("expires_in") {
        absent if !absent.is_present() || absent.is_null() => (DEFAULT_TOKEN_LIFETIME, true),
        given => {
            let Some(seconds) = given.lenient::<f64>().filter(|s| s.is_finite()) else {
                return Err(unexpected("expires_in is not a number"));
            };
            let (min, max) = TOKEN_LIFETIME_BOUNDS;
            let bounded = seconds.clamp(min.as_secs_f64(), max.as_secs_f64());
            (Duration::from_secs_f64(bounded), bounded != seconds)
        }
    };
    Ok(IssuedToken {
        token: Secret::new(token.to_owned()),
        lifetime,
        clamped,
    })
}

// ---- Tapping: reading an object's payload while noting some keys' values ----------------------

/// What a tapped key held, as the JSON reader handed it to the payload on the way.
#[derive(Clone, Default)]
enum Tapped<'de> {
    /// The key was not in its object.
    #[default]
    Absent,
    /// The key was there, but the payload read its value in a way that does not show it (as
    /// an enum, as a `RawValue`): the envelope is then read again on its own.
    Unobserved,
    /// A value the payload skipped, as it is in the body: parsed when asked for, as leniently
    /// as the reader that skipped it (a string with a lone surrogate escape, a number out of
    /// range, fail only the value asked for, not the whole answer).
    Raw(&'de RawValue),
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    /// A string, borrowed from the body unless it had escapes.
    Text(Cow<'de, str>),
    List,
    Object,
}

impl<'de> Tapped<'de> {
    /// Whether the key was in its object, whatever its value.
    fn is_present(&self) -> bool {
        !matches!(self, Tapped::Absent)
    }

    /// Whether the value is `null`.
    fn is_null(&self) -> bool {
        match self {
            Tapped::Null => true,
            Tapped::Raw(raw) => raw.get() == "null",
            _ => false,
        }
    }

    /// The value read leniently as `T`, as the payload's own fields are: a number or a string
    /// holding one, a boolean or `0`/`1`/`"true"`..., a string or a number or boolean as text.
    /// `None` when absent, `null`, a list, an object, or not a `T`.
    fn lenient<T: Lenient>(&self) -> Option<T> {
        match self {
            Tapped::Absent | Tapped::Unobserved | Tapped::List | Tapped::Object => None,
            Tapped::Raw(raw) => {
                T::deserialize_lenient(&mut serde_json::Deserializer::from_str(raw.get())).ok()
            }
            scalar => T::deserialize_lenient(scalar).ok(),
        }
    }

    /// A string, or a number or boolean as text.
    fn text(&self) -> Option<String> {
        self.lenient()
    }

    /// A JSON string, nothing else taken for one.
    fn string(&self) -> Option<Cow<'de, str>> {
        match self {
            Tapped::Text(text) => Some(text.clone()),
            Tapped::Raw(raw) => {
                String::deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
                    .ok()
                    .map(Cow::Owned)
            }
            _ => None,
        }
    }
}

/// A tapped value that did not fit the type it was read as: only whether it fit is wanted, so
/// nothing is formatted.
#[derive(Debug)]
struct Unfit;

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the tapped value does not fit")
    }
}

impl std::error::Error for Unfit {}

impl de::Error for Unfit {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unfit
    }
}

/// Replays a tapped scalar to a visitor as the JSON reader did.
impl<'de> Deserializer<'de> for &Tapped<'_> {
    type Error = Unfit;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Tapped::Null => visitor.visit_unit(),
            Tapped::Bool(v) => visitor.visit_bool(*v),
            Tapped::Unsigned(v) => visitor.visit_u64(*v),
            Tapped::Signed(v) => visitor.visit_i64(*v),
            Tapped::Float(v) => visitor.visit_f64(*v),
            Tapped::Text(v) => visitor.visit_str(v),
            Tapped::Absent
            | Tapped::Unobserved
            | Tapped::Raw(_)
            | Tapped::List
            | Tapped::Object => Err(Unfit),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// One tapped key.
#[derive(Clone, Copy)]
struct Tap<'k> {
    /// Its path from the root object, `.` between names: `"error_info.errno"`.
    path: &'k str,
    /// Its name inside its object: `"errno"`.
    name: &'k str,
    /// The tap whose object value holds it; `None` for the root object.
    within: Option<usize>,
}

impl<'k> Tap<'k> {
    /// A key of the root object.
    const fn root(name: &'k str) -> Self {
        Tap {
            path: name,
            name,
            within: None,
        }
    }

    /// A key inside the object value of the tap at `within` (which comes earlier in the same
    /// list), named by its path.
    const fn inside(within: usize, path: &'k str) -> Self {
        let bytes = path.as_bytes();
        let mut at = bytes.len();
        while at > 0 && bytes[at - 1] != b'.' {
            at -= 1;
        }
        let name = match std::str::from_utf8(bytes.split_at(at).1) {
            Ok(name) => name,
            Err(_) => panic!("a path splits at `.`, a character boundary"),
        };
        Tap {
            path,
            name,
            within: Some(within),
        }
    }
}

/// Keys whose values are noted while a payload type reads the same object.
///
/// A value the payload reads is noted as the payload's reader passes it on; one the payload
/// skips is kept as raw text and parsed only when asked for (see [`Tapped::Raw`]). No value is
/// replayed to the payload.
struct Taps<'k, 'de, const N: usize> {
    taps: [Tap<'k>; N],
    values: [Tapped<'de>; N],
    /// Whether the value read was an object.
    object: bool,
}

impl<'k, 'de, const N: usize> Taps<'k, 'de, N> {
    fn new(taps: [Tap<'k>; N]) -> Self {
        debug_assert!(taps.iter().enumerate().all(|(i, tap)| tap
            .within
            .is_none_or(|w| w < i && tap.path.starts_with(taps[w].path))));
        Taps {
            taps,
            values: std::array::from_fn(|_| Tapped::Absent),
            object: false,
        }
    }

    /// The value noted for `path` (absent when `path` is not tapped).
    fn get(&self, path: &str) -> &Tapped<'de> {
        const ABSENT: &Tapped<'_> = &Tapped::Absent;
        match self.taps.iter().position(|tap| tap.path == path) {
            Some(i) => &self.values[i],
            None => ABSENT,
        }
    }

    /// The tapped key `name` inside the object value of `within` (the root when `None`).
    fn index(&self, within: Option<usize>, name: &str) -> Option<usize> {
        self.taps
            .iter()
            .position(|tap| tap.within == within && tap.name == name)
    }

    /// Whether some key is tapped inside the value of key `i`.
    fn holds_taps(&self, i: usize) -> bool {
        self.taps.iter().any(|tap| tap.within == Some(i))
    }

    /// Key `i` was met: it is unobserved until the payload's reader passes its value on, and
    /// what was noted inside an earlier value of the same key is forgotten.
    fn meet(&mut self, i: usize) {
        self.values[i] = Tapped::Unobserved;
        for j in i + 1..N {
            let mut up = self.taps[j].within;
            while let Some(k) = up {
                if k == i {
                    self.values[j] = Tapped::Absent;
                    break;
                }
                up = self.taps[k].within;
            }
        }
    }

    /// Read the values the payload skipped that hold tapped keys (kept raw, see
    /// [`Tapped::Raw`]) for those keys, outer ones first. A value that is no object keeps
    /// nothing inside.
    fn resolve(&mut self) {
        for i in 0..N {
            let Tapped::Raw(raw) = self.values[i] else {
                continue;
            };
            if !self.holds_taps(i) {
                continue;
            }
            let mut json = serde_json::Deserializer::from_str(raw.get());
            let read = (&mut json).deserialize_map(TeeVisitor {
                inner: IgnoredAny,
                taps: &mut *self,
                index: i,
            });
            if read.is_err() {
                self.meet(i);
                self.values[i] = Tapped::Raw(raw);
            }
        }
    }

    /// Whether every key met was seen as the payload read it.
    fn observed(&self) -> bool {
        !self.values.iter().any(|v| matches!(v, Tapped::Unobserved))
    }
}

/// Read `body` into `R`, noting the values of the `taps` keys. The error carries where the read
/// stopped, from which [`decode_error`] names the path of the value that did not fit.
fn tapped<'de, R: Deserialize<'de>, const N: usize>(
    body: &'de [u8],
    taps: &mut Taps<'_, 'de, N>,
) -> Result<R, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let read = R::deserialize(Tapping {
        inner: &mut json,
        taps: &mut *taps,
    })
    .and_then(|r| json.end().map(|()| r));
    taps.resolve();
    read
}

/// The envelope alone, its payload skipped; `None` when the body is not JSON.
fn envelope_alone<'k, 'de, const N: usize>(
    body: &'de [u8],
    keys: [Tap<'k>; N],
) -> Option<Taps<'k, 'de, N>> {
    let mut taps = Taps::new(keys);
    tapped::<IgnoredAny, N>(body, &mut taps).ok()?;
    Some(taps)
}

/// A TOP root object read in one pass: the wrapper's value is read into `R` (its `result` and
/// `request_id` tapped into `inner`), the envelope keys are tapped into `root`, everything else
/// is skipped. `Ok(None)` when there is no wrapper. As in [`tapped`], the error carries where
/// the read stopped (its path runs from the root: `<wrapper>.result.x`).
fn top_root<'de, R: Deserialize<'de>>(
    body: &'de [u8],
    wrapper: &str,
    root: &mut Taps<'_, 'de, 11>,
    inner: &mut Taps<'_, 'de, 5>,
) -> Result<Option<R>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let seed = TopRoot::<R> {
        wrapper,
        root: &mut *root,
        inner: &mut *inner,
        _payload: PhantomData,
    };
    let read = seed
        .deserialize(&mut json)
        .and_then(|r| json.end().map(|()| r));
    root.resolve();
    inner.resolve();
    read
}

/// A simplified TOP answer (`simplify=true`): the root is the payload. A wrapped answer is read
/// too, as [`top_root`] reads it.
///
/// A root without `result` or `request_id`, or shaped like a gateway's error (`code` with
/// `msg` or `message`, no `result`), is not taken for a payload: `inner.object` stays false.
fn top_simplified<'de, R: Deserialize<'de>>(
    body: &'de [u8],
    wrapper: &str,
    root: &mut Taps<'_, 'de, 11>,
    inner: &mut Taps<'_, 'de, 5>,
) -> Result<Option<R>, serde_json::Error> {
    // The root's envelope keys first, in `TOP_ROOT`'s places, then `result` and what is read
    // inside it, in `TOP_PAYLOAD`'s order, then the keys that tell a gateway's error.
    const RESULT: usize = TOP_ROOT.len();
    let [e, c, m, sc, sm, id, ec, em, esc, esm, eid] = TOP_ROOT;
    let keys = [
        e,
        c,
        m,
        sc,
        sm,
        id,
        ec,
        em,
        esc,
        esm,
        eid,
        Tap::root("result"),
        Tap::inside(RESULT, "result.success"),
        Tap::inside(RESULT, "result.ding_open_errcode"),
        Tap::inside(RESULT, "result.error_msg"),
        Tap::root("code"),
        Tap::root("msg"),
        Tap::root("message"),
        Tap::root(wrapper),
    ];
    let mut all = Taps::new(keys);
    let read = tapped::<R, 19>(body, &mut all);
    if read.is_err() || !all.observed() || all.get(wrapper).is_present() {
        // The root did not read as the payload, or the answer is wrapped after all: read the
        // root again for its envelope keys alone (the wrapper may come after a field the
        // payload type refuses). A body that is not one JSON object fails here, whatever
        // follows the wrapper.
        all = Taps::new(keys);
        tapped::<IgnoredAny, 19>(body, &mut all)?;
        if all.get(wrapper).is_present() {
            return top_root(body, wrapper, root, inner);
        }
    }
    root.object = all.object;
    for (to, from) in root.values.iter_mut().zip(&mut all.values) {
        *to = std::mem::take(from);
    }
    let result = std::mem::take(&mut all.values[RESULT]);
    let gateway_error = all.get("code").is_present()
        && (all.get("msg").is_present() || all.get("message").is_present());
    inner.object = all.object
        && (result.is_present() || root.get("request_id").is_present())
        && (result.is_present() || !gateway_error);
    inner.values = [
        result,
        root.get("request_id").clone(),
        std::mem::take(&mut all.values[RESULT + 1]),
        std::mem::take(&mut all.values[RESULT + 2]),
        std::mem::take(&mut all.values[RESULT + 3]),
    ];
    read.map(Some)
}

struct TopRoot<'a, 'k, 'l, 'de, R> {
    wrapper: &'a str,
    root: &'a mut Taps<'k, 'de, 11>,
    inner: &'a mut Taps<'l, 'de, 5>,
    _payload: PhantomData<R>,
}

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for TopRoot<'_, '_, '_, 'de, R> {
    type Value = Option<R>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<R>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for TopRoot<'_, '_, '_, 'de, R> {
    type Value = Option<R>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a TOP answer object with `{}` or `error_response`",
            self.wrapper
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<R>, A::Error> {
        self.root.object = true;
        let mut payload = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() == self.wrapper {
                payload = Some(map.next_value_seed(TapSeed::<R, 5> {
                    taps: &mut *self.inner,
                    _payload: PhantomData,
                })?);
            } else if let Some(i) = self.root.index(None, key.as_str()) {
                self.root.meet(i);
                map.next_value_seed(Tee {
                    seed: PhantomData::<IgnoredAny>,
                    taps: &mut *self.root,
                    index: i,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(payload)
    }
}

/// Reads a value into `R` through [`Tapping`].
struct TapSeed<'t, 'k, 'de, R, const N: usize> {
    taps: &'t mut Taps<'k, 'de, N>,
    _payload: PhantomData<R>,
}

impl<'de, R: Deserialize<'de>, const N: usize> DeserializeSeed<'de> for TapSeed<'_, '_, 'de, R, N> {
    type Value = R;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R, D::Error> {
        R::deserialize(Tapping {
            inner: d,
            taps: self.taps,
        })
    }
}

/// A deserializer that hands its object to the payload's visitor through [`TapMap`].
struct Tapping<'t, 'k, 'de, D, const N: usize> {
    inner: D,
    taps: &'t mut Taps<'k, 'de, N>,
}

impl<'de, D: Deserializer<'de>, const N: usize> Deserializer<'de> for Tapping<'_, '_, 'de, D, N> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(TapVisitor {
            inner: visitor,
            taps: self.taps,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct TapVisitor<'t, 'k, 'de, V, const N: usize> {
    inner: V,
    taps: &'t mut Taps<'k, 'de, N>,
}

impl<'de, V: Visitor<'de>, const N: usize> Visitor<'de> for TapVisitor<'_, '_, 'de, V, N> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.taps.object = true;
        self.inner.visit_map(TapMap {
            inner: map,
            taps: self.taps,
            within: None,
            pending: None,
        })
    }
}

/// An object's entries as the payload's visitor sees them; a tapped key's value goes to the
/// payload through [`Tee`], which notes it on the way.
struct TapMap<'t, 'k, 'de, A, const N: usize> {
    inner: A,
    taps: &'t mut Taps<'k, 'de, N>,
    /// The tapped key whose value this object is; `None` for the root.
    within: Option<usize>,
    pending: Option<usize>,
}

impl<'de, A: MapAccess<'de>, const N: usize> MapAccess<'de> for TapMap<'_, '_, 'de, A, N> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        self.pending = self.taps.index(self.within, key.as_str());
        match key {
            Key::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some),
            Key::Owned(k) => seed
                .deserialize::<StringDeserializer<A::Error>>(k.into_deserializer())
                .map(Some),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let Some(index) = self.pending.take() else {
            return self.inner.next_value_seed(seed);
        };
        self.taps.meet(index);
        self.inner.next_value_seed(Tee {
            seed,
            taps: &mut *self.taps,
            index,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The payload's seed for a tapped key's value: whatever the reader passes to the payload's
/// visitor is noted in `taps` on the way. A value the payload skips is kept raw.
struct Tee<'t, 'k, 'de, S, const N: usize> {
    seed: S,
    taps: &'t mut Taps<'k, 'de, N>,
    index: usize,
}

impl<'de, S: DeserializeSeed<'de>, const N: usize> DeserializeSeed<'de> for Tee<'_, '_, 'de, S, N> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Teeing {
            inner: d,
            taps: self.taps,
            index: self.index,
        })
    }
}

/// The deserializer [`Tee`] hands the payload: each request goes to the reader with the
/// payload's visitor wrapped in a [`TeeVisitor`].
struct Teeing<'t, 'k, 'de, D, const N: usize> {
    inner: D,
    taps: &'t mut Taps<'k, 'de, N>,
    index: usize,
}

impl<'t, 'k, 'de, D, const N: usize> Teeing<'t, 'k, 'de, D, N> {
    fn wrap<V>(
        taps: &'t mut Taps<'k, 'de, N>,
        index: usize,
        inner: V,
    ) -> TeeVisitor<'t, 'k, 'de, V, N> {
        TeeVisitor { inner, taps, index }
    }
}

/// The name under which serde_json asks for a `RawValue` (`serde_json::value::RawValue`'s
/// `Deserialize` passes it to `deserialize_newtype_struct`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

macro_rules! tee_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* Self::wrap(self.taps, self.index, visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>, const N: usize> Deserializer<'de> for Teeing<'_, '_, 'de, D, N> {
    type Error = D::Error;

    tee_deserialize! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16();
        deserialize_i32(); deserialize_i64(); deserialize_i128(); deserialize_u8();
        deserialize_u16(); deserialize_u32(); deserialize_u64(); deserialize_u128();
        deserialize_f32(); deserialize_f64(); deserialize_char(); deserialize_str();
        deserialize_string(); deserialize_bytes(); deserialize_byte_buf(); deserialize_option();
        deserialize_unit(); deserialize_unit_struct(name: &'static str); deserialize_seq();
        deserialize_tuple(len: usize); deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map(); deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    /// A value the payload skips is kept as it is, skipped as leniently as the JSON reader
    /// skips it, and parsed only if the envelope asks for it.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let raw = <&'de RawValue>::deserialize(self.inner)?;
        self.taps.values[self.index] = Tapped::Raw(raw);
        visitor.visit_unit()
    }

    /// serde_json hands a `RawValue` over as a one-key object of its own, which the tap would
    /// take for the value: such a value stays unobserved.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == RAW_VALUE_TOKEN {
            return self.inner.deserialize_newtype_struct(name, visitor);
        }
        self.inner
            .deserialize_newtype_struct(name, Self::wrap(self.taps, self.index, visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The payload's visitor, noting what the reader hands it.
struct TeeVisitor<'t, 'k, 'de, V, const N: usize> {
    inner: V,
    taps: &'t mut Taps<'k, 'de, N>,
    index: usize,
}

impl<'de, V, const N: usize> TeeVisitor<'_, '_, 'de, V, N> {
    fn note(&mut self, value: Tapped<'de>) {
        self.taps.values[self.index] = value;
    }
}

impl<'de, V: Visitor<'de>, const N: usize> Visitor<'de> for TeeVisitor<'_, '_, 'de, V, N> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }
    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<V::Value, E> {
        self.note(Tapped::Bool(v));
        self.inner.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<V::Value, E> {
        self.note(Tapped::Signed(v));
        self.inner.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<V::Value, E> {
        self.note(Tapped::Unsigned(v));
        self.inner.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<V::Value, E> {
        self.note(Tapped::Float(v));
        self.inner.visit_f64(v)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.inner.visit_i128(v)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.inner.visit_u128(v)
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.inner.visit_char(v)
    }
    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.note(Tapped::Text(Cow::Owned(v.to_owned())));
        self.inner.visit_str(v)
    }
    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.note(Tapped::Text(Cow::Borrowed(v)));
        self.inner.visit_borrowed_str(v)
    }
    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.note(Tapped::Text(Cow::Owned(v.clone())));
        self.inner.visit_string(v)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(v)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(v)
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.inner.visit_byte_buf(v)
    }
    fn visit_none<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.note(Tapped::Null);
        self.inner.visit_none()
    }
    fn visit_unit<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.note(Tapped::Null);
        self.inner.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Teeing {
            inner: d,
            taps: self.taps,
            index: self.index,
        })
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Teeing {
            inner: d,
            taps: self.taps,
            index: self.index,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, seq: A) -> Result<V::Value, A::Error> {
        self.note(Tapped::List);
        self.inner.visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<V::Value, A::Error> {
        self.note(Tapped::Object);
        if !self.taps.holds_taps(self.index) {
            return self.inner.visit_map(map);
        }
        self.inner.visit_map(TapMap {
            inner: map,
            taps: self.taps,
            within: Some(self.index),
            pending: None,
        })
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// An object key, borrowed from the body unless it had escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(k) => k,
            Key::Owned(k) => k,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UndocumentedCode;

    /// A payload that reads the envelope's own keys, as a spec may ask it to.
    #[derive(Deserialize, Debug)]
    struct Echo {
        errcode: Option<i64>,
        errmsg: Option<String>,
        error_info: Option<Info>,
        result: Option<Outcome>,
    }

    #[derive(Deserialize, Debug)]
    struct Info {
        errno: Option<i64>,
    }

    #[derive(Deserialize, Debug)]
    struct Outcome {
        success: Option<bool>,
    }

    /// A payload that reads `request_id` as an enum: serde_json hands it over in a way a tap
    /// cannot see.
    #[derive(Deserialize, Debug, PartialEq)]
    struct ByEnum {
        request_id: Rid,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    enum Rid {
        #[serde(rename = "r7")]
        Seven,
    }

    type Read<R> = Result<Decoded<R, UndocumentedCode>, Error<UndocumentedCode>>;

    fn oapi<R: for<'de> Deserialize<'de>>(body: &str) -> Read<R> {
        read_oapi(200, body.as_bytes(), &Redactor::default())
    }

    fn top<R: for<'de> Deserialize<'de>>(body: &str, simplify: bool) -> Read<R> {
        read_top(200, body.as_bytes(), "a.b", simplify, &Redactor::default())
    }

    fn classin<R: for<'de> Deserialize<'de>>(body: &str) -> Read<R> {
        read_classin(200, body.as_bytes(), &Redactor::default())
    }

    #[test]
    fn envelope_keys_the_payload_reads_are_seen_by_both() {
        let ok = oapi::<Echo>(r#"{"errcode":0,"errmsg":"ok","request_id":"r1"}"#).unwrap();
        assert_eq!(ok.response.errcode, Some(0));
        assert_eq!(ok.response.errmsg.as_deref(), Some("ok"));
        assert_eq!(ok.request_id.as_deref(), Some("r1"));

        let ok = classin::<Echo>(r#"{"error_info":{"errno":1,"error":"ok"},"data":1}"#).unwrap();
        assert_eq!(ok.response.error_info.unwrap().errno, Some(1));
        match classin::<Echo>(r#"{"error_info":{"errno":104,"error":"参数错误"}}"#) {
            Err(Error::ClassIn { code, message }) => {
                assert_eq!(code, UndocumentedCode(104));
                assert_eq!(message, "参数错误");
            }
            other => panic!("{other:?}"),
        }

        let ok = top::<Echo>(r#"{"a_b_response":{"result":{"success":true}}}"#, false).unwrap();
        assert_eq!(ok.response.result.unwrap().success, Some(true));
        let failed = r#"{"a_b_response":{"result":{"success":false,"error_msg":"x"}}}"#;
        assert!(matches!(
            top::<Echo>(failed, false),
            Err(Error::TopFailure { error_msg: Some(m), .. }) if m == "x"
        ));
    }

    #[test]
    fn escaped_text_is_read_unescaped() {
        match oapi::<IgnoredAny>(r#"{"errcode":"4\u0030","errmsg":"a\"b\u4e2d","sub_msg":"\n"}"#) {
            Err(Error::DingTalk {
                errcode: 40,
                errmsg,
                sub_msg,
                ..
            }) => {
                assert_eq!(errmsg, "a\"b中");
                assert_eq!(sub_msg.as_deref(), Some("\n"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_repeated_key_counts_as_its_last_value() {
        assert!(oapi::<IgnoredAny>(r#"{"errcode":5,"errcode":0}"#).is_ok());
        assert!(matches!(
            oapi::<IgnoredAny>(r#"{"errcode":0,"errcode":"7"}"#),
            Err(Error::DingTalk { errcode: 7, .. })
        ));
        // What was inside an earlier value of the key is forgotten with it.
        for simplify in [false, true] {
            let body = if simplify {
                r#"{"result":{"success":false},"result":{"ok":1},"request_id":"r"}"#
            } else {
                r#"{"a_b_response":{"result":{"success":false},"result":{"ok":1}}}"#
            };
            let read = top::<IgnoredAny>(body, simplify);
            assert!(read.is_ok(), "{body}: {read:?}");
        }
        let body = r#"{"error_info":{"errno":102},"error_info":{"error":"x"}}"#;
        assert!(matches!(
            classin::<IgnoredAny>(body),
            Err(Error::UnexpectedBody { .. })
        ));
    }

    #[test]
    fn a_key_the_payload_reads_out_of_sight_is_read_again() {
        let ok = oapi::<ByEnum>(r#"{"request_id":"r7","errcode":0}"#).unwrap();
        assert_eq!(ok.response.request_id, Rid::Seven);
        assert_eq!(ok.request_id.as_deref(), Some("r7"));
        let ok = top::<ByEnum>(r#"{"request_id":"r7","result":{}}"#, true).unwrap();
        assert_eq!(ok.request_id.as_deref(), Some("r7"));
    }

    /// Payloads that take a tapped key as raw JSON.
    #[derive(Deserialize, Debug)]
    struct RawCode {
        errcode: Box<RawValue>,
    }

    #[derive(Deserialize, Debug)]
    struct RawResult {
        #[allow(dead_code)]
        result: Box<RawValue>,
    }

    #[derive(Deserialize, Debug)]
    struct Numbers {
        #[allow(dead_code)]
        result: Vec<Number>,
    }

    #[derive(Deserialize, Debug)]
    struct Number {
        #[allow(dead_code)]
        n: i64,
    }

    fn decode_message<R: std::fmt::Debug>(read: Read<R>) -> String {
        match read {
            Err(Error::Decode { message, .. }) => message,
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn a_payload_that_does_not_fit_is_named_by_its_path_from_the_root() {
        let message = decode_message(oapi::<Numbers>(
            r#"{"errcode":0,"result":[{"n":1},{"n":"x"}]}"#,
        ));
        assert!(
            message.starts_with(r#"result[1].n: invalid type: string "x", expected i64"#),
            "{message}"
        );
        let message = decode_message(oapi::<Numbers>(r#"{"errcode":0,"result":[{}]}"#));
        assert!(
            message.starts_with("result[0]: missing field `n`"),
            "{message}"
        );
        let message = decode_message(oapi::<Numbers>(r#"{"errcode":0}"#));
        assert!(message.starts_with("missing field `result`"), "{message}");
        // TOP: the path runs through the wrapper, as the body has it, in both router modes.
        for simplify in [false, true] {
            let message = decode_message(top::<Numbers>(
                r#"{"a_b_response":{"result":[{"n":true}],"request_id":"r"}}"#,
                simplify,
            ));
            assert!(
                message.starts_with("a_b_response.result[0].n: invalid type: boolean"),
                "{simplify}: {message}"
            );
        }
        let message = decode_message(top::<Numbers>(
            r#"{"result":[{"n":1.5}],"request_id":"r"}"#,
            true,
        ));
        assert!(
            message.starts_with("result[0].n: invalid type: floating point"),
            "{message}"
        );
        let message = decode_message(classin::<Numbers>(
            r#"{"error_info":{"errno":1},"result":[{"n":"x"}]}"#,
        ));
        assert!(message.starts_with("result[0].n: "), "{message}");
    }

    #[test]
    fn a_key_the_payload_takes_as_raw_json_is_still_read() {
        let body = br#"{"errcode":0,"request_id":"r"}"#;
        let read: Read<RawCode> = read_oapi(200, body, &Redactor::default());
        let ok = read.unwrap();
        assert_eq!(ok.response.errcode.get(), "0");
        assert_eq!(ok.request_id.as_deref(), Some("r"));
        let body = br#"{"a_b_response":{"result":{"success":false,"error_msg":"no"}}}"#;
        let read: Read<RawResult> = read_top(200, body, "a.b", false, &Redactor::default());
        assert!(
            matches!(&read, Err(Error::TopFailure { error_msg: Some(m), .. }) if m == "no"),
            "{read:?}"
        );
    }

    #[test]
    fn a_skipped_value_the_reader_cannot_decode_fails_only_itself() {
        // A lone surrogate (an emoji cut in half) and a number out of range: serde_json skips
        // both but decodes neither.
        match oapi::<IgnoredAny>(r#"{"errcode":40001,"errmsg":"cut \ud83d","request_id":1e400}"#) {
            Err(Error::DingTalk {
                errcode: 40001,
                errmsg,
                request_id: None,
                ..
            }) => assert_eq!(errmsg, ""),
            other => panic!("{other:?}"),
        }
        assert!(oapi::<IgnoredAny>(r#"{"errcode":0,"request_id":1e400}"#).is_ok());
        match classin::<IgnoredAny>(r#"{"error_info":{"errno":104,"error":"\udc00"}}"#) {
            Err(Error::ClassIn { code, message }) => {
                assert_eq!(code, UndocumentedCode(104));
                assert_eq!(message, "");
            }
            other => panic!("{other:?}"),
        }
        let body = r#"{"error_response":{"code":15,"msg":"\ud800x","sub_msg":"ok"}}"#;
        match top::<IgnoredAny>(body, false) {
            Err(Error::Top {
                code: 15, sub_msg, ..
            }) => assert_eq!(sub_msg.as_deref(), Some("ok")),
            other => panic!("{other:?}"),
        }
        let token = read_token(
            200,
            br#"{"errcode":40089,"errmsg":"\ud83d","access_token":"\ud83d"}"#,
            &Redactor::default(),
        );
        assert!(
            matches!(token, Err(TokenError::Api { errcode: 40089, .. })),
            "{token:?}"
        );
    }

    #[test]
    fn a_tapped_value_of_the_wrong_kind_is_no_value() {
        for body in [
            r#"{"errcode":[0]}"#,
            r#"{"errcode":{"v":0}}"#,
            r#"{"errcode":null}"#,
            r#"{"errcode":true}"#,
        ] {
            assert!(
                matches!(oapi::<IgnoredAny>(body), Err(Error::UnexpectedBody { .. })),
                "{body}"
            );
        }
        let read = oapi::<IgnoredAny>(r#"{"errcode":1,"errmsg":{"a":"b"},"sub_code":[1]}"#);
        match read {
            Err(Error::DingTalk {
                errmsg, sub_code, ..
            }) => {
                assert_eq!(errmsg, "");
                assert_eq!(sub_code, None);
            }
            other => panic!("{other:?}"),
        }
    }
}
