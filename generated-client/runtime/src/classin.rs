//! The ClassIn partner API v1 client: form body with `SID`, `timeStamp` and `safeKey`; answers
//! with `error_info.errno` 1 on success.

use std::fmt;
use std::sync::Arc;

use md5::{Digest, Md5};
use serde_json::Value;
use tracing::Instrument;

use crate::call::{self, with_retries, Answer, Reply};
use crate::clock::{unix_seconds, Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, ErrorCode, HttpMethod, Protocol, Route};
use crate::error::{snippet, BuildError, Error};
use crate::form::{fields_of, form_pairs, EncodeError, Fields, FormStyle};
use crate::http::{join, parse_base, Http, RawResponse, Timeouts};
use crate::json::{decode, lenient_i64, text};
use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// The default ClassIn base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.eeo.cn";

/// The `Content-Type` of a ClassIn request body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// `safeKey`: lowercase hex MD5 of `SECRET` followed by the decimal `timeStamp`.
pub fn safe_key(secret: &Secret, time_stamp: i64) -> Secret {
    let mut h = Md5::new();
    h.update(secret.expose().as_bytes());
    h.update(time_stamp.to_string().as_bytes());
    Secret::new(hex::encode(h.finalize()))
}

/// A client for ClassIn partner API v1 endpoints ([`Protocol::ClassInV1`]).
///
/// Cloning is cheap; clones share the HTTP connection pool.
#[derive(Clone)]
pub struct ClassInClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    base: String,
    sid: String,
    secret: Secret,
    retry: RetryPolicy,
    timeouts: Timeouts,
    clock: SharedClock,
}

impl fmt::Debug for ClassInClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("ClassInClient")
            .field("base_url", &i.base)
            .field("sid", &i.sid)
            .field("secret", &i.secret)
            .field("timeouts", &i.timeouts)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

