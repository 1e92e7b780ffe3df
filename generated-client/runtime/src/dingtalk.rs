//! The DingTalk client: oapi and TOP router endpoints, access tokens, retries.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tracing::{Instrument, Span};

use crate::call::{self, with_retries, Answer, Reply};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, Protocol};
use crate::error::{BuildError, Error};
use crate::form::{fields_of, EncodeError, Fields};
use crate::http::{join, parse_base, Http, Timeouts};
use crate::oapi;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::{TokenCache, TokenProvider, TokenSource};
use crate::top::{self, TopOptions, TopSigning, ROUTER_PATH};

/// The default oapi base URL.
pub const DEFAULT_OAPI_BASE_URL: &str = "https://oapi.dingtalk.com";
/// The default TOP router base URL (the router path [`ROUTER_PATH`] is appended).
pub const DEFAULT_TOP_BASE_URL: &str = "https://eco.taobao.com";
/// How long before its expiry a fetched access token is replaced, by default.
pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A client for DingTalk endpoints, both oapi ([`Protocol::DingTalkOapi`]) and through the TOP
/// router ([`Protocol::DingTalkTop`]).
///
/// Cloning is cheap and clones share the HTTP connection pool and the token cache, so one client
/// can serve many tasks.
///
/// ```no_run
/// # async fn demo() -> Result<(), client_runtime::BuildError> {
/// use client_runtime::dingtalk::DingTalkClient;
/// let client = DingTalkClient::builder()
///     .app_credentials("ding-app-key", "app-secret")
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct DingTalkClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    oapi_base: String,
    top: TopOptions,
    tokens: TokenProvider,
    retry: RetryPolicy,
    timeouts: Timeouts,
    clock: SharedClock,
}

impl fmt::Debug for DingTalkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("DingTalkClient")
            .field("oapi_base_url", &i.oapi_base)
            .field("top_url", &i.top.url.as_str())
            .field("tokens", &i.tokens)
            .field("top_signing", &i.top.signing)
            .field("timeouts", &i.timeouts)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

impl DingTalkClient {
    /// Start configuring a client.
    pub fn builder() -> DingTalkClientBuilder {
        DingTalkClientBuilder::default()
    }

    /// Call `request`'s endpoint and return its typed response.
    ///
    /// The request is validated first: a request breaking a documented limit fails with
    /// [`Error::Validation`] and nothing is sent; warnings are logged at `warn` level (use
    /// [`Self::call_detailed`] to receive them). Busy and rate-limit answers and failed
    /// connections are retried per the retry policy; a rejected access token is replaced and the
    /// request resent once.
    pub async fn call<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error<E::ErrorCode>> {
        self.call_detailed(request)
            .await
            .map(|reply| reply.response)
    }

