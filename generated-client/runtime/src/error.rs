//! What a call can fail with.
//!
//! Every variant says what happened without repeating a credential: access tokens, app secrets,
//! the ClassIn `SECRET` and `safeKey` never appear in an error's `Display` or `Debug` output.
//! Transport errors are stripped of their URL because the URL carries the access token, and
//! every text taken from a server passes through [`crate::redact::Redactor`] first.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::endpoint::{CodeKind, ErrorCode, UndocumentedCode};
use crate::file::FileError;
use crate::form::EncodeError;
use crate::paginate::PageError;
use crate::validate::ValidationError;

/// The most characters of a response body an error keeps.
pub const SNIPPET_CHARS: usize = 256;

/// A bounded, printable excerpt of a response body, with every credential-named parameter
/// scrubbed: [`crate::redact::Redactor::snippet`] without call secrets.
pub fn snippet(body: &[u8]) -> String {
    crate::redact::Redactor::default().snippet(body)
}

/// What went wrong below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// No connection could be made (refused, unreachable, DNS, TLS handshake, connect timeout):
    /// the request was not sent.
    Connect,
    /// The whole call took longer than the configured total timeout. The server may have
    /// received and acted on the request.
    Timeout,
    /// The connection failed after the request may have been sent, or the body could not be read.
    Other,
}

/// A failure below HTTP, with the underlying error (its URL removed). Cloning shares the
/// underlying error: a failed token fetch is reported to every call that waited for it.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportKind,
    /// The underlying error, without the request URL.
    pub source: Arc<reqwest::Error>,
}

