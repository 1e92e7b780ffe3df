//! DingTalk access tokens: a fixed token, or one fetched from `gettoken` with an app key and
//! secret.
//!
//! A fetched token is cached per app key and `gettoken` URL, and shared the following ways:
//!
//! - **One fetch at a time.** However many calls need a token at once, one `gettoken` runs (in
//!   a task of its own, so a caller that gives up does not abandon it) and its outcome, success
//!   or failure, is handed to every waiter. A failure is remembered for a short back-off, so a
//!   burst of callers costs one request, not one each.
//! - **Bounded waits.** A call waits for a token no longer than its own deadline.
//! - **Early refresh that cannot hurt.** A token is replaced some minutes before it expires; until
//!   it expires, calls keep using it while the refresh runs in the background, and a refresh that
//!   fails is tried again after the back-off.
//! - **A fleet, through a [`TokenStore`].** The fetching task first looks in the store (another
//!   process may have refreshed already), then takes the store's lock and fetches, or waits for
//!   the lock holder's token. A lock expires, so a crashed holder blocks no one for long. A store
//!   that fails is logged and bypassed, never a failed call.
//! - **No server number can panic the client.** `expires_in` is clamped (see
//!   [`crate::envelope::read_token`]) and every time computation is checked.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument;

use crate::clock::SharedClock;
use crate::envelope::read_token;
use crate::error::TokenError;
use crate::http::{join, Http};
use crate::redact::Redactor;
use crate::secret::Secret;
use crate::store::{LockId, MemoryTokenStore, StoreError, StoredToken, TokenStore};
use crate::sync::{deadline_in, lock};

/// How a client gets its access token.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// A token obtained elsewhere, used as is and never refreshed.
    Fixed(Secret),
    /// An app key and secret, exchanged for a token at `gettoken`.
    App {
        /// The app key (`appkey`).
        app_key: String,
        /// The app secret (`appsecret`).
        app_secret: Secret,
    },
}

/// How fetched tokens are kept, refreshed and shared.
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    /// How long before its expiry a token is replaced (at most half its lifetime). Default 5 min.
    pub refresh_margin: Duration,
    /// How long a failed `gettoken` answers for every call, before the next one is tried.
    /// Default 1 s.
    pub failure_backoff: Duration,
    /// How long a process may hold the store's refresh lock; a holder that crashed is replaced
    /// after this. The holder's own `gettoken` gives up a tenth of it before the lock runs out.
    /// Default 10 s.
    pub lock_ttl: Duration,
    /// How often a process waiting for another's refresh looks in the store. Default 50 ms.
    pub poll_interval: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            refresh_margin: crate::dingtalk::DEFAULT_TOKEN_REFRESH_MARGIN,
            failure_backoff: Duration::from_secs(1),
            lock_ttl: Duration::from_secs(10),
            poll_interval: Duration::from_millis(50),
        }
    }
}

/// The outcome of one fetch, handed to every caller that waited for it.
type Outcome = Result<StoredToken, TokenError>;

/// A fetch under way: its outcome channel, when it started, its number, and the runtime whose
/// task runs it.
struct Fetching {
    outcome: watch::Receiver<Option<Outcome>>,
    started: Instant,
    number: u64,
    runtime: tokio::runtime::Id,
}

/// What this process knows about one app key's token.
#[derive(Default)]
struct SlotState {
    /// The last token fetched (possibly due for refresh, possibly expired).
    token: Option<StoredToken>,
    /// The fetch under way, if any.
    fetching: Option<Fetching>,
    /// How many fetches were started.
    fetches: u64,
    /// The last fetch's failure and until when it stands for every caller (on the monotonic
    /// clock: a wall clock stepped back must not stretch the back-off).
    failed: Option<(TokenError, Instant)>,
    /// A token the server rejected: not to be taken from the store again.
    rejected: Option<Secret>,
}

type Slot = Arc<StdMutex<SlotState>>;

/// Cached access tokens of this process, one per app key and `gettoken` URL.
///
/// Each client has its own cache unless one is given to its builder; clients that share a cache
/// share their tokens and their fetches. Cloning shares.
#[derive(Clone, Default)]
pub struct TokenCache {
    slots: Arc<StdMutex<HashMap<(String, String), Slot>>>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, base: &str, app_key: &str) -> Slot {
        let mut slots = lock(&self.slots);
        slots
            .entry((base.to_owned(), app_key.to_owned()))
            .or_default()
            .clone()
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("TokenCache").field("app_keys", &n).finish()
    }
}

