//! The DingTalk client: oapi and TOP router endpoints, access tokens, retries.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::{Instrument, Span};

use crate::call::{self, Attempts, Detailed, Kept, Reply, Typed};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::endpoint::{Endpoint, Protocol, Shape};
use crate::envelope::{read_oapi, read_top};
use crate::error::BuildError;
#[cfg(doc)]
use crate::error::Error;
use crate::file::File;
use crate::form::{form_pairs, EncodeError, FormStyle};
use crate::http::{parse_base, redacted_url, BaseUrl, Http, Transport};
use crate::limit::{Limiter, RateLimits};
use crate::oapi;
use crate::options::{Call, CallOptions, Caller, Effective};
use crate::redact::Redactor;
use crate::secret::Secret;
use crate::store::TokenStore;
use crate::sync::deadline_in;
use crate::token::{ProviderConfig, TokenCache, TokenPolicy, TokenProvider, TokenSource};
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
    oapi_base: BaseUrl,
    top: TopOptions,
    tokens: TokenProvider,
    limiter: Limiter,
    transport: Transport,
    clock: SharedClock,
}

impl fmt::Debug for DingTalkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("DingTalkClient")
            .field("oapi_base_url", &redacted_url(i.oapi_base.as_str()))
            .field("top_url", &redacted_url(i.top.url.as_str()))
            .field("tokens", &i.tokens)
            .field("top_signing", &i.top.signing)
            .field("transport", &i.transport)
            .field("rate_limits", &i.limiter)
            .finish_non_exhaustive()
    }
}

impl DingTalkClient {
    /// Start configuring a client.
    pub fn builder() -> DingTalkClientBuilder {
        DingTalkClientBuilder::default()
    }

