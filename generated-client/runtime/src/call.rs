//! One call's course, shared by all protocol clients: validate, attempt, retry with backoff.
//!
//! The course of a call (tokens, rate limits, sending, retries) is the same for every endpoint and
//! is compiled once, in this crate: each client's course takes the endpoint's constants as a
//! `Shape` and reads answers through a `Typed`, the endpoint-typed half that decodes an answer
//! and keeps the outcome. A crate that calls an endpoint compiles that half and the call's outer
//! layer (validation, encoding, the reply), not the course.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use tracing::Span;

use crate::endpoint::{Endpoint, ErrorCode, Protocol, Shape, UndocumentedCode};
use crate::envelope::{Decoded, Partial};
use crate::error::{Error, TokenError, TransportError};
use crate::file::FileError;
use crate::form::EncodeError;
use crate::http::RawResponse;
use crate::limit::Throttled;
use crate::redact::Redactor;
use crate::retry::RetryPolicy;
use crate::validate::{ValidationError, Violations};

/// A successful call with what else is known about it.
#[derive(Debug, Clone)]
pub struct Reply<R, C = UndocumentedCode> {
    /// The typed response.
    pub response: R,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The HTTP headers of the answer. A value holding a credential of the call (a server may
    /// echo one) has it replaced by `[redacted]`.
    pub headers: HeaderMap,
    /// Warnings validation found (limits the server enforces by changing the value, or advice);
    /// they are also logged at `warn` level. Empty for a clean request.
    pub warnings: Violations,
    /// The server's `request_id`, when it sent one.
    pub request_id: Option<String>,
    /// How many attempts the call took, from 1. Resending once with a refreshed access token
    /// happens within one attempt.
    pub attempts: u32,
    /// Set when the server answered with a call-level code that the endpoint's spec marks as a
    /// partial success (ClassIn `register`'s 135 "already registered", with the UID in `data`):
    /// the work was done, `response` holds the payload, and this says what else happened.
    pub partial: Option<Partial<C>>,
}

impl<R, C: ErrorCode> Reply<R, C> {
    /// The reply of a call whose last attempt answered `answer`, logging a partial success.
    pub(crate) fn new(answer: Answer<R, C>, warnings: Violations, attempts: u32) -> Self {
        let Answer {
            decoded: answer,
            status,
            headers,
        } = answer;
        if let Some(partial) = &answer.partial {
            tracing::warn!(code = ?partial.code, message = %partial.message, "partial success");
        }
        tracing::debug!(attempts, "call succeeded");
        Reply {
            response: answer.response,
            status,
            headers,
            warnings,
            request_id: answer.request_id,
            attempts,
            partial: answer.partial,
        }
    }

    /// The response, or the partial success as an error for callers that have no place for it:
    /// what `call` returns.
    pub(crate) fn into_response(self, protocol: Protocol) -> Result<R, Error<C>> {
        let Some(Partial { code, message }) = self.partial else {
            return Ok(self.response);
        };
        Err(match protocol {
            Protocol::ClassInV1 => Error::ClassIn { code, message },
            Protocol::DingTalkOapi | Protocol::DingTalkTop => Error::DingTalk {
                errcode: code.code(),
                errmsg: message,
                sub_code: None,
                sub_msg: None,
                request_id: self.request_id,
            },
        })
    }
}

/// What `call_detailed` returns for endpoint `E`.
pub type Detailed<E> = Result<
    Reply<<E as Endpoint>::Response, <E as Endpoint>::ErrorCode>,
    Error<<E as Endpoint>::ErrorCode>,
>;

/// What one attempt returns on success: the decoded payload with the answer's status and
/// headers (none when the call was made for its response alone).
pub(crate) struct Answer<R, C> {
    pub decoded: Decoded<R, C>,
    pub status: u16,
    pub headers: HeaderMap,
}

impl<R, C> Answer<R, C> {
    /// The answer `raw`, decoded as `decoded`, with its headers when `keep_headers` (values
    /// holding a secret `redact` knows replaced) or none.
    pub fn new(
        raw: RawResponse,
        decoded: Decoded<R, C>,
        keep_headers: bool,
        redact: &Redactor<'_>,
    ) -> Self {
        Answer {
            decoded,
            status: raw.status,
            headers: if keep_headers {
                scrubbed(raw.headers, redact)
            } else {
                HeaderMap::new()
            },
        }
    }

    /// The server's `request_id`, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.decoded.request_id.as_deref()
    }
}