/// The key under which a [`TokenStore`] keeps the token of `app_key` fetched from the
/// `gettoken` of `oapi_base` (the oapi base URL, without a trailing slash).
pub fn store_key(app_key: &str, oapi_base: &str) -> String {
    format!("{app_key}@{oapi_base}")
}

/// Hands out access tokens for one client.
pub(crate) enum TokenProvider {
    Fixed(Secret),
    App(Arc<Fetcher>),
}

/// Everything a fetch needs; shared with the task that runs it.
pub(crate) struct Fetcher {
    app_key: String,
    app_secret: Secret,
    base: String,
    /// The key of this app's token in the store.
    store_key: String,
    slot: Slot,
    store: Arc<dyn TokenStore>,
    policy: TokenPolicy,
    http: Http,
    clock: SharedClock,
    /// How long one `gettoken` exchange may take.
    timeout: Duration,
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenProvider::Fixed(token) => f.debug_tuple("Fixed").field(token).finish(),
            TokenProvider::App(fetcher) => f
                .debug_struct("App")
                .field("app_key", &fetcher.app_key)
                .field("app_secret", &fetcher.app_secret)
                .field("store", &fetcher.store)
                .field("policy", &fetcher.policy)
                .finish(),
        }
    }
}

/// What the provider needs besides the token source.
pub(crate) struct ProviderConfig {
    pub cache: TokenCache,
    pub store: Option<Arc<dyn TokenStore>>,
    pub policy: TokenPolicy,
    pub base: String,
    pub http: Http,
    pub clock: SharedClock,
    pub timeout: Duration,
}

impl TokenProvider {
    pub fn new(source: TokenSource, config: ProviderConfig) -> Self {
        let (app_key, app_secret) = match source {
            TokenSource::Fixed(token) => return TokenProvider::Fixed(token),
            TokenSource::App {
                app_key,
                app_secret,
            } => (app_key, app_secret),
        };
        TokenProvider::App(Arc::new(Fetcher {
            store_key: store_key(&app_key, &config.base),
            slot: config.cache.slot(&config.base, &app_key),
            store: config
                .store
                .unwrap_or_else(|| Arc::new(MemoryTokenStore::new())),
            app_key,
            app_secret,
            base: config.base,
            policy: config.policy,
            http: config.http,
            clock: config.clock,
            timeout: config.timeout,
        }))
    }

    /// Whether a rejected token can be replaced by fetching a new one.
    pub fn can_refresh(&self) -> bool {
        matches!(self, TokenProvider::App(_))
    }

    /// The secrets a server might echo: the app secret (the token is added per call).
    pub fn secret(&self) -> &str {
        match self {
            TokenProvider::Fixed(_) => "",
            TokenProvider::App(f) => f.app_secret.expose(),
        }
    }

    /// A token that is valid now. Waits for a fetch (this process's, or the fleet's) no later
    /// than `deadline`.
    pub async fn token(&self, deadline: Instant) -> Result<Secret, TokenError> {
        let fetcher = match self {
            TokenProvider::Fixed(token) => return Ok(token.clone()),
            TokenProvider::App(fetcher) => fetcher,
        };
        match fetcher.look() {
            Look::Now(token) => token,
            // Boxed: a call finding its token cached (the usual one) then carries a pointer's
            // room for the wait, not the wait itself, through every layer of the call.
            Look::Wait(outcome, number) => Box::pin(fetcher.wait(outcome, number, deadline)).await,
        }
    }

    /// Forget `rejected` if it is still the cached token, so the next [`Self::token`] fetches a
    /// new one (and does not take the same token from the store). A token already replaced is
    /// left alone.
    pub fn invalidate(&self, rejected: &Secret) {
        let TokenProvider::App(fetcher) = self else {
            return;
        };
        let mut state = lock(&fetcher.slot);
        if state.token.as_ref().is_some_and(|c| &c.token == rejected) {
            tracing::debug!("dropping the rejected access token");
            state.token = None;
            state.failed = None;
            state.rejected = Some(rejected.clone());
        }
    }
}

/// What [`Fetcher::look`] finds: a token (or the error) to use now, or a fetch to wait for.
enum Look {
    Now(Result<Secret, TokenError>),
    Wait(watch::Receiver<Option<Outcome>>, u64),
}

fn backing_off(state: &SlotState) -> bool {
    state
        .failed
        .as_ref()
        .is_some_and(|(_, until)| Instant::now() < *until)
}

