//! [`RedisStore`] is a [`TokenStore`] and a [`RateStore`] in one: the processes that use the same
//! Redis make one `gettoken` per app between them, and spend one rate budget per app.
//!
//! - **Tokens** are kept under `{prefix}:token:{key}` as a small JSON value (the token, and when
//!   it is due and when it expires as Unix milliseconds) that Redis drops when the token expires.
//!   The refresh lock is `{prefix}:token:{key}:lock`, taken with `SET NX PX` and given back with
//!   a compare-and-delete script, so only its holder can release it and a crashed holder's lock
//!   runs out by itself.
//! - **Rate limits** are kept under `{prefix}:rate:{key}` by GCRA in a Lua script that reads the
//!   time from Redis (`TIME`), so processes whose clocks disagree still share one schedule. Each
//!   call reserves its own slot and waits until it comes; a slot further away than the caller's
//!   patience is refused and nothing is reserved.
//! - **Redis is never a reason to fail or hang a call.** The store connects on first use and
//!   reconnects by itself; every operation is bounded by [`op_timeout`] (500 ms by default) and
//!   fails with a [`StoreError`], upon which the client fetches its token and limits its calls on
//!   its own and says so in a warning. After a failure the store does not try Redis again for
//!   [`outage_pause`] (1 s by default), so an unreachable Redis costs one timeout per pause, not
//!   one per call.
//!
//! Neither errors nor `Debug` output hold a token or the Redis password.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use client_runtime::dingtalk::DingTalkClient;
//! use client_runtime::redis_store::RedisStore;
//! use client_runtime::{Rate, RateLimits};
//!
//! // Cheap to clone: clones share one connection.
//! let store = RedisStore::new("redis://:password@redis.internal:6379/0")?;
//! let client = DingTalkClient::builder()
//!     .app_credentials("ding-app-key", "app-secret")
//!     .token_store(Arc::new(store.clone()))
//!     .rate_limits(
//!         RateLimits::new()
//!             .per_app(Rate::per_second(50))
//!             .shared(Arc::new(store)),
//!     )
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! The connection belongs to the Tokio runtime of the store's first operation: use a store (and
//! its clones) within one runtime.
//!
//! [`RedisStore`]: crate::redis_store::RedisStore
//! [`TokenStore`]: crate::store::TokenStore
//! [`RateStore`]: crate::limit::RateStore
//! [`StoreError`]: crate::store::StoreError
//! [`op_timeout`]: crate::redis_store::RedisStore::op_timeout
//! [`outage_pause`]: crate::redis_store::RedisStore::outage_pause

use std::fmt;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use zeroize::Zeroizing;

use crate::limit::{Rate, RateStore, Reservation};
use crate::secret::Secret;
use crate::store::{LockId, StoreError, StoreFuture, StoredToken, TokenStore};
use crate::sync::{deadline_in, lock};

/// The default prefix of every key the store writes.
pub const DEFAULT_KEY_PREFIX: &str = "client-runtime";
/// How long one Redis operation may take, connecting included, by default.
pub const DEFAULT_OP_TIMEOUT: Duration = Duration::from_millis(500);
/// How long the store answers errors at once after Redis failed, by default.
pub const DEFAULT_OUTAGE_PAUSE: Duration = Duration::from_secs(1);

/// The longest wait a reservation is told about, in microseconds (one day): a bound that keeps
/// the script's arithmetic exact.
const MAX_WAIT_MICROS: u64 = 86_400 * 1_000_000;

/// Deletes `KEYS[1]` only while it holds `ARGV[1]`: only a lock's holder can release it.
static UNLOCK: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0",
    )
});

/// GCRA with reservations. `KEYS[1]` holds the theoretical arrival time (TAT) in microseconds
/// of Redis time; `ARGV` are the emission interval T, the burst tolerance τ = T × (burst − 1)
/// and the caller's patience, all in microseconds. Answers `{1, wait}` when a slot `wait` µs
/// away is reserved, `{0, wait}` when the slot is too far and nothing changed.
static GCRA: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tau = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local wait = tat - tau - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, wait} end
local next_tat = tat + interval
local ttl_ms = math.floor((next_tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', string.format('%d', ttl_ms))
return {1, wait}",
    )
});