/// `headers` with every value holding a secret `redact` knows replaced by `[redacted]`.
fn scrubbed(mut headers: HeaderMap, redact: &Redactor<'_>) -> HeaderMap {
    // Every value read in one pass first, joined by line breaks (which no value holds): a
    // value's own secret shows in the joined text, so a clean answer (the usual one) costs one
    // scan instead of one per value. What the joined text shows may span two values, so each is
    // checked alone before anything is replaced.
    let mut all = Vec::with_capacity(headers.values().map(|v| v.len() + 1).sum());
    for value in headers.values() {
        all.extend_from_slice(value.as_bytes());
        all.push(b'\n');
    }
    if redact.finds_secret(&as_text(&all)) {
        for value in headers.values_mut() {
            if redact.finds_secret(&as_text(value.as_bytes())) {
                *value = HeaderValue::from_static("[redacted]");
            }
        }
    }
    headers
}

/// Header bytes as text, invalid UTF-8 replaced. Header values are visible ASCII as a rule:
/// `from_utf8` checks that a word at a time, `from_utf8_lossy` a character at a time.
fn as_text(bytes: &[u8]) -> Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
}

/// Validate `request`: errors end the call before any I/O; warnings are logged and returned.
pub(crate) fn validate<E: Endpoint>(request: &E) -> Result<Violations, Error<E::ErrorCode>> {
    let checked = request.validate();
    log_validation(E::API_NAME, &checked);
    checked.map_err(Error::Validation)
}

/// Log what validating a request of `api` found: each warning, or the error that ends the call.
fn log_validation(api: &'static str, checked: &Result<Violations, ValidationError>) {
    match checked {
        Ok(warnings) => {
            for warning in warnings.warnings() {
                tracing::warn!(api, %warning, "request breaks a recommended limit");
            }
            if warnings.dropped() > 0 {
                tracing::warn!(
                    api,
                    more = warnings.dropped(),
                    "further validation warnings not listed"
                );
            }
        }
        Err(e) => {
            tracing::debug!(api, error = %e, "request failed validation; nothing sent");
        }
    }
}

/// The span of one call of `shape`, with the caller's `client_request_id` if it gave one;
/// `request_id` is filled in when the server sends one. Each attempt runs in a child span
/// `attempt` with its number.
pub(crate) fn span(shape: &Shape, client_request_id: Option<&str>) -> Span {
    tracing::info_span!(
        "api_call",
        api = shape.api,
        protocol = ?shape.protocol,
        client_request_id,
        request_id = tracing::field::Empty,
    )
}

/// The outcome of one attempt at calling `E`.
type Attempt<E> = Result<
    Answer<<E as Endpoint>::Response, <E as Endpoint>::ErrorCode>,
    Error<<E as Endpoint>::ErrorCode>,
>;

/// How an attempt failed without an answer to read: the request could not be made or sent,
/// nothing came back, or the body was longer than the cap. The same for every endpoint; it
/// becomes an [`Error`] of the endpoint's code table where the outcome is kept
/// ([`Typed::fail`]).
#[derive(Debug)]
pub(crate) enum Failure {
    /// The request could not be encoded.
    Encode(EncodeError),
    /// A file of the request could not be sent.
    File(FileError),
    /// The HTTP exchange failed.
    Transport(TransportError),
    /// No access token could be had.
    Token(TokenError),
    /// The client-side rate limit admits no call before the deadline.
    Throttled(Throttled),
    /// The answer's body was longer than the cap (its snippet already scrubbed).
    UnexpectedBody {
        /// The HTTP status.
        status: u16,
        /// A bounded, scrubbed excerpt of the body.
        snippet: String,
    },
}

impl From<EncodeError> for Failure {
    fn from(e: EncodeError) -> Self {
        Failure::Encode(e)
    }
}

impl From<FileError> for Failure {
    fn from(e: FileError) -> Self {
        Failure::File(e)
    }
}

impl From<TransportError> for Failure {
    fn from(e: TransportError) -> Self {
        Failure::Transport(e)
    }
}

impl From<TokenError> for Failure {
    fn from(e: TokenError) -> Self {
        Failure::Token(e)
    }
}

impl From<Throttled> for Failure {
    fn from(t: Throttled) -> Self {
        Failure::Throttled(t)
    }
}

impl<C: ErrorCode> From<Failure> for Error<C> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Encode(e) => Error::Encode(e),
            Failure::File(e) => Error::File(e),
            Failure::Transport(e) => Error::Transport(e),
            Failure::Token(e) => Error::Token(e),
            Failure::Throttled(t) => t.into(),
            Failure::UnexpectedBody { status, snippet } => {
                Error::UnexpectedBody { status, snippet }
            }
        }
    }
}

/// What the course of a call asks of a failed attempt's typed error.
pub(crate) trait CallFailure: fmt::Display + Send + Sync {
    /// [`Error::is_retryable`].
    fn is_retryable(&self) -> bool;
    /// [`Error::is_token_rejected`].
    fn is_token_rejected(&self) -> bool;
    /// [`Error::request_id`].
    fn request_id(&self) -> Option<&str>;
}