    /// Call `request`'s endpoint: `.await` the returned [`Call`] for the typed response, or set
    /// options for this call first (timeout, retry policy, extra headers, a request id) and ask
    /// for the [`detailed`](Call::detailed) reply.
    ///
    /// The request is validated first: a request breaking a documented limit fails with
    /// [`Error::Validation`] and nothing is sent; warnings are logged at `warn` level (the
    /// detailed reply has them). Busy and rate-limit answers and failed connections are retried
    /// per the retry policy; a rejected access token is replaced and the request resent once. A
    /// code the endpoint marks as a partial success is returned as an error when the call is
    /// awaited ([`Error::is_partial_success`]); the detailed reply has its payload.
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
    ///     let _ = rt.block_on(client.call(&ClassInRequest).detailed());
    /// }
    /// let _ = misuse as fn(dingtalk::DingTalkClient);
    /// ```
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
                matches!(E::PROTOCOL, Protocol::DingTalkOapi | Protocol::DingTalkTop),
                "DingTalkClient serves DingTalk oapi and TOP endpoints only"
            )
        };
        let shape = Shape::of::<E>();
        async move {
            // Made when the call is first polled, under the span current there.
            let span = call::span(&shape, options.request_id_value());
            async {
                let settings = options.effective(&self.inner.transport)?;
                let warnings = call::validate(request)?;
                refuse_files(&shape, &request.files())?;
                let payload = Payload::of(request)?;
                let simplify = self.inner.top.simplify;
                // The family's reader chosen on a constant: an endpoint compiles one family's
                // decoding of its response type.
                let mut kept = Kept::<E, _>::new(
                    move |status, body: &[u8], redact: &Redactor<'_>| {
                        if const { is_top(E::PROTOCOL) } {
                            read_top(status, body, top::method_name::<E>(), simplify, redact)
                        } else {
                            read_oapi(status, body, redact)
                        }
                    },
                    settings.keep_headers(),
                );
                let attempts = self.run(&shape, &payload, settings, &mut kept).await;
                let answer = kept.into_outcome()?;
                if let Some(id) = answer.request_id() {
                    Span::current().record("request_id", id);
                }
                Ok(Reply::new(answer, warnings, attempts))
            }
            .instrument(span)
            .await
        }
    }

    /// The course of a call of `shape` sending `payload`, the same for every endpoint: attempts
    /// until one succeeds, one fails in a way that is not retried, or the retries are used up,
    /// each answer read by `typed`. Returns the number of attempts.
    async fn run(
        &self,
        shape: &Shape,
        payload: &Payload,
        settings: Effective<'_>,
        typed: &mut dyn Typed,
    ) -> u32 {
        let mut token_resent = false;
        let mut attempts = Attempts::new(settings.retry);
        loop {
            self.attempt(shape, payload, &mut token_resent, settings, typed)
                .instrument(attempts.span())
                .await;
            match attempts.after(typed.failure()) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return attempts.number(),
            }
        }
    }

    /// One attempt, all of it before the attempt's deadline: get a token and a rate-limit slot,
    /// send, and if the token is rejected (and none was replaced yet in this call) replace it
    /// and send again.
    async fn attempt(
        &self,
        shape: &Shape,
        payload: &Payload,
        token_resent: &mut bool,
        settings: Effective<'_>,
        typed: &mut dyn Typed,
    ) {
        let inner = &self.inner;
        let deadline = deadline_in(settings.timeout);
        let token = match inner.tokens.token(deadline).await {
            Ok(token) => token,
            Err(e) => return typed.fail(e.into()),
        };
        self.send(shape, &token, payload, deadline, settings, typed)
            .await;
        let rejected = typed.failure().filter(|e| e.is_token_rejected());
        let Some(e) = rejected else { return };
        if !inner.tokens.can_refresh() || *token_resent {
            return;
        }
        *token_resent = true;
        tracing::info!(error = %e, "access token rejected; fetching a new one and resending");
        inner.tokens.invalidate(&token);
        let token = match inner.tokens.token(deadline).await {
            Ok(token) => token,
            Err(e) => return typed.fail(e.into()),
        };
        self.send(shape, &token, payload, deadline, settings, typed)
            .await;
    }

    async fn send(
        &self,
        shape: &Shape,
        token: &Secret,
        payload: &Payload,
        deadline: Instant,
        settings: Effective<'_>,
        typed: &mut dyn Typed,
    ) {
        let inner = &self.inner;
        if let Err(throttled) = inner.limiter.acquire(shape.api, deadline).await {
            return typed.fail(throttled.into());
        }
        let (request, sign) = match self.request(shape, token, payload) {
            Ok(sent) => sent,
            Err(e) => return typed.fail(e.into()),
        };
        let raw = match inner.http.send(settings.apply(request), deadline).await {
            Ok(raw) => raw,
            Err(e) => return typed.fail(e.into()),
        };
        tracing::debug!(status = raw.status, bytes = raw.body.len(), "received");
        // Every secret of the attempt is scrubbed from what is kept of the answer: TOP's
        // signing secret and signature too.
        let top_secret = inner.top.signing.as_ref().map(|s| s.app_secret.expose());
        let secrets = [
            token.expose(),
            inner.tokens.secret(),
            top_secret.unwrap_or(""),
            sign.as_ref().map_or("", Secret::expose),
        ];
        let secrets = if is_top(shape.protocol) {
            &secrets[..]
        } else {
            &secrets[..2]
        };
        call::read_answer(typed, raw, &Redactor::new(secrets));
    }

    /// The HTTP request of one attempt, and its TOP signature when signed.
    fn request(
        &self,
        shape: &Shape,
        token: &Secret,
        payload: &Payload,
    ) -> Result<(reqwest::RequestBuilder, Option<Secret>), EncodeError> {
        let inner = &self.inner;
        match (shape.protocol, payload) {
            (Protocol::DingTalkOapi, Payload::Oapi(payload)) => {
                let request = oapi::request(&inner.http, shape, &inner.oapi_base, token, payload)?;
                tracing::debug!(route = ?shape.route, "sending oapi request");
                Ok((request, None))
            }
            (Protocol::DingTalkTop, Payload::Top(application)) => {
                let now = inner.clock.now();
                let sent = top::request(
                    &inner.http,
                    shape,
                    &inner.top,
                    Some(token),
                    now,
                    application,
                );
                tracing::debug!(method = shape.top_method(), "sending TOP request");
                Ok(sent)
            }
            (Protocol::ClassInV1, _) => Err(EncodeError::new(
                "a ClassIn endpoint cannot be called through DingTalkClient",
            )),
            (Protocol::DingTalkOapi | Protocol::DingTalkTop, _) => Err(EncodeError::new(
                "the request was encoded for another protocol family",
            )),
        }
    }
}

/// Whether `protocol` is TOP's rather than oapi's (also in `const` choices, so that an endpoint
/// compiles one family's encoding and decoding): a match on every family, so that a new one must
/// be placed here before it compiles.
const fn is_top(protocol: Protocol) -> bool {
    match protocol {
        Protocol::DingTalkTop => true,
        Protocol::DingTalkOapi | Protocol::ClassInV1 => false,
    }
}

impl Caller for DingTalkClient {
    fn call_with<'a, E: Endpoint>(
        &'a self,
        request: &'a E,
        options: CallOptions,
    ) -> impl Future<Output = Detailed<E>> + Send + 'a {
        self.call_with_options(request, options)
    }
}

/// A request's fields encoded once per call for its protocol family.
enum Payload {
    /// An oapi JSON body or query.
    Oapi(oapi::Payload),
    /// TOP application parameters, by the TOP form rule: signed and sent by each attempt.
    Top(Vec<(String, String)>),
}

impl Payload {
    fn of<E: Endpoint>(request: &E) -> Result<Self, EncodeError> {
        // On a constant, as the answer's reader in `call_with_options`: an endpoint compiles one
        // encoding.
        Ok(if const { is_top(E::PROTOCOL) } {
            Payload::Top(form_pairs(request, E::FIELD_ENCODINGS, FormStyle::Top)?)
        } else {
            Payload::Oapi(oapi::Payload::of(request)?)
        })
    }
}