/// A token store and rate-limit store in Redis, shared by the processes that use the same Redis
/// and key prefix. See the [module documentation](self).
///
/// Cloning is cheap and clones share one connection. The settings ([`Self::key_prefix`],
/// [`Self::op_timeout`], [`Self::outage_pause`]) are meant for right after [`Self::new`]: each
/// returns a store with a connection of its own.
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    /// The URL with its password replaced by `***`.
    shown_url: String,
    /// Texts that must not appear in an error message (the password).
    hidden: Vec<Secret>,
    settings: Settings,
    connection: OnceCell<ConnectionManager>,
    /// Until when operations fail at once, after Redis failed to answer.
    paused_until: Mutex<Option<Instant>>,
}

#[derive(Clone)]
struct Settings {
    prefix: String,
    op_timeout: Duration,
    outage_pause: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        f.debug_struct("RedisStore")
            .field("url", &self.inner.shown_url)
            .field("key_prefix", &s.prefix)
            .field("op_timeout", &s.op_timeout)
            .field("outage_pause", &s.outage_pause)
            .finish()
    }
}

/// A stored token as JSON.
#[derive(Serialize)]
struct TokenOut<'a> {
    token: &'a str,
    refresh_at: i64,
    expires_at: i64,
}

#[derive(Deserialize)]
struct TokenIn {
    token: String,
    refresh_at: i64,
    expires_at: i64,
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://[[user]:password@]host[:port][/db]`, or
    /// `rediss://` and `redis+unix://` when the `redis` crate is built for them). The URL is
    /// checked here; the connection is made on first use.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        let (shown_url, hidden) = redact_url(url);
        let client = redis::Client::open(url).map_err(|e| {
            StoreError(scrub(
                &format!("invalid Redis URL {shown_url}: {e}"),
                &hidden,
            ))
        })?;
        let settings = Settings {
            prefix: DEFAULT_KEY_PREFIX.to_owned(),
            op_timeout: DEFAULT_OP_TIMEOUT,
            outage_pause: DEFAULT_OUTAGE_PAUSE,
        };
        Ok(Self::with(client, shown_url, hidden, settings))
    }

    fn with(
        client: redis::Client,
        shown_url: String,
        hidden: Vec<Secret>,
        settings: Settings,
    ) -> Self {
        RedisStore {
            inner: Arc::new(Inner {
                client,
                shown_url,
                hidden,
                settings,
                connection: OnceCell::new(),
                paused_until: Mutex::new(None),
            }),
        }
    }

    fn configure(self, change: impl FnOnce(&mut Settings)) -> Self {
        let inner = &self.inner;
        let mut settings = inner.settings.clone();
        change(&mut settings);
        Self::with(
            inner.client.clone(),
            inner.shown_url.clone(),
            inner.hidden.clone(),
            settings,
        )
    }

    /// Prefix every key with `prefix` instead of [`DEFAULT_KEY_PREFIX`]: stores with different
    /// prefixes share nothing.
    pub fn key_prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.configure(|s| s.prefix = prefix)
    }

    /// Bound every Redis operation, connecting included, by `timeout` instead of
    /// [`DEFAULT_OP_TIMEOUT`]. An operation that takes longer fails with a [`StoreError`].
    pub fn op_timeout(self, timeout: Duration) -> Self {
        self.configure(|s| s.op_timeout = timeout)
    }

    /// After Redis failed to answer (a timeout, a refused or dropped connection), fail every
    /// operation at once for `pause` instead of [`DEFAULT_OUTAGE_PAUSE`]; `Duration::ZERO`
    /// tries Redis every time.
    pub fn outage_pause(self, pause: Duration) -> Self {
        self.configure(|s| s.outage_pause = pause)
    }

    /// The Redis key of the token stored under `key`.
    pub fn token_key(&self, key: &str) -> String {
        format!("{}:token:{key}", self.inner.settings.prefix)
    }

    /// The Redis key of the refresh lock of the token stored under `key`.
    pub fn lock_key(&self, key: &str) -> String {
        format!("{}:token:{key}:lock", self.inner.settings.prefix)
    }

    /// The Redis key of the rate-limit state of `key`.
    pub fn rate_key(&self, key: &str) -> String {
        format!("{}:rate:{key}", self.inner.settings.prefix)
    }

    async fn connection(&self) -> redis::RedisResult<ConnectionManager> {
        let inner = &self.inner;
        let timeout = inner.settings.op_timeout;
        inner
            .connection
            .get_or_try_init(|| async {
                // Lazy: the first command connects; a lost connection is made again in the
                // background, a few quick tries at a time.
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(timeout))
                    .set_response_timeout(Some(timeout))
                    .set_number_of_retries(2)
                    .set_min_delay(Duration::from_millis(50))
                    .set_max_delay(Duration::from_secs(1));
                ConnectionManager::new_lazy_with_config(inner.client.clone(), config)
            })
            .await
            .cloned()
    }

    /// Run one operation on the connection, within the operation timeout.
    async fn run<T, F>(
        &self,
        what: &str,
        op: impl FnOnce(ConnectionManager) -> F,
    ) -> Result<T, StoreError>
    where
        F: Future<Output = redis::RedisResult<T>>,
    {
        let inner = &self.inner;
        let now = Instant::now();
        if let Some(until) = *lock(&inner.paused_until) {
            if now < until {
                return Err(StoreError(format!(
                    "redis {what}: Redis at {} failed lately; not tried again for {:?}",
                    inner.shown_url,
                    until - now
                )));
            }
        }
        let timeout = inner.settings.op_timeout;
        let outcome = tokio::time::timeout(timeout, async {
            let connection = self.connection().await?;
            op(connection).await
        })
        .await;
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => {
                if e.is_io_error()
                    || e.is_connection_dropped()
                    || e.is_connection_refusal()
                    || e.is_timeout()
                    || e.is_unrecoverable_error()
                {
                    self.pause();
                }
                Err(StoreError(scrub(
                    &format!("redis {what} at {}: {e}", inner.shown_url),
                    &inner.hidden,
                )))
            }
            Err(_) => {
                self.pause();
                Err(StoreError(format!(
                    "redis {what} at {}: no answer within {timeout:?}",
                    inner.shown_url
                )))
            }
        }
    }

    fn pause(&self) {
        let pause = self.inner.settings.outage_pause;
        if !pause.is_zero() {
            *lock(&self.inner.paused_until) = Some(deadline_in(pause));
        }
    }
}

