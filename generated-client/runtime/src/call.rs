//! One call's course, shared by all protocol clients: validate, attempt, retry with backoff.

use std::borrow::Cow;
use std::future::Future;

use reqwest::header::{HeaderMap, HeaderValue};
use tracing::{Instrument, Span};

use crate::endpoint::{Endpoint, ErrorCode, Protocol, UndocumentedCode};
use crate::envelope::{Decoded, Partial};
use crate::error::Error;
use crate::http::RawResponse;
use crate::redact::Redactor;
use crate::retry::RetryPolicy;
use crate::validate::Violations;

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
/// headers.
pub(crate) struct Answer<R, C> {
    pub decoded: Decoded<R, C>,
    pub status: u16,
    pub headers: HeaderMap,
}

impl<R, C> Answer<R, C> {
    /// The answer `raw`, decoded as `decoded`; header values holding a secret `redact` knows are
    /// replaced.
    pub fn new(raw: RawResponse, decoded: Decoded<R, C>, redact: &Redactor<'_>) -> Self {
        let mut headers = raw.headers;
        // Every value read in one pass first, joined by line breaks (which no value holds): a
        // value's own secret shows in the joined text, so a clean answer (the usual one) costs
        // one scan instead of one per value. What the joined text shows may span two values, so
        // each is checked alone before anything is replaced.
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
        Answer {
            decoded,
            status: raw.status,
            headers,
        }
    }

    /// The server's `request_id`, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.decoded.request_id.as_deref()
    }
}

/// Header bytes as text, invalid UTF-8 replaced. Header values are visible ASCII as a rule:
/// `from_utf8` checks that a word at a time, `from_utf8_lossy` a character at a time.
fn as_text(bytes: &[u8]) -> Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
}

/// Validate `request`: errors end the call before any I/O; warnings are logged and returned.
pub(crate) fn validate<E: Endpoint>(request: &E) -> Result<Violations, Error<E::ErrorCode>> {
    match request.validate() {
        Ok(warnings) => {
            for warning in warnings.warnings() {
                tracing::warn!(api = E::API_NAME, %warning, "request breaks a recommended limit");
            }
            if warnings.dropped() > 0 {
                tracing::warn!(
                    api = E::API_NAME,
                    more = warnings.dropped(),
                    "further validation warnings not listed"
                );
            }
            Ok(warnings)
        }
        Err(e) => {
            tracing::debug!(api = E::API_NAME, error = %e, "request failed validation; nothing sent");
            Err(Error::Validation(e))
        }
    }
}

/// The span of one call, with the caller's `client_request_id` if it gave one; `request_id` is
/// filled in when the server sends one. Each attempt runs in a child span `attempt` with its
/// number.
pub(crate) fn span<E: Endpoint>(client_request_id: Option<&str>) -> Span {
    tracing::info_span!(
        "api_call",
        api = E::API_NAME,
        protocol = ?E::PROTOCOL,
        client_request_id,
        request_id = tracing::field::Empty,
    )
}

/// Run `attempt` (given the attempt number, from 1) until it succeeds, fails in a way that is
/// not retried, or the policy's retries are used up.
pub(crate) async fn with_retries<T, C, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<(Answer<T, C>, u32), Error<C>>
where
    C: ErrorCode,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Answer<T, C>, Error<C>>>,
{
    let mut retry = 0u32;
    let mut number = 1u32;
    loop {
        let span = tracing::info_span!("attempt", attempt = number);
        match attempt(number).instrument(span).await {
            Ok(answer) => return Ok((answer, number)),
            Err(e) if e.is_retryable() && retry < policy.max_retries => {
                retry += 1;
                let delay = policy.delay(retry);
                tracing::warn!(
                    attempt = number,
                    error = %e,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "retryable failure; retrying"
                );
                number += 1;
                tokio::time::sleep(delay).await;
            }
            Err(e) => {
                if let Some(id) = e.request_id() {
                    Span::current().record("request_id", id);
                }
                tracing::debug!(attempt = number, error = %e, "call failed");
                return Err(e);
            }
        }
    }
}
