//! The ClassIn partner API v1 client: form body with `SID`, `timeStamp` and `safeKey`
//! (`multipart/form-data` when the request has files); answers with `error_info.errno` 1 on
//! success.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use md5::{Digest, Md5};
use tracing::Instrument;

use crate::call::{self, Attempts, Detailed, Failure, Kept, Reply, Typed};
use crate::clock::{unix_seconds, Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, HttpMethod, Protocol, Route, Shape};
use crate::envelope::read_classin;
use crate::error::BuildError;
#[cfg(doc)]
use crate::error::Error;
use crate::file::File;
use crate::form::{multipart, write_form, EncodeError, FieldSink, FormStyle};
use crate::http::{parse_base, redacted_url, BaseUrl, Http, Transport};
use crate::limit::{Limiter, RateLimits};
use crate::options::{Call, CallOptions, Caller, Effective};
use crate::redact::Redactor;
use crate::secret::Secret;
use crate::sync::deadline_in;

/// The default ClassIn base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.eeo.cn";

/// The `Content-Type` of a ClassIn request body without files (one with files is
/// `multipart/form-data`).
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// `safeKey`: lowercase hex MD5 of `SECRET` followed by the decimal `timeStamp`.
pub fn safe_key(secret: &Secret, time_stamp: i64) -> Secret {
    let mut h = Md5::new();
    h.update(secret.expose().as_bytes());
    h.update(time_stamp.to_string().as_bytes());
    Secret::new(hex::encode(h.finalize()))
}

/// The `application/x-www-form-urlencoded` body of a call without files: `SID`, `safeKey` and
/// `timeStamp`, then `fields`, the request's own fields already urlencoded.
pub fn form_body(sid: &str, safe_key: &Secret, time_stamp: i64, fields: &str) -> String {
    let mut form = form_urlencoded::Serializer::new(String::with_capacity(80 + fields.len()));
    form.append_pair("SID", sid)
        .append_pair("safeKey", safe_key.expose())
        .append_pair("timeStamp", &time_stamp.to_string());
    let mut body = form.finish();
    if !fields.is_empty() {
        body.push('&');
        body.push_str(fields);
    }
    body
}

/// A request's own fields, encoded once per call: urlencoded for a `POST` without files, as
/// pairs for a query or a multipart body. File fields are left out.
#[derive(Debug)]
enum Encoded {
    Urlencoded(String),
    Pairs(Vec<(String, String)>),
}

impl Encoded {
    fn of<E: Endpoint>(request: &E, files: &[(&'static str, &File)]) -> Result<Self, EncodeError> {
        if E::METHOD == HttpMethod::Post && files.is_empty() {
            let mut form = form_urlencoded::Serializer::new(String::with_capacity(128));
            write_form(request, E::FIELD_ENCODINGS, FormStyle::ClassIn, &mut form)?;
            return Ok(Encoded::Urlencoded(form.finish()));
        }
        let mut pairs = Without {
            sink: Vec::new(),
            files,
        };
        write_form(request, E::FIELD_ENCODINGS, FormStyle::ClassIn, &mut pairs)?;
        Ok(Encoded::Pairs(pairs.sink))
    }
}

/// An attempt's HTTP request: ready to send, or a multipart `POST` whose form (these fields
/// and the call's files) is still to be read.
enum Prepared {
    Ready(reqwest::RequestBuilder),
    Multipart(reqwest::RequestBuilder, Vec<(String, String)>),
}

/// A sink that leaves out the fields sent as files.
struct Without<'a, S> {
    sink: S,
    files: &'a [(&'static str, &'a File)],
}

impl<S: FieldSink> FieldSink for Without<'_, S> {
    fn field(&mut self, name: &str, text: &str) {
        if !self.files.iter().any(|(wire, _)| *wire == name) {
            self.sink.field(name, text);
        }
    }
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
    base: BaseUrl,
    sid: String,
    secret: Secret,
    limiter: Limiter,
    transport: Transport,
    clock: SharedClock,
}