impl ClassInClient {
    /// Start configuring a client for school `sid` with its `secret`.
    pub fn builder(sid: impl Into<String>, secret: impl Into<Secret>) -> ClassInClientBuilder {
        ClassInClientBuilder {
            sid: sid.into(),
            secret: secret.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Call `request`'s endpoint and return its typed response (the whole answer body,
    /// `data` and `error_info`).
    ///
    /// The request is validated first: a request breaking a documented limit fails with
    /// [`Error::Validation`] and nothing is sent; warnings are logged at `warn` level (use
    /// [`Self::call_detailed`] to receive them). `error_info.errno` other than 1 is an
    /// [`Error::ClassIn`] with the endpoint's typed code; codes 104, 114, 460 and 464 and failed
    /// connections are retried per the retry policy. Per-item codes inside `data` are not errors:
    /// read them through [`crate::ItemResult::outcome`] or [`crate::items::summarize`].
    pub async fn call<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error<E::ErrorCode>> {
        self.call_detailed(request)
            .await
            .map(|reply| reply.response)
    }

    /// Like [`Self::call`], also returning the validation warnings and the number of attempts.
    pub async fn call_detailed<E: Endpoint>(
        &self,
        request: &E,
    ) -> Result<Reply<E::Response>, Error<E::ErrorCode>> {
        const {
            assert!(
                matches!(E::PROTOCOL, Protocol::ClassInV1),
                "ClassInClient serves ClassIn v1 endpoints only"
            )
        };
        let span = call::span::<E>();
        async move {
            let warnings = call::validate(request)?;
            let fields = fields_of(request)?;
            let ((response, request_id), attempts) =
                with_retries(&self.inner.retry, |_| self.send::<E>(&fields)).await?;
            tracing::debug!(attempts, "call succeeded");
            Ok(Reply {
                response,
                warnings,
                request_id,
                attempts,
            })
        }
        .instrument(span)
        .await
    }

    /// The form fields of a call at Unix time `time_stamp`: `SID`, `safeKey`, `timeStamp`, then
    /// the request's own fields.
    fn form<E: Endpoint>(&self, fields: &Fields, time_stamp: i64) -> Vec<(String, String)> {
        let inner = &self.inner;
        let key = safe_key(&inner.secret, time_stamp);
        let mut pairs = vec![
            ("SID".to_owned(), inner.sid.clone()),
            ("safeKey".to_owned(), key.expose().to_owned()),
            ("timeStamp".to_owned(), time_stamp.to_string()),
        ];
        pairs.extend(form_pairs(fields, E::FIELD_ENCODINGS, FormStyle::ClassIn));
        pairs
    }

    async fn send<E: Endpoint>(
        &self,
        fields: &Fields,
    ) -> Result<Answer<E::Response>, Error<E::ErrorCode>> {
        let inner = &self.inner;
        let encode = |m: String| Error::Encode(EncodeError::new(m));
        let (path, action) = match E::ROUTE {
            Route::Action { path, action } => (path, action),
            Route::Path(_) | Route::TopMethod(_) => {
                return Err(encode(format!(
                    "{} is a ClassIn endpoint but its route is not an action",
                    E::API_NAME
                )))
            }
        };
        let mut url = join(&inner.base, path).map_err(|e| encode(e.to_string()))?;
        url.query_pairs_mut().append_pair("action", action);
        let pairs = self.form::<E>(fields, unix_seconds(inner.clock.now()));
        let request = match E::METHOD {
            HttpMethod::Post => {
                let body =
                    serde_urlencoded::to_string(&pairs).map_err(|e| encode(e.to_string()))?;
                inner
                    .http
                    .request(reqwest::Method::POST, url)
                    .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
                    .body(body)
            }
            HttpMethod::Get => {
                url.query_pairs_mut().extend_pairs(&pairs);
                inner.http.request(reqwest::Method::GET, url)
            }
        };
        tracing::debug!(action, "sending ClassIn request");
        let raw = inner.http.send(request).await?;
        tracing::debug!(status = raw.status, bytes = raw.body.len(), "received");
        interpret::<E::Response, E::ErrorCode>(raw)
    }
}

/// Read a ClassIn answer: `error_info.errno` (a number or a string) 1 is success and the whole
/// body is the response; another errno is an [`Error::ClassIn`]; a body without `error_info` is
/// unexpected.
pub(crate) fn interpret<R: serde::de::DeserializeOwned, C: ErrorCode>(
    raw: RawResponse,
) -> Result<Answer<R>, Error<C>> {
    let unexpected = || Error::UnexpectedBody {
        status: raw.status,
        snippet: snippet(&raw.body),
    };
    if raw.truncated {
        return Err(unexpected());
    }
    let Ok(body @ Value::Object(_)) = serde_json::from_slice::<Value>(&raw.body) else {
        return Err(unexpected());
    };
    let Some(Value::Object(info)) = body.get("error_info") else {
        return Err(unexpected());
    };
    let Some(errno) = info.get("errno").and_then(lenient_i64) else {
        return Err(unexpected());
    };
    if errno != 1 {
        return Err(Error::ClassIn {
            code: C::from_code(errno),
            message: text(info.get("error")).unwrap_or_default(),
        });
    }
    let response = decode(body).map_err(|message| Error::Decode {
        status: raw.status,
        message,
        snippet: snippet(&raw.body),
    })?;
    Ok((response, None))
}

/// Configuration of a [`ClassInClient`].
pub struct ClassInClientBuilder {
    sid: String,
    secret: Secret,
    base_url: String,
    timeouts: Timeouts,
    retry: RetryPolicy,
    clock: SharedClock,
}

impl fmt::Debug for ClassInClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClassInClientBuilder")
            .field("sid", &self.sid)
            .field("secret", &self.secret)
            .field("base_url", &self.base_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClassInClientBuilder {
    /// The base URL; the endpoint's script path is appended. Default [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    crate::http::transport_setters!();

    /// The clock used for `timeStamp` and `safeKey`. Default the system clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<ClassInClient, BuildError> {
        if self.sid.is_empty() || self.secret.is_empty() {
            return Err(BuildError::MissingCredentials);
        }
        Ok(ClassInClient {
            inner: Arc::new(Inner {
                http: Http::new(self.timeouts)?,
                base: parse_base(&self.base_url)?,
                sid: self.sid,
                secret: self.secret,
                retry: self.retry,
                timeouts: self.timeouts,
                clock: self.clock,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UndocumentedCode;

    #[test]
    fn safe_key_is_lowercase_md5_of_secret_and_time_stamp() {
        // md5("Mb71234" + "1493725870"), computed independently.
        let key = safe_key(&Secret::new("Mb71234"), 1_493_725_870);
        assert_eq!(key.expose(), "2a8abf11be48acd1499a7d809aa35951");
        assert_eq!(key.expose().len(), 32);
        assert!(key
            .expose()
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert_eq!(
            safe_key(&Secret::new(""), 0).expose(),
            "cfcd208495d565ef66e7dff9f98764da"
        );
        assert_eq!(
            safe_key(&Secret::new("abc"), 123).expose(),
            "e99a18c428cb38d5f260853678922e03"
        );
    }

    fn run(body: &str) -> Result<Answer<Value>, Error<UndocumentedCode>> {
        interpret(RawResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
            truncated: false,
        })
    }

    #[test]
    fn errno_as_number_or_string() {
        assert!(run(r#"{"data":[],"error_info":{"errno":1,"error":"程序正常执行"}}"#).is_ok());
        assert!(run(r#"{"data":[],"error_info":{"errno":"1","error":"程序正常执行"}}"#).is_ok());
        match run(r#"{"error_info":{"errno":"102","error":"无权限"}}"#) {
            Err(Error::ClassIn { code, message }) => {
                assert_eq!(code, UndocumentedCode(102));
                assert_eq!(message, "无权限");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bodies_without_error_info_are_unexpected() {
        for body in [
            "<html></html>",
            r#"{"data":[]}"#,
            r#"{"error_info":{"errno":"x"}}"#,
            "[]",
        ] {
            assert!(
                matches!(run(body), Err(Error::UnexpectedBody { .. })),
                "{body}"
            );
        }
    }
}