impl TransportError {
    /// Classify a `reqwest` error and drop its URL, which holds the access token.
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let kind = if e.is_connect() {
            TransportKind::Connect
        } else if e.is_timeout() {
            TransportKind::Timeout
        } else {
            TransportKind::Other
        };
        TransportError {
            kind,
            source: Arc::new(e.without_url()),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Other => "transport failure",
        };
        write!(f, "{what}: {}", self.source)?;
        // The innermost cause says what actually happened ("Connection refused").
        let top: &dyn std::error::Error = &*self.source;
        let mut cause = top;
        while let Some(next) = cause.source() {
            cause = next;
        }
        if !std::ptr::addr_eq(cause, top) {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// Fetching an access token from `gettoken` failed.
///
/// One fetch serves every call waiting for the token, and its failure is remembered for a short
/// back-off: all of them receive a clone of the same error.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TokenError {
    /// `gettoken` answered with a non-zero `errcode` (for example 40089 for a wrong key or secret).
    #[error("gettoken failed with errcode {errcode}: {errmsg}")]
    Api {
        /// The `errcode`.
        errcode: i64,
        /// The `errmsg`.
        errmsg: String,
        /// The `request_id`, when sent.
        request_id: Option<String>,
    },
    /// `gettoken` answered with something that is not a token response (no numeric `errcode`,
    /// no `access_token` string, an `expires_in` that is not a number, not JSON).
    #[error("gettoken answered HTTP {status} with an unexpected body: {snippet}")]
    UnexpectedBody {
        /// The HTTP status.
        status: u16,
        /// What was wrong, and a bounded excerpt of the body with credentials scrubbed.
        snippet: String,
    },
    /// The token request did not complete.
    #[error("gettoken request failed: {0}")]
    Transport(#[from] TransportError),
    /// No token was had before the call's timeout: `gettoken` (this process's, or the fleet's
    /// through a shared token store) had not answered yet.
    #[error("no access token within the call's timeout (waited {waited:?})")]
    TimedOut {
        /// How long the call waited.
        waited: Duration,
    },
}

/// A failed call.
///
/// `C` is the endpoint's error-code table; ClassIn's `errno` is read into it.
#[derive(Debug, thiserror::Error)]
pub enum Error<C: ErrorCode = UndocumentedCode> {
    /// The request breaks a documented limit; nothing was sent.
    #[error("{0}")]
    Validation(#[from] ValidationError),
    /// The request could not be serialized; nothing was sent.
    #[error("{0}")]
    Encode(#[from] EncodeError),
    /// A file of the request could not be sent: a stream already sent by an earlier attempt, a
    /// file on disk that vanished or changed length, a media type that is not one. Nothing of
    /// this attempt was sent.
    #[error("{0}")]
    File(#[from] FileError),
    /// DingTalk oapi answered with a non-zero `errcode`.
    #[error(
        "DingTalk error {errcode}: {errmsg}{}{}",
        opt_part(" sub_code ", sub_code.as_deref()),
        opt_part(" request_id ", request_id.as_deref())
    )]
    DingTalk {
        /// The `errcode`.
        errcode: i64,
        /// The `errmsg`.
        errmsg: String,
        /// The `sub_code`, when sent (numbers are kept as their text).
        sub_code: Option<String>,
        /// The `sub_msg`, when sent.
        sub_msg: Option<String>,
        /// The `request_id`, when sent.
        request_id: Option<String>,
    },
    /// The TOP router answered with an `error_response`.
    #[error(
        "TOP error {code}: {msg}{}{}{}",
        opt_part(" sub_code ", sub_code.as_deref()),
        opt_part(" (", sub_msg.as_deref().map(|m| format!("{m})")).as_deref()),
        opt_part(" request_id ", request_id.as_deref())
    )]
    Top {
        /// The numeric `code`.
        code: i64,
        /// The `msg`.
        msg: String,
        /// The `sub_code`, for example `isv.invalid-parameter`.
        sub_code: Option<String>,
        /// The `sub_msg`.
        sub_msg: Option<String>,
        /// The `request_id`, when sent.
        request_id: Option<String>,
    },
    /// The TOP router answered with a success envelope whose `result.success` is false.
    #[error(
        "DingTalk TOP call failed: ding_open_errcode {} {}{}",
        ding_open_errcode.map(|c| c.to_string()).unwrap_or_else(|| "absent".into()),
        error_msg.as_deref().unwrap_or(""),
        opt_part(" request_id ", request_id.as_deref())
    )]
    TopFailure {
        /// `result.ding_open_errcode`, when sent.
        ding_open_errcode: Option<i64>,
        /// `result.error_msg`, when sent.
        error_msg: Option<String>,
        /// The `request_id`, when sent.
        request_id: Option<String>,
    },
    /// ClassIn answered with `error_info.errno` other than 1. When `code.kind()` is
    /// [`CodeKind::PartialSuccess`] (for example 841) the work was done: see
    /// [`Error::is_partial_success`].
    #[error("ClassIn error {} ({}): {message}", code.code(), code.meaning().unwrap_or("undocumented code"))]
    ClassIn {
        /// The typed `errno`.
        code: C,
        /// The `error` text.
        message: String,
    },
    /// The body is not a response of the protocol: not JSON, HTML, a gateway block page (IP ban,
    /// `{"status":1111,"punish":"deny",...}`), or JSON without the envelope's fields.
    #[error("unexpected response (HTTP {status}): {snippet}")]
    UnexpectedBody {
        /// The HTTP status.
        status: u16,
        /// A bounded excerpt of the body.
        snippet: String,
    },
    /// The body is a success envelope but its payload does not fit the typed response.
    #[error("response did not decode (HTTP {status}): {message}; body: {snippet}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not fit, with its path in the body.
        message: String,
        /// A bounded excerpt of the body.
        snippet: String,
    },
    /// The HTTP exchange failed: no connection, timeout, or a broken connection.
    #[error("{0}")]
    Transport(#[from] TransportError),
    /// No access token could be fetched.
    #[error("{0}")]
    Token(#[from] TokenError),
    /// The client-side rate limit admits no call to this endpoint before the call's timeout.
    /// Nothing was sent.
    #[error("rate limit of {scope} admits the next call in {wait:?}, after the call's timeout")]
    Throttled {
        /// Which limit: `app` or the endpoint's API name.
        scope: String,
        /// How long the call would have had to wait.
        wait: Duration,
    },
    /// Paging stopped although every call succeeded: the server gave a page that cannot be
    /// followed (a repeated cursor, more pages but no cursor, the same page again). The pages
    /// and items before it were yielded.
    #[error("{0}")]
    Page(#[from] PageError),
}

fn opt_part(prefix: &str, value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => format!("{prefix}{v}"),
        _ => String::new(),
    }
}

/// DingTalk `errcode`s that mean the access token is invalid or expired.
pub const TOKEN_INVALID_CODES: [i64; 4] = [40001, 40014, 42001, 33001];

/// ClassIn `errno`s that are retried: 104 and 114 (server error), 460 and 464 (the same thing is
/// being created by another request).
pub const CLASSIN_RETRYABLE: [i64; 4] = [104, 114, 460, 464];

fn sub_code_is(sub_code: Option<&str>, codes: &[i64]) -> bool {
    sub_code
        .and_then(|s| s.trim().parse::<i64>().ok())
        .is_some_and(|c| codes.contains(&c))
}

impl<C: ErrorCode> Error<C> {
    /// Whether the runtime retries this failure (with backoff): DingTalk `errcode` -1, 15 with
    /// `sub_code` `isp.-1`, rate limits 90002 and 90019; TOP code 7 (call limit) or `sub_code`
    /// `isp.-1`; ClassIn 104, 114, 460, 464 and any code the endpoint's spec marks retryable;
    /// and connection failures before the request was sent.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::DingTalk {
                errcode, sub_code, ..
            } => match errcode {
                -1 | 90002 | 90019 => true,
                15 => sub_code.as_deref() == Some("isp.-1"),
                _ => false,
            },
            Error::Top { code, sub_code, .. } => {
                *code == 7 || sub_code.as_deref() == Some("isp.-1")
            }
            Error::ClassIn { code, .. } => {
                CLASSIN_RETRYABLE.contains(&code.code()) || code.kind() == CodeKind::Retryable
            }
            Error::Transport(t) => t.kind == TransportKind::Connect,
            Error::Token(TokenError::Transport(t)) => t.kind == TransportKind::Connect,
            Error::Token(TokenError::Api { errcode, .. }) => *errcode == -1,
            _ => false,
        }
    }

    /// Whether the server rejected the access token (DingTalk 40001, 40014, 42001, 33001, also
    /// as a `sub_code`; TOP 27 "Invalid session").
    pub fn is_token_rejected(&self) -> bool {
        match self {
            Error::DingTalk {
                errcode, sub_code, ..
            } => {
                TOKEN_INVALID_CODES.contains(errcode)
                    || sub_code_is(sub_code.as_deref(), &TOKEN_INVALID_CODES)
            }
            Error::Top { code, sub_code, .. } => {
                *code == 27 || sub_code_is(sub_code.as_deref(), &TOKEN_INVALID_CODES)
            }
            _ => false,
        }
    }

    /// Whether the work was done although the server reported a code: a code whose kind in the
    /// endpoint's table is [`CodeKind::PartialSuccess`] (ClassIn 841, or `register`'s 135).
    /// `call_detailed` returns such an answer with its payload in [`crate::Reply::partial`].
    pub fn is_partial_success(&self) -> bool {
        match self {
            Error::ClassIn { code, .. } => code.kind() == CodeKind::PartialSuccess,
            Error::DingTalk { errcode, .. } => {
                C::from_code(*errcode).kind() == CodeKind::PartialSuccess
            }
            _ => false,
        }
    }

    /// Whether the total timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Transport(TransportError {
                kind: TransportKind::Timeout,
                ..
            }) | Error::Token(TokenError::Transport(TransportError {
                kind: TransportKind::Timeout,
                ..
            })) | Error::Token(TokenError::TimedOut { .. })
        )
    }

    /// The server's `request_id`, when the failure carries one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::DingTalk { request_id, .. }
            | Error::Top { request_id, .. }
            | Error::TopFailure { request_id, .. } => request_id.as_deref(),
            Error::Token(TokenError::Api { request_id, .. }) => request_id.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let e = |errcode: i64, sub: Option<&str>| Error::<UndocumentedCode>::DingTalk {
            errcode,
            errmsg: String::new(),
            sub_code: sub.map(str::to_owned),
            sub_msg: None,
            request_id: None,
        };
        assert!(e(-1, None).is_retryable());
        assert!(e(15, Some("isp.-1")).is_retryable());
        assert!(!e(15, Some("isv.x")).is_retryable());
        assert!(e(90002, None).is_retryable() && e(90019, None).is_retryable());
        assert!(!e(88, Some("60011")).is_retryable());
        assert!(!e(90020, None).is_retryable());
        for c in TOKEN_INVALID_CODES {
            assert!(e(c, None).is_token_rejected());
            assert!(!e(c, None).is_retryable());
        }
        assert!(e(88, Some("40014")).is_token_rejected());
        assert!(!e(88, Some("60011")).is_token_rejected());
        for c in [104, 114, 460, 464] {
            assert!(Error::ClassIn {
                code: UndocumentedCode(c),
                message: String::new()
            }
            .is_retryable());
        }
        let partial = Error::ClassIn {
            code: UndocumentedCode(841),
            message: String::new(),
        };
        assert!(!partial.is_retryable());
        // UndocumentedCode has no kinds of its own: 841 is a plain failure for it.
        assert!(!partial.is_partial_success());
    }

    /// A code the endpoint's spec marks retryable is retried even when the family's own list
    /// does not name it; one it marks a partial success never is.
    #[test]
    fn spec_kinds_drive_classin_retries() {
        let e = |c| Error::ClassIn {
            code: crate::endpoint::test_codes::Code(c),
            message: String::new(),
        };
        assert!(e(777).is_retryable());
        assert!(e(104).is_retryable());
        assert!(!e(100).is_retryable());
        assert!(!e(841).is_retryable() && e(841).is_partial_success());
    }
}

/// A client could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A base URL does not parse or is not `http`/`https`.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// No way to get an access token was configured.
    #[error("no access token or app key and secret configured")]
    MissingCredentials,
    /// The HTTP client could not be created.
    #[error("HTTP client could not be created: {0}")]
    Http(String),
}