impl<C: ErrorCode> CallFailure for Error<C> {
    fn is_retryable(&self) -> bool {
        Error::is_retryable(self)
    }

    fn is_token_rejected(&self) -> bool {
        Error::is_token_rejected(self)
    }

    fn request_id(&self) -> Option<&str> {
        Error::request_id(self)
    }
}

/// The endpoint-typed half of a call: reads an attempt's answer into the endpoint's types and
/// keeps the latest attempt's outcome. The course of the call sees it through this trait only.
pub(crate) trait Typed: Send {
    /// Read the answer `raw` of an attempt (its body within the cap); `redact` knows the
    /// attempt's secrets.
    fn read(&mut self, raw: RawResponse, redact: &Redactor<'_>);
    /// Keep the failure of an attempt that produced no answer to read.
    fn fail(&mut self, failure: Failure);
    /// How the latest attempt failed; `None` when it succeeded.
    fn failure(&self) -> Option<&dyn CallFailure>;
}

/// A [`Typed`] for endpoint `E` reading answers with `read` (its family's envelope reader).
pub(crate) struct Kept<E: Endpoint, F> {
    outcome: Option<Attempt<E>>,
    read: F,
    keep_headers: bool,
}

/// How a family's envelope reader reads an answer of `E`: its status, body and the redactor.
type Read<E> = Result<
    Decoded<<E as Endpoint>::Response, <E as Endpoint>::ErrorCode>,
    Error<<E as Endpoint>::ErrorCode>,
>;

impl<E, F> Kept<E, F>
where
    E: Endpoint,
    F: Fn(u16, &[u8], &Redactor<'_>) -> Read<E> + Send,
{
    /// Nothing kept yet; answers will be read with `read`, their headers kept when
    /// `keep_headers` (scrubbed of secrets) or dropped.
    pub fn new(read: F, keep_headers: bool) -> Self {
        Kept {
            outcome: None,
            read,
            keep_headers,
        }
    }

    /// The outcome of the last attempt.
    pub fn into_outcome(self) -> Attempt<E> {
        self.outcome.unwrap_or_else(|| {
            Err(Error::Encode(EncodeError::new(
                "the call ended before its first attempt",
            )))
        })
    }
}

impl<E, F> Typed for Kept<E, F>
where
    E: Endpoint,
    F: Fn(u16, &[u8], &Redactor<'_>) -> Read<E> + Send,
{
    fn read(&mut self, raw: RawResponse, redact: &Redactor<'_>) {
        let decoded = (self.read)(raw.status, &raw.body, redact);
        let keep_headers = self.keep_headers;
        self.outcome = Some(decoded.map(|decoded| Answer::new(raw, decoded, keep_headers, redact)));
    }

    fn fail(&mut self, failure: Failure) {
        self.outcome = Some(Err(failure.into()));
    }

    fn failure(&self) -> Option<&dyn CallFailure> {
        match &self.outcome {
            Some(Err(e)) => Some(e),
            Some(Ok(_)) | None => None,
        }
    }
}

/// Give `typed` the answer `raw` to read, or the failure of a body cut at the cap.
pub(crate) fn read_answer(typed: &mut dyn Typed, raw: RawResponse, redact: &Redactor<'_>) {
    match raw.over_cap(redact) {
        None => typed.read(raw, redact),
        Some(failure) => typed.fail(failure),
    }
}

/// The retry policy's course over a call's attempts: the attempt running, and whether one that
/// failed is tried again and after what pause.
pub(crate) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    retry: u32,
    number: u32,
}

impl<'a> Attempts<'a> {
    /// The first attempt under `policy`.
    pub fn new(policy: &'a RetryPolicy) -> Self {
        Attempts {
            policy,
            retry: 0,
            number: 1,
        }
    }

    /// The number of the attempt running, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The span of the attempt running.
    pub fn span(&self) -> Span {
        tracing::info_span!("attempt", attempt = self.number)
    }

    /// After an attempt that failed with `failure` (`None`: it succeeded): the pause before the
    /// next attempt, or `None` when the call ends with this one.
    pub fn after(&mut self, failure: Option<&dyn CallFailure>) -> Option<Duration> {
        let e = failure?;
        if e.is_retryable() && self.retry < self.policy.max_retries {
            self.retry += 1;
            let delay = self.policy.delay(self.retry);
            tracing::warn!(
                attempt = self.number,
                error = %e,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retryable failure; retrying"
            );
            self.number += 1;
            return Some(delay);
        }
        if let Some(id) = e.request_id() {
            Span::current().record("request_id", id);
        }
        tracing::debug!(attempt = self.number, error = %e, "call failed");
        None
    }
}