    /// Like [`Self::call`], also returning the validation warnings, the `request_id` and the
    /// number of attempts.
    ///
    /// An endpoint of another protocol family does not compile:
    ///
    /// ```compile_fail
    /// # use client_runtime::*;
    /// #[derive(serde::Serialize)]
    /// struct ClassInRequest;
    /// impl Validate for ClassInRequest {
    ///     fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
    /// }
    /// impl Endpoint for ClassInRequest {
    ///     const API_NAME: &'static str = "x";
    ///     const PROTOCOL: Protocol = Protocol::ClassInV1;
    ///     const METHOD: HttpMethod = HttpMethod::Post;
    ///     const ROUTE: Route = Route::Action { path: "/p", action: "a" };
    ///     const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    ///     type Response = serde_json::Value;
    ///     type ErrorCode = UndocumentedCode;
    /// }
    /// fn misuse(client: dingtalk::DingTalkClient) {
    ///     let rt = tokio::runtime::Runtime::new().unwrap();
    ///     let _ = rt.block_on(client.call(&ClassInRequest));
    /// }
    /// let _ = misuse as fn(dingtalk::DingTalkClient);
    /// ```
    pub async fn call_detailed<E: Endpoint>(
        &self,
        request: &E,
    ) -> Result<Reply<E::Response>, Error<E::ErrorCode>> {
        const {
            assert!(
                matches!(E::PROTOCOL, Protocol::DingTalkOapi | Protocol::DingTalkTop),
                "DingTalkClient serves DingTalk oapi and TOP endpoints only"
            )
        };
        let span = call::span::<E>();
        async move {
            let warnings = call::validate(request)?;
            let fields = fields_of(request)?;
            let token_resent = AtomicBool::new(false);
            let ((response, request_id), attempts) = with_retries(&self.inner.retry, |_| {
                self.attempt::<E>(&fields, &token_resent)
            })
            .await?;
            if let Some(id) = &request_id {
                Span::current().record("request_id", id.as_str());
            }
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

    /// One attempt: get a token, send, and if the token is rejected (and none was replaced yet in
    /// this call) replace it and send again.
    async fn attempt<E: Endpoint>(
        &self,
        fields: &Fields,
        token_resent: &AtomicBool,
    ) -> Result<Answer<E::Response>, Error<E::ErrorCode>> {
        let inner = &self.inner;
        let token = inner.tokens.token(&inner.http, &inner.clock).await?;
        match self.send::<E>(&token, fields).await {
            Err(e)
                if e.is_token_rejected()
                    && inner.tokens.can_refresh()
                    && !token_resent.swap(true, Ordering::SeqCst) =>
            {
                tracing::info!(error = %e, "access token rejected; fetching a new one and resending");
                inner.tokens.invalidate(&token).await;
                let token = inner.tokens.token(&inner.http, &inner.clock).await?;
                self.send::<E>(&token, fields).await
            }
            other => other,
        }
    }

    async fn send<E: Endpoint>(
        &self,
        token: &Secret,
        fields: &Fields,
    ) -> Result<Answer<E::Response>, Error<E::ErrorCode>> {
        let inner = &self.inner;
        match E::PROTOCOL {
            Protocol::DingTalkOapi => {
                let request = oapi::request::<E>(&inner.http, &inner.oapi_base, token, fields)?;
                tracing::debug!(route = ?E::ROUTE, "sending oapi request");
                let raw = inner.http.send(request).await?;
                tracing::debug!(status = raw.status, bytes = raw.body.len(), "received");
                oapi::interpret::<E>(raw)
            }
            Protocol::DingTalkTop => {
                let now = inner.clock.now();
                let request = top::request::<E>(&inner.http, &inner.top, Some(token), now, fields)?;
                tracing::debug!(method = top::method_name::<E>(), "sending TOP request");
                let raw = inner.http.send(request).await?;
                tracing::debug!(status = raw.status, bytes = raw.body.len(), "received");
                top::interpret::<E>(raw)
            }
            Protocol::ClassInV1 => Err(Error::Encode(EncodeError::new(
                "a ClassIn endpoint cannot be called through DingTalkClient",
            ))),
        }
    }
}

/// Configuration of a [`DingTalkClient`].
pub struct DingTalkClientBuilder {
    token: Option<TokenSource>,
    oapi_base_url: String,
    top_base_url: String,
    timeouts: Timeouts,
    retry: RetryPolicy,
    top_signing: Option<TopSigning>,
    top_simplify: bool,
    top_partner_id: Option<String>,
    clock: SharedClock,
    token_cache: Option<TokenCache>,
    token_refresh_margin: Duration,
}

impl Default for DingTalkClientBuilder {
    fn default() -> Self {
        DingTalkClientBuilder {
            token: None,
            oapi_base_url: DEFAULT_OAPI_BASE_URL.to_owned(),
            top_base_url: DEFAULT_TOP_BASE_URL.to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            top_signing: None,
            top_simplify: false,
            top_partner_id: None,
            clock: Arc::new(SystemClock),
            token_cache: None,
            token_refresh_margin: DEFAULT_TOKEN_REFRESH_MARGIN,
        }
    }
}

impl fmt::Debug for DingTalkClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DingTalkClientBuilder")
            .field("token", &self.token)
            .field("oapi_base_url", &self.oapi_base_url)
            .field("top_base_url", &self.top_base_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("top_signing", &self.top_signing)
            .field("top_simplify", &self.top_simplify)
            .field("top_partner_id", &self.top_partner_id)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .finish_non_exhaustive()
    }
}

impl DingTalkClientBuilder {
    /// Use a fixed access token, obtained elsewhere. It is never refreshed: a rejected token is
    /// reported as an error.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(TokenSource::Fixed(token.into()));
        self
    }