impl TokenStore for RedisStore {
    fn load<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<StoredToken>> {
        Box::pin(async move {
            let redis_key = self.token_key(key);
            let raw: Option<Vec<u8>> = self
                .run("GET token", |mut c| async move {
                    redis::cmd("GET").arg(&redis_key).query_async(&mut c).await
                })
                .await?;
            // An entry this store cannot read is treated as absent: the refresher then takes the
            // lock and overwrites it, instead of every process fetching alone at every refresh.
            Ok(raw.and_then(|bytes| match decode_token(key, &Zeroizing::new(bytes)) {
                Ok(stored) => Some(stored),
                Err(e) => {
                    tracing::warn!(error = %e, "unreadable token entry in Redis; it will be replaced");
                    None
                }
            }))
        })
    }

    fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let json = Secret::new(encode_token(token));
            // Redis drops the token when it expires (at once if it has).
            let left = token.expires_at - OffsetDateTime::now_utc();
            let ttl_ms = u64::try_from(left.whole_milliseconds().max(1)).unwrap_or(u64::MAX);
            let redis_key = self.token_key(key);
            self.run("SET token", |mut c| async move {
                redis::cmd("SET")
                    .arg(&redis_key)
                    .arg(json.expose())
                    .arg("PX")
                    .arg(ttl_ms)
                    .query_async::<()>(&mut c)
                    .await
            })
            .await
        })
    }

    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Option<LockId>> {
        Box::pin(async move {
            let id = LockId::random();
            let ttl_ms = u64::try_from(ttl.as_millis().max(1)).unwrap_or(u64::MAX);
            let redis_key = self.lock_key(key);
            let taken: Option<String> = self
                .run("SET NX lock", |mut c| {
                    let id = id.0.clone();
                    async move {
                        redis::cmd("SET")
                            .arg(&redis_key)
                            .arg(id)
                            .arg("NX")
                            .arg("PX")
                            .arg(ttl_ms)
                            .query_async(&mut c)
                            .await
                    }
                })
                .await?;
            Ok(taken.map(|_| id))
        })
    }

    fn unlock<'a>(&'a self, key: &'a str, lock: &'a LockId) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let redis_key = self.lock_key(key);
            self.run("unlock", |mut c| async move {
                UNLOCK
                    .key(&redis_key)
                    .arg(&lock.0)
                    .invoke_async::<i64>(&mut c)
                    .await
            })
            .await
            .map(|_| ())
        })
    }
}

