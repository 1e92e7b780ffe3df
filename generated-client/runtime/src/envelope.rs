//! Reading each family's envelope and the typed payload straight from the body bytes.
//!
//! Envelopes are strict, payloads tolerant. A body that is not the family's envelope (oapi
//! without `errcode`, TOP without `<method>_response` or `error_response`, ClassIn without
//! `error_info`, anything that is not one JSON object) is [`Error::UnexpectedBody`], never a
//! success. Inside a success envelope the payload is read by its own tolerant `Deserialize`.
//!
//! No `serde_json::Value` is built: the payload type reads the body in one pass while the
//! envelope's keys are *tapped* on the way (their raw text is borrowed from the body and replayed
//! to the payload), so decoding needs no memory beyond the typed result, whatever the body holds.
//! Only when the payload does not fit is the body read a second time, for the envelope alone,
//! to tell an error answer from a malformed one.
//!
//! Every text taken from the server into an error passes through the call's [`Redactor`].

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::de::Lenient;
use crate::endpoint::{CodeKind, ErrorCode};
use crate::error::{Error, TokenError};
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

fn decode_error<C: ErrorCode>(
    status: u16,
    body: &[u8],
    message: &str,
    redact: &Redactor<'_>,
) -> Error<C> {
    Error::Decode {
        status,
        message: redact.text(message),
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
    const KEYS: [&str; 5] = ["errcode", "errmsg", "sub_code", "sub_msg", "request_id"];
    let mut taps = Taps::new(KEYS);
    let payload = tapped::<R, 5>(body, &mut taps);
    let envelope = match payload {
        Ok(_) => taps,
        Err(_) => envelope_alone(body, KEYS).ok_or_else(|| unexpected(status, body, redact))?,
    };
    let Some(errcode) = envelope.get("errcode").and_then(raw_i64) else {
        return Err(unexpected(status, body, redact));
    };
    let request_id = redact.opt(envelope.get("request_id").and_then(raw_text));
    if errcode != 0 {
        let errmsg = redact.text(
            &envelope
                .get("errmsg")
                .and_then(raw_text)
                .unwrap_or_default(),
        );
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
            sub_code: redact.opt(envelope.get("sub_code").and_then(raw_text)),
            sub_msg: redact.opt(envelope.get("sub_msg").and_then(raw_text)),
            request_id,
        });
    }
    match payload {
        Ok(response) => Ok(Decoded::ok(response, request_id)),
        Err(message) => Err(decode_error(status, body, &message, redact)),
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
    if payload.is_err() {
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
    if let Some(raw) = root.get("error_response") {
        let mut err = Taps::new(["code", "msg", "sub_code", "sub_msg", "request_id"]);
        let read = tapped::<IgnoredAny, 5>(raw.get().as_bytes(), &mut err);
        let Some(code) = read.ok().and(err.get("code")).and_then(raw_i64) else {
            return Err(unexpected(status, body, redact));
        };
        let request_id = err.get("request_id").or(root.get("request_id"));
        return Err(Error::Top {
            code,
            msg: redact.text(&err.get("msg").and_then(raw_text).unwrap_or_default()),
            sub_code: redact.opt(err.get("sub_code").and_then(raw_text)),
            sub_msg: redact.opt(err.get("sub_msg").and_then(raw_text)),
            request_id: redact.opt(request_id.and_then(raw_text)),
        });
    }
    if let Some(errcode) = root.get("errcode").and_then(raw_i64) {
        if errcode != 0 {
            return Err(Error::DingTalk {
                errcode,
                errmsg: redact.text(&root.get("errmsg").and_then(raw_text).unwrap_or_default()),
                sub_code: redact.opt(root.get("sub_code").and_then(raw_text)),
                sub_msg: redact.opt(root.get("sub_msg").and_then(raw_text)),
                request_id: redact.opt(root.get("request_id").and_then(raw_text)),
            });
        }
    }
    // Without the wrapper (and not simplified) this is no TOP answer.
    if matches!(payload, Ok(None)) || !inner.object {
        return Err(unexpected(status, body, redact));
    }
    let request_id = redact.opt(inner.get("request_id").and_then(raw_text));
    if let Some(result) = inner.get("result") {
        let mut flags = Taps::new(["success", "ding_open_errcode", "error_msg"]);
        if tapped::<IgnoredAny, 3>(result.get().as_bytes(), &mut flags).is_ok()
            && flags.get("success").and_then(raw_bool) == Some(false)
        {
            return Err(Error::TopFailure {
                ding_open_errcode: flags.get("ding_open_errcode").and_then(raw_i64),
                error_msg: redact.opt(flags.get("error_msg").and_then(raw_text)),
                request_id,
            });
        }
    }
    match payload {
        Ok(Some(response)) => Ok(Decoded::ok(response, request_id)),
        Ok(None) => Err(unexpected(status, body, redact)),
        Err(message) => Err(decode_error(status, body, &message, redact)),
    }
}

/// Keys of a TOP answer's root object that say how the call went.
const TOP_ROOT: [&str; 6] = [
    "error_response",
    "errcode",
    "errmsg",
    "sub_code",
    "sub_msg",
    "request_id",
];

/// Keys of a TOP payload that the runtime reads besides the payload type.
const TOP_PAYLOAD: [&str; 2] = ["result", "request_id"];

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
    const KEYS: [&str; 1] = ["error_info"];
    let mut taps = Taps::new(KEYS);
    let payload = tapped::<R, 1>(body, &mut taps);
    let envelope = match payload {
        Ok(_) => taps,
        Err(_) => envelope_alone(body, KEYS).ok_or_else(|| unexpected(status, body, redact))?,
    };
    let mut info = Taps::new(["errno", "error"]);
    let errno = envelope
        .get("error_info")
        .filter(|raw| tapped::<IgnoredAny, 2>(raw.get().as_bytes(), &mut info).is_ok())
        .and_then(|_| info.get("errno"))
        .and_then(raw_i64);
    let Some(errno) = errno.filter(|_| info.object) else {
        return Err(unexpected(status, body, redact));
    };
    if errno != 1 {
        let code = C::from_code(errno);
        let message = redact.text(&info.get("error").and_then(raw_text).unwrap_or_default());
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
        Err(message) => Err(decode_error(status, body, &message, redact)),
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
        "errcode",
        "errmsg",
        "access_token",
        "expires_in",
        "request_id",
    ]);
    let read = tapped::<IgnoredAny, 5>(body, &mut taps);
    let token = taps.get("access_token").and_then(|raw| {
        String::deserialize(&mut serde_json::Deserializer::from_str(raw.get())).ok()
    });
    let issued = [token.as_deref().unwrap_or("")];
    let scrub = redact.with(&issued);
    let unexpected = |reason: &str| TokenError::UnexpectedBody {
        status,
        snippet: format!("{reason}: {}", scrub.snippet(body)),
    };
    if read.is_err() || !taps.object {
        return Err(unexpected("not a JSON object"));
    }
    let Some(errcode) = taps.get("errcode").and_then(raw_i64) else {
        return Err(unexpected("no numeric errcode"));
    };
    if errcode != 0 {
        return Err(TokenError::Api {
            errcode,
            errmsg: scrub.text(&taps.get("errmsg").and_then(raw_text).unwrap_or_default()),
            request_id: scrub.opt(taps.get("request_id").and_then(raw_text)),
        });
    }
    let Some(token) = token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(unexpected("no access_token string"));
    };
    let (lifetime, clamped) = match taps.get("expires_in").filter(|raw| raw.get() != "null") {
        None => (DEFAULT_TOKEN_LIFETIME, true),
        Some(raw) => {
            let seconds =
                f64::deserialize_lenient(&mut serde_json::Deserializer::from_str(raw.get()))
                    .ok()
                    .filter(|s| s.is_finite());
            let Some(seconds) = seconds else {
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

// ---- Tapping: reading an object's payload while keeping some keys' raw text -------------------

/// Keys of an object whose raw values are kept while a payload type reads the same object.
struct Taps<'k, 'de, const N: usize> {
    keys: [&'k str; N],
    values: [Option<&'de RawValue>; N],
    /// Whether the value read was an object.
    object: bool,
}

impl<'k, 'de, const N: usize> Taps<'k, 'de, N> {
    fn new(keys: [&'k str; N]) -> Self {
        Taps {
            keys,
            values: [None; N],
            object: false,
        }
    }

    fn get(&self, key: &str) -> Option<&'de RawValue> {
        let i = self.keys.iter().position(|k| *k == key)?;
        self.values[i]
    }
}

/// Read `body` into `R`, keeping the raw text of the root object's `taps` keys. The error names
/// the path that did not fit (`result.grades[1]: invalid type: ...`): paths are tracked only
/// when a first, untracked read has failed, since tracking costs an allocation per key.
fn tapped<'de, R: Deserialize<'de>, const N: usize>(
    body: &'de [u8],
    taps: &mut Taps<'_, 'de, N>,
) -> Result<R, String> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let read = R::deserialize(Tapping {
        inner: &mut json,
        taps: &mut *taps,
    })
    .and_then(|r| json.end().map(|()| r));
    let Err(first) = read else {
        return read.map_err(|e| e.to_string());
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    let tracked = serde_path_to_error::deserialize::<_, IgnoredPayload<R>>(Tapping {
        inner: &mut json,
        taps,
    });
    Err(match tracked {
        Err(e) => describe(e),
        Ok(_) => first.to_string(),
    })
}

/// Reads what `R` reads and keeps nothing: a second, tracked read only wants the error.
struct IgnoredPayload<R>(PhantomData<R>);

impl<'de, R: Deserialize<'de>> Deserialize<'de> for IgnoredPayload<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        R::deserialize(d).map(|_| IgnoredPayload(PhantomData))
    }
}

/// The envelope alone, its payload skipped; `None` when the body is not JSON.
fn envelope_alone<'k, 'de, const N: usize>(
    body: &'de [u8],
    keys: [&'k str; N],
) -> Option<Taps<'k, 'de, N>> {
    let mut taps = Taps::new(keys);
    tapped::<IgnoredAny, N>(body, &mut taps).ok()?;
    Some(taps)
}

fn describe<E: fmt::Display>(e: serde_path_to_error::Error<E>) -> String {
    let path = e.path().to_string();
    if path == "." {
        e.into_inner().to_string()
    } else {
        format!("{path}: {}", e.into_inner())
    }
}

/// A TOP root object read in one pass: the wrapper's value is read into `R` (its `result` and
/// `request_id` tapped into `inner`), the envelope keys are tapped into `root`, everything else
/// is skipped. `Ok(None)` when there is no wrapper. As in [`tapped`], the path of a payload
/// that does not fit is found by a second, tracked read.
fn top_root<'de, R: Deserialize<'de>>(
    body: &'de [u8],
    wrapper: &str,
    root: &mut Taps<'_, 'de, 6>,
    inner: &mut Taps<'_, 'de, 2>,
) -> Result<Option<R>, String> {
    let read = |track: bool, root: &mut Taps<'_, 'de, 6>, inner: &mut Taps<'_, 'de, 2>| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let seed = TopRoot::<R> {
            wrapper,
            track,
            root,
            inner,
            _payload: PhantomData,
        };
        let read = seed.deserialize(&mut json)?;
        json.end().map(|()| read)
    };
    match read(false, root, inner) {
        Ok(payload) => Ok(payload),
        Err(first) => Err(match read(true, root, inner) {
            Err(tracked) => tracked.to_string(),
            Ok(_) => first.to_string(),
        }),
    }
}

/// A simplified TOP answer (`simplify=true`): the root is the payload. A wrapped answer is read
/// too, from the wrapper's text.
///
/// A root without `result` or `request_id`, or shaped like a gateway's error (`code` with
/// `msg` or `message`, no `result`), is not taken for a payload: `inner.object` stays false.
fn top_simplified<'de, R: Deserialize<'de>>(
    body: &'de [u8],
    wrapper: &str,
    root: &mut Taps<'_, 'de, 6>,
    inner: &mut Taps<'_, 'de, 2>,
) -> Result<Option<R>, String> {
    let [e, c, m, sc, sm, id] = TOP_ROOT;
    let keys = [
        e, c, m, sc, sm, id, "result", "code", "msg", "message", wrapper,
    ];
    let mut all = Taps::new(keys);
    let read = tapped::<R, 11>(body, &mut all);
    if read.is_err() || all.get(wrapper).is_some() {
        // The root did not read as the payload, or the answer is wrapped after all: read the
        // root again for its envelope keys alone (the wrapper may come after a field the
        // payload type refuses), and take the payload from the wrapper. A body that is not one
        // JSON object fails here, whatever follows the wrapper.
        all = Taps::new(keys);
        tapped::<IgnoredAny, 11>(body, &mut all)?;
        if let Some(wrapped) = all.get(wrapper) {
            root.object = all.object;
            root.values.copy_from_slice(&all.values[..6]);
            *inner = Taps::new(TOP_PAYLOAD);
            return tapped::<R, 2>(wrapped.get().as_bytes(), inner)
                .map(Some)
                .map_err(|e| format!("{wrapper}.{e}"));
        }
    }
    root.object = all.object;
    root.values.copy_from_slice(&all.values[..6]);
    let result = all.get("result");
    let gateway_error =
        all.get("code").is_some() && (all.get("msg").or(all.get("message"))).is_some();
    inner.object = all.object
        && (result.is_some() || all.get("request_id").is_some())
        && (result.is_some() || !gateway_error);
    inner.values = [result, all.get("request_id")];
    read.map(Some)
}

struct TopRoot<'a, 'k, 'l, 'de, R> {
    wrapper: &'a str,
    track: bool,
    root: &'a mut Taps<'k, 'de, 6>,
    inner: &'a mut Taps<'l, 'de, 2>,
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
                payload = Some(map.next_value_seed(TapSeed::<R, 2> {
                    taps: &mut *self.inner,
                    track: self.track,
                    _payload: PhantomData,
                })?);
            } else if let Some(i) = self.root.keys.iter().position(|k| *k == key.as_str()) {
                self.root.values[i] = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(payload)
    }
}

/// Reads a value into `R` through [`Tapping`]; with `track`, the error names the path that did
/// not fit.
struct TapSeed<'t, 'k, 'de, R, const N: usize> {
    taps: &'t mut Taps<'k, 'de, N>,
    track: bool,
    _payload: PhantomData<R>,
}

impl<'de, R: Deserialize<'de>, const N: usize> DeserializeSeed<'de> for TapSeed<'_, '_, 'de, R, N> {
    type Value = R;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R, D::Error> {
        let tapping = Tapping {
            inner: d,
            taps: self.taps,
        };
        if self.track {
            serde_path_to_error::deserialize(tapping).map_err(|e| de::Error::custom(describe(e)))
        } else {
            R::deserialize(tapping)
        }
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
            pending: None,
        })
    }
}