impl fmt::Debug for ClassInClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("ClassInClient")
            .field("base_url", &redacted_url(i.base.as_str()))
            .field("sid", &i.sid)
            .field("secret", &i.secret)
            .field("transport", &i.transport)
            .field("rate_limits", &i.limiter)
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
            transport: Transport::default(),
            clock: Arc::new(SystemClock),
            rate_limits: RateLimits::default(),
        }
    }

    /// Call `request`'s endpoint: `.await` the returned [`Call`] for the typed response (the
    /// whole answer body, `data` and `error_info`), or set options for this call first
    /// (timeout, retry policy, extra headers, a request id) and ask for the
    /// [`detailed`](Call::detailed) reply.
    ///
    /// The request is validated first: a request breaking a documented limit fails with
    /// [`Error::Validation`] and nothing is sent; warnings are logged at `warn` level (the
    /// detailed reply has them). `error_info.errno` other than 1 is an [`Error::ClassIn`] with
    /// the endpoint's typed code; codes 104, 114, 460 and 464 and failed connections are retried
    /// per the retry policy. Per-item codes inside `data` are not errors: read them through
    /// [`crate::ItemResult::outcome`] or [`crate::items::summarize`]. A call-level code the
    /// endpoint marks as a partial success is returned as an error when the call is awaited
    /// ([`Error::is_partial_success`]); the detailed reply has its payload
    /// ([`Reply::partial`]).
    ///
    /// A request with files ([`Endpoint::files`]) is sent as `multipart/form-data`: text parts
    /// `SID`, `safeKey`, `timeStamp`, then the request's fields as the urlencoded body would
    /// hold them (file fields left out), then one part per file with its name and media type.
    /// Each attempt reads its files anew; a file from a stream can be sent once, so a retry of
    /// it fails with [`Error::File`].
    pub fn call<'a, E: Endpoint>(&'a self, request: &'a E) -> Call<'a, Self, E> {
        Call::new(self, request)
    }

    /// The call of `request` with the detailed reply: `self.call(request).detailed()`.
    pub async fn call_detailed<E: Endpoint>(&self, request: &E) -> Detailed<E> {
        self.call_with(request, CallOptions::default()).await
    }

    /// The call of `request` with `options`. A plain function returning its block, not an
    /// `async fn` around it, so the future holds its arguments once; the call's span is made in
    /// the block, when the call is first polled.
    fn call_with_options<'a, E: Endpoint>(
        &'a self,
        request: &'a E,
        options: CallOptions,
    ) -> impl Future<Output = Detailed<E>> + Send + 'a {
        const {
            assert!(
                matches!(E::PROTOCOL, Protocol::ClassInV1),
                "ClassInClient serves ClassIn v1 endpoints only"
            )
        };
        let shape = Shape::of::<E>();
        async move {
            // Made when the call is first polled, under the span current there.
            let span = call::span(&shape, options.request_id_value());
            async {
                let settings = options.effective(&self.inner.transport)?;
                let warnings = call::validate(request)?;
                let files = request.files();
                let fields = Encoded::of(request, &files)?;
                let mut kept = Kept::<E, _>::new(read_classin, settings.keep_headers());
                let attempts = self.run(&shape, &fields, &files, settings, &mut kept).await;
                Ok(Reply::new(kept.into_outcome()?, warnings, attempts))
            }
            .instrument(span)
            .await
        }
    }

    /// The course of a call of `shape` sending `fields` and `files`, the same for every
    /// endpoint: attempts until one succeeds, one fails in a way that is not retried, or the
    /// retries are used up, each answer read by `typed`. Returns the number of attempts.
    async fn run(
        &self,
        shape: &Shape,
        fields: &Encoded,
        files: &[(&'static str, &File)],
        settings: Effective<'_>,
        typed: &mut dyn Typed,
    ) -> u32 {
        let mut attempts = Attempts::new(settings.retry);
        loop {
            self.send(shape, fields, files, settings, typed)
                .instrument(attempts.span())
                .await;
            match attempts.after(typed.failure()) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return attempts.number(),
            }
        }
    }

    /// The form fields of a call at Unix time `time_stamp` and its `safeKey`: `SID`,
    /// `safeKey`, `timeStamp`, then the request's own `pairs`.
    fn form_pairs(
        &self,
        pairs: &[(String, String)],
        key: &Secret,
        time_stamp: i64,
    ) -> Vec<(String, String)> {
        let mut all = Vec::with_capacity(3 + pairs.len());
        all.push(("SID".to_owned(), self.inner.sid.clone()));
        all.push(("safeKey".to_owned(), key.expose().to_owned()));
        all.push(("timeStamp".to_owned(), time_stamp.to_string()));
        all.extend_from_slice(pairs);
        all
    }

    /// One attempt, all of it before the attempt's deadline: a rate-limit slot, then the
    /// request with a fresh `timeStamp` and `safeKey`.
    async fn send(
        &self,
        shape: &Shape,
        fields: &Encoded,
        files: &[(&'static str, &File)],
        settings: Effective<'_>,
        typed: &mut dyn Typed,
    ) {
        let inner = &self.inner;
        let deadline = deadline_in(settings.timeout);
        if let Err(throttled) = inner.limiter.acquire(shape.api, deadline).await {
            return typed.fail(throttled.into());
        }
        let (prepared, key) = match self.request(shape, fields, files) {
            Ok(prepared) => prepared,
            Err(failure) => return typed.fail(failure),
        };
        let request = match prepared {
            Prepared::Ready(request) => request,
            // Boxed: a call without files (the usual one) then carries a pointer's room for
            // reading them, not the reading itself, through every layer of the call.
            Prepared::Multipart(request, pairs) => match Box::pin(multipart(pairs, files)).await {
                Ok(form) => request.multipart(form),
                Err(e) => return typed.fail(e.into()),
            },
        };
        tracing::debug!(route = ?shape.route, files = files.len(), "sending ClassIn request");
        let raw = match inner.http.send(settings.apply(request), deadline).await {
            Ok(raw) => raw,
            Err(e) => return typed.fail(e.into()),
        };
        tracing::debug!(status = raw.status, bytes = raw.body.len(), "received");
        let secrets = [inner.secret.expose(), key.expose()];
        call::read_answer(typed, raw, &Redactor::new(&secrets));
    }

    /// The HTTP request of one attempt (its multipart form still to be read, when it has one),
    /// and the `safeKey` it carries.
    fn request(
        &self,
        shape: &Shape,
        fields: &Encoded,
        files: &[(&'static str, &File)],
    ) -> Result<(Prepared, Secret), Failure> {
        let inner = &self.inner;
        let encode = |m: String| Failure::Encode(EncodeError::new(m));
        let (path, action) = match shape.route {
            Route::Action { path, action } => (path, action),
            Route::Path(_) | Route::TopMethod(_) => {
                return Err(encode(format!(
                    "{} is a ClassIn endpoint but its route is not an action",
                    shape.api
                )))
            }
        };
        let mut url = inner.base.join(path).map_err(|e| encode(e.to_string()))?;
        url.query_pairs_mut().append_pair("action", action);
        let time_stamp = unix_seconds(inner.clock.now());
        let key = safe_key(&inner.secret, time_stamp);
        let prepared = match (shape.method, fields) {
            (HttpMethod::Get, _) if !files.is_empty() => {
                return Err(encode(format!(
                    "{} is a GET endpoint: its file fields cannot be sent in a query",
                    shape.api
                )))
            }
            (HttpMethod::Post, Encoded::Urlencoded(fields)) => Prepared::Ready(
                inner
                    .http
                    .request(reqwest::Method::POST, url)
                    .header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE)
                    .body(form_body(&inner.sid, &key, time_stamp, fields)),
            ),
            (HttpMethod::Post, Encoded::Pairs(pairs)) => Prepared::Multipart(
                inner.http.request(reqwest::Method::POST, url),
                self.form_pairs(pairs, &key, time_stamp),
            ),
            (HttpMethod::Get, Encoded::Pairs(pairs)) => {
                url.query_pairs_mut()
                    .extend_pairs(self.form_pairs(pairs, &key, time_stamp));
                Prepared::Ready(inner.http.request(reqwest::Method::GET, url))
            }
            (HttpMethod::Get, Encoded::Urlencoded(_)) => {
                return Err(encode(format!(
                    "{}: the request was encoded for a POST body",
                    shape.api
                )))
            }
        };
        Ok((prepared, key))
    }
}

impl Caller for ClassInClient {
    fn call_with<'a, E: Endpoint>(
        &'a self,
        request: &'a E,
        options: CallOptions,
    ) -> impl Future<Output = Detailed<E>> + Send + 'a {
        self.call_with_options(request, options)
    }
}

/// Configuration of a [`ClassInClient`].
pub struct ClassInClientBuilder {
    sid: String,
    secret: Secret,
    base_url: String,
    transport: Transport,
    clock: SharedClock,
    rate_limits: RateLimits,
}

impl fmt::Debug for ClassInClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClassInClientBuilder")
            .field("sid", &self.sid)
            .field("secret", &self.secret)
            .field("base_url", &redacted_url(&self.base_url))
            .field("transport", &self.transport)
            .field("rate_limits", &self.rate_limits)
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

    /// Client-side rate limits per school (`SID`) and per endpoint (see [`crate::limit`]).
    /// Default: none.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<ClassInClient, BuildError> {
        if self.sid.is_empty() || self.secret.is_empty() {
            return Err(BuildError::MissingCredentials);
        }
        Ok(ClassInClient {
            inner: Arc::new(Inner {
                http: Http::new(&self.transport)?,
                base: parse_base(&self.base_url)?,
                limiter: Limiter::new(self.rate_limits, self.sid.clone()),
                sid: self.sid,
                secret: self.secret,
                transport: self.transport,
                clock: self.clock,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Decoded;
    use crate::Error;
    use crate::UndocumentedCode;
    use serde_json::Value;

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

    fn run(body: &str) -> Result<Decoded<Value, UndocumentedCode>, Error> {
        read_classin(200, body.as_bytes(), &Redactor::default())
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
            r#"{"error_info":[1]}"#,
            r#"{"error_info":{"errno":1}} x"#,
            "[]",
        ] {
            assert!(
                matches!(run(body), Err(Error::UnexpectedBody { .. })),
                "{body}"
            );
        }
    }
}