impl RateStore for RedisStore {
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        rate: Rate,
        max_wait: Duration,
    ) -> StoreFuture<'a, Reservation> {
        Box::pin(async move {
            // The interval rounded up to a microsecond, so the fleet never goes faster than
            // the rate.
            let interval = u64::try_from(rate.interval().as_nanos().div_ceil(1000))
                .unwrap_or(MAX_WAIT_MICROS)
                .clamp(1, MAX_WAIT_MICROS);
            let tau = interval * u64::from(rate.burst_size() - 1);
            let patience = u64::try_from(max_wait.as_micros())
                .unwrap_or(MAX_WAIT_MICROS)
                .min(MAX_WAIT_MICROS);
            let redis_key = self.rate_key(key);
            let (granted, wait): (i64, i64) = self
                .run("reserve", |mut c| async move {
                    GCRA.key(&redis_key)
                        .arg(interval)
                        .arg(tau)
                        .arg(patience)
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
            Ok(if granted == 1 {
                Reservation::Granted(wait)
            } else {
                Reservation::Refused(wait)
            })
        })
    }
}

fn unix_millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn encode_token(token: &StoredToken) -> String {
    let out = TokenOut {
        token: token.token.expose(),
        refresh_at: unix_millis(token.refresh_at),
        expires_at: unix_millis(token.expires_at),
    };
    // A struct of a string and two integers always serializes.
    serde_json::to_string(&out).unwrap_or_default()
}