    /// Exchange an app key and secret for access tokens at `gettoken`, cached and refreshed.
    pub fn app_credentials(
        mut self,
        app_key: impl Into<String>,
        app_secret: impl Into<Secret>,
    ) -> Self {
        self.token = Some(TokenSource::App {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
        });
        self
    }

    /// Set the token source directly.
    pub fn token_source(mut self, source: TokenSource) -> Self {
        self.token = Some(source);
        self
    }

    /// The oapi base URL (also where `gettoken` is called). Default [`DEFAULT_OAPI_BASE_URL`].
    pub fn oapi_base_url(mut self, url: impl Into<String>) -> Self {
        self.oapi_base_url = url.into();
        self
    }

    /// The TOP base URL; [`ROUTER_PATH`] is appended. Default [`DEFAULT_TOP_BASE_URL`].
    pub fn top_base_url(mut self, url: impl Into<String>) -> Self {
        self.top_base_url = url.into();
        self
    }

    crate::http::transport_setters!();

    /// Sign TOP requests the generic way (`app_key`, `sign_method`, `sign`) besides sending the
    /// `session`. DingTalk's own TOP endpoints need no signature.
    pub fn top_signing(mut self, signing: TopSigning) -> Self {
        self.top_signing = Some(signing);
        self
    }

    /// Send `simplify=true` to the TOP router (answers without the `_response` wrapper; both
    /// shapes are read either way).
    pub fn top_simplify(mut self, simplify: bool) -> Self {
        self.top_simplify = simplify;
        self
    }

    /// Send a `partner_id` to the TOP router.
    pub fn top_partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.top_partner_id = Some(partner_id.into());
        self
    }

    /// The clock used for TOP timestamps and token expiry. Default the system clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Share a token cache with other clients. Default: a cache of this client's own (shared
    /// by its clones).
    pub fn token_cache(mut self, cache: TokenCache) -> Self {
        self.token_cache = Some(cache);
        self
    }

    /// How long before its expiry a fetched token is replaced. Default 5 minutes (at most half
    /// the token's lifetime is used).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<DingTalkClient, BuildError> {
        let token = self.token.ok_or(BuildError::MissingCredentials)?;
        let oapi_base = parse_base(&self.oapi_base_url)?;
        let top_base = parse_base(&self.top_base_url)?;
        let top_url = join(&top_base, ROUTER_PATH).map_err(|e| BuildError::InvalidUrl {
            url: self.top_base_url.clone(),
            reason: e.to_string(),
        })?;
        let cache = self.token_cache.unwrap_or_default();
        let tokens =
            TokenProvider::new(token, &cache, oapi_base.clone(), self.token_refresh_margin);
        Ok(DingTalkClient {
            inner: Arc::new(Inner {
                http: Http::new(self.timeouts)?,
                oapi_base,
                top: TopOptions {
                    url: top_url,
                    signing: self.top_signing,
                    simplify: self.top_simplify,
                    partner_id: self.top_partner_id,
                },
                tokens,
                retry: self.retry,
                timeouts: self.timeouts,
                clock: self.clock,
            }),
        })
    }
}