impl Fetcher {
    /// The token to use now, or the fetch to wait for: the cached token before its refresh is
    /// due; once due and still valid, the cached token while a refresh starts in the
    /// background; else the error of a recent failed fetch, or the fetch under way (started
    /// here when none is).
    fn look(self: &Arc<Self>) -> Look {
        let mut state = lock(&self.slot);
        let now = self.clock.now();
        if let Some(cached) = &state.token {
            if now < cached.refresh_at {
                return Look::Now(Ok(cached.token.clone()));
            }
            if now < cached.expires_at {
                // Due, still valid: refresh in the background and use it meanwhile.
                let token = cached.token.clone();
                if self.under_way(&state).is_none() && !backing_off(&state) {
                    tracing::debug!("refreshing the access token ahead of its expiry");
                    self.start(&mut state);
                }
                return Look::Now(Ok(token));
            }
        }
        if let Some((error, until)) = &state.failed {
            if Instant::now() < *until {
                return Look::Now(Err(error.clone()));
            }
        }
        let (outcome, number) = match self.under_way(&state) {
            Some(fetching) => fetching,
            None => self.start(&mut state),
        };
        Look::Wait(outcome, number)
    }

    /// Wait no later than `deadline` for fetch `number` to settle (`outcome`), looking again
    /// when the fetching task was dropped unfinished.
    async fn wait(
        self: &Arc<Self>,
        mut outcome: watch::Receiver<Option<Outcome>>,
        mut number: u64,
        deadline: Instant,
    ) -> Result<Secret, TokenError> {
        let started = Instant::now();
        loop {
            let timed_out = || TokenError::TimedOut {
                waited: started.elapsed(),
            };
            let waited = tokio::time::timeout_at(deadline, outcome.wait_for(Option::is_some))
                .await
                .map(|settled| settled.map(|outcome| outcome.clone()));
            match waited {
                Ok(Ok(Some(Ok(stored)))) => return Ok(stored.token),
                Ok(Ok(Some(Err(error)))) => return Err(error),
                Ok(Ok(None)) | Err(_) => return Err(timed_out()),
                Ok(Err(_)) => {
                    // The fetching task was dropped unfinished (the runtime that ran it shut
                    // down): forget it and start another.
                    let mut state = lock(&self.slot);
                    if state.fetching.as_ref().is_some_and(|f| f.number == number) {
                        state.fetching = None;
                    }
                }
            }
            (outcome, number) = match self.look() {
                Look::Now(token) => return token,
                Look::Wait(outcome, number) => (outcome, number),
            };
        }
    }

    /// The fetch under way, unless there is none or it may no longer be running: it has run
    /// far longer than any fetch can, or it runs on another runtime (a blocking client's, which
    /// runs only while its caller waits) and has run longer than one exchange may.
    fn under_way(&self, state: &SlotState) -> Option<(watch::Receiver<Option<Outcome>>, u64)> {
        let fetching = state.fetching.as_ref()?;
        let longest = self
            .policy
            .lock_ttl
            .saturating_mul(2)
            .saturating_add(self.timeout.saturating_mul(2))
            .saturating_add(self.policy.poll_interval);
        let elsewhere = tokio::runtime::Handle::try_current()
            .map_or(true, |here| here.id() != fetching.runtime);
        let age = fetching.started.elapsed();
        if age > longest || (elsewhere && age > self.timeout) {
            tracing::warn!("a token fetch has not finished in time; starting another");
            return None;
        }
        Some((fetching.outcome.clone(), fetching.number))
    }

    /// Start a fetch in a task of its own and record it in `state`; returns its outcome channel
    /// and number.
    fn start(self: &Arc<Self>, state: &mut SlotState) -> (watch::Receiver<Option<Outcome>>, u64) {
        let (tx, rx) = watch::channel(None);
        state.fetches += 1;
        let number = state.fetches;
        state.fetching = Some(Fetching {
            outcome: rx.clone(),
            started: Instant::now(),
            number,
            runtime: tokio::runtime::Handle::current().id(),
        });
        let fetcher = self.clone();
        let rejected = state.rejected.clone();
        let span = tracing::debug_span!("gettoken", app_key = %self.app_key);
        tokio::spawn(
            async move {
                let outcome = fetcher.refresh(rejected.as_ref()).await;
                {
                    let mut state = lock(&fetcher.slot);
                    // A fetch given up as stale may still finish: its token is as good as any,
                    // but its failure must not stand for a newer fetch's.
                    let current = state.fetching.as_ref().is_some_and(|f| f.number == number);
                    if current {
                        state.fetching = None;
                    }
                    match &outcome {
                        Ok(stored) => {
                            state.token = Some(stored.clone());
                            state.failed = None;
                            state.rejected = None;
                        }
                        Err(error) if current => {
                            let backoff = fetcher.policy.failure_backoff;
                            tracing::warn!(%error, ?backoff, "gettoken failed");
                            state.failed = Some((error.clone(), deadline_in(backoff)));
                        }
                        Err(error) => tracing::debug!(%error, "a stale token fetch failed"),
                    }
                }
                let _ = tx.send(Some(outcome));
            }
            .instrument(span),
        );
        (rx, number)
    }