/// Read a stored token. The error names where the JSON broke, never what it holds.
fn decode_token(key: &str, bytes: &[u8]) -> Result<StoredToken, StoreError> {
    let unreadable = |why: String| StoreError(format!("the token stored for {key} is {why}"));
    let stored: TokenIn = serde_json::from_slice(bytes).map_err(|e| {
        unreadable(format!(
            "not readable ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let TokenIn {
        token,
        refresh_at,
        expires_at,
    } = stored;
    let token = Secret::new(token);
    let time = |ms: i64| {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map_err(|_| unreadable(format!("dated out of range ({ms} ms)")))
    };
    Ok(StoredToken {
        token,
        refresh_at: time(refresh_at)?,
        expires_at: time(expires_at)?,
    })
}

/// `url` with its password (or a lone user-info part, which Redis takes for one, and
/// `pass`/`password` query values) replaced by `***`, and the texts replaced (as written and
/// percent-decoded). A URL that does not parse is not shown at all.
fn redact_url(url: &str) -> (String, Vec<Secret>) {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return ("(unparsable Redis URL)".to_owned(), Vec::new());
    };
    let mut hidden = Vec::new();
    let mut hide = |text: &str| {
        hidden.push(Secret::new(text));
        if let Some(decoded) = percent_decoded(text) {
            hidden.push(Secret::new(decoded));
        }
    };
    if let Some(password) = parsed.password() {
        hide(password);
        let _ = parsed.set_password(Some("***"));
    } else if !parsed.username().is_empty() {
        hide(parsed.username());
        let _ = parsed.set_username("***");
    }
    let secret_key = |k: &str| k.eq_ignore_ascii_case("pass") || k.eq_ignore_ascii_case("password");
    if parsed.query_pairs().any(|(k, _)| secret_key(&k)) {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                if secret_key(&k) {
                    hide(&v);
                    (k.into_owned(), "***".to_owned())
                } else {
                    (k.into_owned(), v.into_owned())
                }
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(&pairs);
    }
    hidden.retain(|s| !s.is_empty());
    (parsed.to_string(), hidden)
}

/// `text` percent-decoded, as the Redis client reads a URL's password.
fn percent_decoded(text: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("k={text}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

/// `text` with every hidden string replaced by `***`.
fn scrub(text: &str, hidden: &[Secret]) -> String {
    hidden.iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.expose(), "***")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_errors_hide_the_password() {
        let store = RedisStore::new("redis://admin:s3cret-pw@127.0.0.1:6379/2").unwrap();
        let shown = format!("{store:?}");
        assert!(
            shown.contains("redis://admin:***@127.0.0.1:6379/2"),
            "{shown}"
        );
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        let (shown, _) = redact_url("redis://:pw@h:1");
        assert_eq!(shown, "redis://:***@h:1");
        let (shown, _) = redact_url("redis://lonepw@h");
        assert_eq!(shown, "redis://***@h");
        let (shown, hidden) = redact_url("redis+unix:///run/redis.sock?db=1&pass=qwerty#x");
        assert_eq!(shown, "redis+unix:///run/redis.sock?db=1&pass=***#x");
        assert_eq!(scrub("auth qwerty failed", &hidden), "auth *** failed");
        let (shown, hidden) = redact_url("redis://127.0.0.1");
        assert_eq!((shown.as_str(), hidden.len()), ("redis://127.0.0.1", 0));
        let err = RedisStore::new("http://user:hunter22@example.com").unwrap_err();
        assert!(!err.to_string().contains("hunter22"), "{err}");
    }

    #[test]
    fn keys_follow_the_prefix_and_settings_read_back() {
        let store = RedisStore::new("redis://127.0.0.1:1").unwrap();
        assert_eq!(store.token_key("k@u"), "client-runtime:token:k@u");
        assert_eq!(store.lock_key("k@u"), "client-runtime:token:k@u:lock");
        assert_eq!(store.rate_key("app:scope"), "client-runtime:rate:app:scope");
        let store = store
            .key_prefix("fleet-a")
            .op_timeout(Duration::from_millis(80))
            .outage_pause(Duration::ZERO);
        assert_eq!(store.token_key("k"), "fleet-a:token:k");
        let shown = format!("{store:?}");
        assert!(
            shown.contains("80ms") && shown.contains("fleet-a"),
            "{shown}"
        );
    }

    #[test]
    fn tokens_round_trip_through_json_and_broken_json_is_not_echoed() {
        let at = |ms: i64| {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
        };
        let token = StoredToken {
            token: Secret::new("TOKEN-abc"),
            refresh_at: at(1_700_000_000_123),
            expires_at: at(1_700_000_300_456),
        };
        let json = encode_token(&token);
        assert_eq!(
            json,
            r#"{"token":"TOKEN-abc","refresh_at":1700000000123,"expires_at":1700000300456}"#
        );
        assert_eq!(decode_token("k", json.as_bytes()).unwrap(), token);
        let err = decode_token("k", br#"{"token":"TOKEN-abc","refresh_at":"soon"}"#).unwrap_err();
        assert!(!err.to_string().contains("TOKEN-abc"), "{err}");
        assert!(!err.to_string().contains("soon"), "{err}");
        let err = decode_token("k", br#"{"token":"T","refresh_at":1,"expires_at":9e18}"#);
        assert!(err.is_err());
    }

    /// A Redis that accepts connections and never answers: every operation gives up after the
    /// operation timeout, and during the outage pause the store does not wait at all.
    #[tokio::test]
    async fn a_silent_redis_cannot_hang_a_call() {
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("redis://127.0.0.1:{}", silent.local_addr().unwrap().port());
        let store = RedisStore::new(&url)
            .unwrap()
            .op_timeout(Duration::from_millis(150));
        let started = std::time::Instant::now();
        let err = store.load("k").await.unwrap_err();
        let took = started.elapsed();
        assert!(err.0.contains("no answer within 150ms"), "{err}");
        assert!(
            took >= Duration::from_millis(140) && took < Duration::from_secs(2),
            "{took:?}"
        );
        let started = std::time::Instant::now();
        let err = store
            .reserve("k", Rate::per_second(5), Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(err.0.contains("not tried again"), "{err}");
        assert!(started.elapsed() < Duration::from_millis(50));
        let store = store.outage_pause(Duration::ZERO);
        let started = std::time::Instant::now();
        assert!(store.try_lock("k", Duration::from_secs(1)).await.is_err());
        assert!(started.elapsed() >= Duration::from_millis(140));
    }

    /// Nothing listening: a refused connection is an error, fast.
    #[tokio::test]
    async fn a_redis_that_is_down_is_an_error_not_a_wait() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let store = RedisStore::new(&format!("redis://127.0.0.1:{port}")).unwrap();
        let started = std::time::Instant::now();
        let token = StoredToken {
            token: Secret::new("TOKEN-never-shown"),
            refresh_at: OffsetDateTime::now_utc(),
            expires_at: OffsetDateTime::now_utc() + time::Duration::hours(2),
        };
        let err = store.save("k", &token).await.unwrap_err();
        assert!(!err.to_string().contains("TOKEN-never-shown"), "{err}");
        assert!(started.elapsed() <= Duration::from_millis(600), "{err}");
    }
}