/// DingTalk's protocol families send no files: a request of `shape` with `files` is refused
/// before anything is sent.
fn refuse_files(shape: &Shape, files: &[(&'static str, &File)]) -> Result<(), EncodeError> {
    let Some((field, _)) = files.first() else {
        return Ok(());
    };
    let family = match shape.protocol {
        Protocol::DingTalkOapi => "DingTalk oapi",
        Protocol::DingTalkTop => "DingTalk TOP",
        Protocol::ClassInV1 => "ClassIn v1",
    };
    Err(EncodeError::new(format!(
        "{}: field `{field}` is a file, and the {family} protocol family takes no file uploads",
        shape.api
    )))
}

/// Configuration of a [`DingTalkClient`].
pub struct DingTalkClientBuilder {
    token: Option<TokenSource>,
    oapi_base_url: String,
    top_base_url: String,
    transport: Transport,
    top_signing: Option<TopSigning>,
    top_simplify: bool,
    top_partner_id: Option<String>,
    clock: SharedClock,
    token_cache: Option<TokenCache>,
    token_store: Option<Arc<dyn TokenStore>>,
    token_policy: TokenPolicy,
    rate_limits: RateLimits,
}

impl Default for DingTalkClientBuilder {
    fn default() -> Self {
        DingTalkClientBuilder {
            token: None,
            oapi_base_url: DEFAULT_OAPI_BASE_URL.to_owned(),
            top_base_url: DEFAULT_TOP_BASE_URL.to_owned(),
            transport: Transport::default(),
            top_signing: None,
            top_simplify: false,
            top_partner_id: None,
            clock: Arc::new(SystemClock),
            token_cache: None,
            token_store: None,
            token_policy: TokenPolicy::default(),
            rate_limits: RateLimits::default(),
        }
    }
}

impl fmt::Debug for DingTalkClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DingTalkClientBuilder")
            .field("token", &self.token)
            .field("oapi_base_url", &redacted_url(&self.oapi_base_url))
            .field("top_base_url", &redacted_url(&self.top_base_url))
            .field("transport", &self.transport)
            .field("top_signing", &self.top_signing)
            .field("top_simplify", &self.top_simplify)
            .field("top_partner_id", &self.top_partner_id)
            .field("token_store", &self.token_store)
            .field("token_policy", &self.token_policy)
            .field("rate_limits", &self.rate_limits)
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
    /// the token's lifetime is used). Until it expires, calls keep using the old token while
    /// the refresh runs.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_policy.refresh_margin = margin;
        self
    }

    /// How long a failed `gettoken` is the answer for every call that needs a token, before
    /// the next fetch. Default 1 s: a burst of callers costs one request, not one each.
    pub fn token_failure_backoff(mut self, backoff: Duration) -> Self {
        self.token_policy.failure_backoff = backoff;
        self
    }

    /// Keep tokens in `store`, shared by every process that uses it: one `gettoken` per app key
    /// for the whole fleet (see [`crate::store`]). Default: this process's memory.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Every token setting at once.
    pub fn token_policy(mut self, policy: TokenPolicy) -> Self {
        self.token_policy = policy;
        self
    }

    /// Client-side rate limits per app key and per endpoint (see [`crate::limit`]). Default:
    /// none.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<DingTalkClient, BuildError> {
        let token = self.token.ok_or(BuildError::MissingCredentials)?;
        let oapi_base = parse_base(&self.oapi_base_url)?;
        let top_base = parse_base(&self.top_base_url)?;
        let top_url = top_base
            .join(ROUTER_PATH)
            .map_err(|e| BuildError::InvalidUrl {
                url: redacted_url(&self.top_base_url),
                reason: e.to_string(),
            })?;
        let http = Http::new(&self.transport)?;
        let app_id = match &token {
            TokenSource::App { app_key, .. } => app_key.clone(),
            // Limits are kept per token: named by a digest, never by the token itself.
            TokenSource::Fixed(token) => {
                use sha2::{Digest, Sha256};
                let digest = Sha256::digest(token.expose().as_bytes());
                format!("token-{}", hex::encode(&digest[..8]))
            }
        };
        let tokens = TokenProvider::new(
            token,
            ProviderConfig {
                cache: self.token_cache.unwrap_or_default(),
                store: self.token_store,
                policy: self.token_policy,
                base: oapi_base.as_str().to_owned(),
                http: http.clone(),
                clock: self.clock.clone(),
                timeout: self.transport.timeouts.total,
            },
        );
        Ok(DingTalkClient {
            inner: Arc::new(Inner {
                http,
                oapi_base,
                top: TopOptions {
                    url: top_url,
                    signing: self.top_signing,
                    simplify: self.top_simplify,
                    partner_id: self.top_partner_id,
                },
                tokens,
                limiter: Limiter::new(self.rate_limits, app_id),
                transport: self.transport,
                clock: self.clock,
            }),
        })
    }
}