    /// A fresh token: the store's if another process has refreshed it, else fetched by this
    /// process while it holds the store's lock, else the lock holder's once it is written.
    async fn refresh(&self, rejected: Option<&Secret>) -> Outcome {
        let key = self.store_key.as_str();
        let usable =
            |t: &StoredToken| self.clock.now() < t.refresh_at && Some(&t.token) != rejected;
        match self.store.load(key).await {
            Ok(Some(stored)) if usable(&stored) => return Ok(stored),
            Ok(_) => {}
            Err(e) => return self.fetch_alone(e).await,
        }
        let ttl = self.policy.lock_ttl;
        let give_up = deadline_in(ttl.saturating_mul(2).saturating_add(self.timeout));
        loop {
            match self.store.try_lock(key, ttl).await {
                Ok(Some(lock)) => {
                    let locked_at = Instant::now();
                    // Another process may have written a token between the load and the lock.
                    if let Ok(Some(stored)) = self.store.load(key).await {
                        if usable(&stored) {
                            self.unlock(&lock).await;
                            return Ok(stored);
                        }
                    }
                    // The holder gives up before its lock runs out (a tenth of it kept as a
                    // margin for the store's own latency), so that no second process fetches
                    // while it is still waiting for `gettoken`.
                    let left = ttl
                        .saturating_sub(locked_at.elapsed())
                        .saturating_sub(ttl / 10);
                    let fetched = self.fetch(self.timeout.min(left)).await;
                    if let Ok(stored) = &fetched {
                        if let Err(e) = self.store.save(key, stored).await {
                            tracing::warn!(error = %e, "token store unreachable; the token is kept in this process only");
                        }
                    }
                    self.unlock(&lock).await;
                    return fetched;
                }
                Ok(None) => {
                    tokio::time::sleep(self.policy.poll_interval).await;
                    match self.store.load(key).await {
                        Ok(Some(stored)) if usable(&stored) => return Ok(stored),
                        Ok(_) => {}
                        Err(e) => return self.fetch_alone(e).await,
                    }
                    if Instant::now() >= give_up {
                        tracing::warn!("the token store's refresher wrote no token in time; fetching in this process");
                        return self.fetch(self.timeout).await;
                    }
                }
                Err(e) => return self.fetch_alone(e).await,
            }
        }
    }

    async fn unlock(&self, lock: &LockId) {
        if let Err(e) = self.store.unlock(&self.store_key, lock).await {
            tracing::warn!(error = %e, "token store unreachable; its lock expires by itself");
        }
    }

    async fn fetch_alone(&self, error: StoreError) -> Outcome {
        tracing::warn!(%error, "token store unreachable; fetching the token in this process");
        self.fetch(self.timeout).await
    }

    /// One `gettoken` exchange, taking at most `timeout`.
    async fn fetch(&self, timeout: Duration) -> Outcome {
        let mut url = join(&self.base, "/gettoken").map_err(|e| TokenError::UnexpectedBody {
            status: 0,
            snippet: e.to_string(),
        })?;
        url.query_pairs_mut()
            .append_pair("appkey", &self.app_key)
            .append_pair("appsecret", self.app_secret.expose());
        let deadline = deadline_in(timeout);
        let response = self
            .http
            .send(self.http.request(reqwest::Method::GET, url), deadline)
            .await?;
        let secrets = [self.app_secret.expose()];
        let redact = Redactor::new(&secrets);
        if response.truncated {
            return Err(TokenError::UnexpectedBody {
                status: response.status,
                snippet: format!("body over the size cap: {}", redact.snippet(&response.body)),
            });
        }
        let issued = read_token(response.status, &response.body, &redact)?;
        if issued.clamped {
            tracing::warn!(
                lifetime_s = issued.lifetime.as_secs(),
                "gettoken sent no usable expires_in; the token's lifetime is bounded"
            );
        }
        let now = self.clock.now();
        let lifetime = time_duration(issued.lifetime);
        let early = time_duration(self.policy.refresh_margin.min(issued.lifetime / 2));
        let expires_at = now.checked_add(lifetime).unwrap_or(now);
        let refresh_at = expires_at.checked_sub(early).unwrap_or(now);
        tracing::debug!(
            expires_in = issued.lifetime.as_secs(),
            "fetched an access token"
        );
        Ok(StoredToken {
            token: issued.token,
            refresh_at,
            expires_at,
        })
    }
}

/// A std duration as a `time` duration, saturating.
fn time_duration(d: Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MAX)
}
