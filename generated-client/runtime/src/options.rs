//! Settings of one call, and the pending call that carries them.
//!
//! Every client method returns a [`Call`]: awaiting it sends the request with the client's
//! settings, and its setters change them for this call only, without a second method per
//! endpoint:
//!
//! ```no_run
//! # use std::time::Duration;
//! # use client_runtime::{dingtalk::DingTalkClient, Endpoint, Error, RetryPolicy};
//! # async fn demo<E: Endpoint>(client: &DingTalkClient, request: &E) -> Result<(), Error<E::ErrorCode>> {
//! let response = client.call(request).await?; // the client's settings
//! let reply = client
//!     .call(request)
//!     .timeout(Duration::from_secs(2))
//!     .retry(RetryPolicy::none())
//!     .header("x-tenant", "school-42")
//!     .request_id("job-7/step-3")
//!     .detailed() // status, headers, request id, warnings, attempts
//!     .await?;
//! println!("{} after {} attempt(s)", reply.status, reply.attempts);
//! # let _ = response; Ok(()) }
//! ```

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures_util::FutureExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::call::Detailed;
use crate::endpoint::{Endpoint, ErrorCode};
use crate::error::Error;
use crate::form::EncodeError;
use crate::http::Transport;
use crate::retry::RetryPolicy;

/// The header that carries [`CallOptions::request_id`].
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Settings for one call that override the client's for that call only. The default overrides
/// nothing.
#[derive(Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
    /// The first header that could not be read, reported when the call is made.
    bad_header: Option<String>,
    request_id: Option<String>,
    /// Set when only the response is wanted (an awaited [`Call`], a pager's page): the
    /// answer's headers are then dropped instead of scanned for secrets and kept.
    response_only: bool,
}

impl CallOptions {
    /// Options that override nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long each attempt of this call may take in all (waiting for a token and a rate-limit
    /// slot, connecting, sending, reading), instead of the client's
    /// [`Timeouts::total`](crate::Timeouts::total).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How this call is retried, instead of the client's retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Send an extra header with this call (replacing one of the same name that the protocol
    /// sets). A name or value that is not a valid header fails the call before anything is sent.
    /// Values are not shown in `Debug` output.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(true);
                self.headers.insert(name, value);
            }
            (Err(_), _) => {
                self.bad_header
                    .get_or_insert_with(|| "a header name".to_owned());
            }
            (Ok(name), Err(_)) => {
                self.bad_header
                    .get_or_insert_with(|| format!("the value of header `{name}`"));
            }
        }
        self
    }

    /// A caller-chosen id for tracing this call: recorded as `client_request_id` on the call's
    /// span (so every log line of the call carries it) and sent as [`REQUEST_ID_HEADER`].
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        let id = id.into();
        if HeaderValue::from_str(&id).is_err() {
            self.bad_header
                .get_or_insert_with(|| "the request id".to_owned());
        }
        self.request_id = Some(id);
        self
    }

    /// The request id set with [`Self::request_id`].
    pub fn request_id_value(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// These options for a call read for its response alone: the answer's headers are
    /// dropped, not scanned for secrets and kept.
    pub(crate) fn response_only(mut self) -> Self {
        self.response_only = true;
        self
    }

    /// The settings of one call on a client with `transport`, or the error of a bad header.
    pub(crate) fn effective<'a, C: ErrorCode>(
        &'a self,
        transport: &'a Transport,
    ) -> Result<Effective<'a>, Error<C>> {
        if let Some(what) = &self.bad_header {
            return Err(Error::Encode(EncodeError::new(format!(
                "{what} given in the call options is not valid in an HTTP header"
            ))));
        }
        Ok(Effective {
            retry: self.retry.as_ref().unwrap_or(&transport.retry),
            timeout: self.timeout.unwrap_or(transport.timeouts.total),
            options: self,
        })
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("request_id", &self.request_id)
            .field("bad_header", &self.bad_header)
            .finish()
    }
}

/// The settings one call runs with: its options over the client's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effective<'a> {
    /// The retry policy.
    pub retry: &'a RetryPolicy,
    /// How long each attempt may take.
    pub timeout: Duration,
    options: &'a CallOptions,
}

impl Effective<'_> {
    /// Whether the reply keeps the answer's headers: not when only its response is wanted.
    pub fn keep_headers(&self) -> bool {
        !self.options.response_only
    }

    /// `request` with the call's extra headers and request id.
    pub fn apply(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if !self.options.headers.is_empty() {
            request = request.headers(self.options.headers.clone());
        }
        let id = self.options.request_id.as_deref();
        if let Some(value) = id.and_then(|id| HeaderValue::from_str(id).ok()) {
            // Replaces one given as an extra header rather than sending two.
            let mut one = HeaderMap::new();
            one.insert(REQUEST_ID_HEADER, value);
            request = request.headers(one);
        }
        request
    }
}

/// A client that can make a call with options: the DingTalk and ClassIn clients.
pub trait Caller: Sync {
    /// Make the call `request` with `options`, returning the detailed reply.
    fn call_with<'a, E: Endpoint>(
        &'a self,
        request: &'a E,
        options: CallOptions,
    ) -> impl Future<Output = Detailed<E>> + Send + 'a;
}

/// A call not yet sent: set options for it, then `.await` it for the typed response or
/// [`detailed`](Self::detailed) for the whole reply.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, C, E> {
    client: &'a C,
    request: &'a E,
    options: CallOptions,
}

impl<'a, C: Caller, E: Endpoint> Call<'a, C, E> {
    /// The call of `request` on `client` with the client's settings.
    pub fn new(client: &'a C, request: &'a E) -> Self {
        Call {
            client,
            request,
            options: CallOptions::default(),
        }
    }

    /// See [`CallOptions::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// See [`CallOptions::retry`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options = self.options.retry(policy);
        self
    }

    /// See [`CallOptions::header`].
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        self.options = self.options.header(name, value);
        self
    }

    /// See [`CallOptions::request_id`].
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.options = self.options.request_id(id);
        self
    }

    /// Replace every option at once.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// Send the call and return the whole reply: the response with the HTTP status and
    /// headers, the server's request id, validation warnings, the number of attempts and a
    /// partial success.
    pub fn detailed(self) -> impl Future<Output = Detailed<E>> + Send + 'a {
        self.client.call_with(self.request, self.options)
    }
}

impl<C, E> fmt::Debug for Call<'_, C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("endpoint", &std::any::type_name::<E>())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// What awaiting a [`Call`] gives.
pub type CallResult<E> = Result<<E as Endpoint>::Response, Error<<E as Endpoint>::ErrorCode>>;

impl<'a, C: Caller, E: Endpoint> IntoFuture for Call<'a, C, E> {
    type Output = CallResult<E>;
    type IntoFuture = Pin<Box<dyn Future<Output = CallResult<E>> + Send + 'a>>;

    /// The typed response; a partial success is returned as an error
    /// ([`Error::is_partial_success`]), which [`Call::detailed`] returns with its payload.
    fn into_future(self) -> Self::IntoFuture {
        // The reply is dropped for its response, so its headers are never read. A combinator,
        // not an `async` block around the call: the box holds the call's future once, not
        // beside a copy of the `Call` it was made from.
        let options = self.options.response_only();
        Box::pin(
            self.client
                .call_with(self.request, options)
                .map(|detailed| detailed.and_then(|reply| reply.into_response(E::PROTOCOL))),
        )
    }
}