/// The root object's entries as the payload's visitor sees them; a tapped key's value is taken
/// as raw text, kept, and replayed to the payload.
struct TapMap<'t, 'k, 'de, A, const N: usize> {
    inner: A,
    taps: &'t mut Taps<'k, 'de, N>,
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
        self.pending = self.taps.keys.iter().position(|k| *k == key.as_str());
        match key {
            Key::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some),
            Key::Owned(k) => seed
                .deserialize::<StringDeserializer<A::Error>>(k.into_deserializer())
                .map(Some),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let Some(i) = self.pending.take() else {
            return self.inner.next_value_seed(seed);
        };
        let raw: &'de RawValue = self.inner.next_value()?;
        self.taps.values[i] = Some(raw);
        seed.deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
            .map_err(de::Error::custom)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
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

// ---- Reading tapped envelope values ------------------------------------------------------------

fn raw_lenient<T: Lenient>(raw: &RawValue) -> Option<T> {
    T::deserialize_lenient(&mut serde_json::Deserializer::from_str(raw.get())).ok()
}

/// A number, or a string holding one.
fn raw_i64(raw: &RawValue) -> Option<i64> {
    raw_lenient(raw)
}

/// A boolean, `0`/`1`, or `"true"`/`"false"`/`"0"`/`"1"`.
fn raw_bool(raw: &RawValue) -> Option<bool> {
    raw_lenient(raw)
}

/// A string, or a number or boolean as text; `None` for `null`, lists and objects.
fn raw_text(raw: &RawValue) -> Option<String> {
    raw_lenient(raw)
}
