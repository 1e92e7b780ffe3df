//! DingTalk access tokens: a fixed token, or one fetched from `gettoken` with an app key and
//! secret, cached per app key, refreshed before it expires and fetched once however many calls
//! need it at the same moment.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tracing::Instrument;

use crate::clock::SharedClock;
use crate::error::{snippet, TokenError};
use crate::http::{join, Http};
use crate::json::{lenient_i64, text};
use crate::secret::Secret;

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

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    refresh_at: OffsetDateTime,
}

type Slot = Arc<Mutex<Option<CachedToken>>>;

/// Cached access tokens, one per app key (and `gettoken` base URL).
///
/// Each client has its own cache unless one is given to its builder; clients that share a cache
/// share their tokens, so an app key is exchanged once for all of them. Cloning shares.
#[derive(Clone, Default)]
pub struct TokenCache {
    slots: Arc<StdMutex<HashMap<String, Slot>>>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, key: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(key.to_owned()).or_default().clone()
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("TokenCache").field("app_keys", &n).finish()
    }
}

/// Hands out access tokens for one client.
pub(crate) struct TokenProvider {
    source: TokenSource,
    slot: Slot,
    base: String,
    margin: Duration,
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("source", &self.source)
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl TokenProvider {
    /// A provider for `source`, fetching from `<base>/gettoken` and keeping tokens in `cache`.
    /// A token is refreshed `margin` before it expires (at most half its lifetime early).
    pub fn new(source: TokenSource, cache: &TokenCache, base: String, margin: Duration) -> Self {
        let key = match &source {
            TokenSource::Fixed(_) => String::new(),
            TokenSource::App { app_key, .. } => format!("{base}\n{app_key}"),
        };
        let slot = match &source {
            TokenSource::Fixed(_) => Slot::default(),
            TokenSource::App { .. } => cache.slot(&key),
        };
        TokenProvider {
            source,
            slot,
            base,
            margin,
        }
    }

    /// Whether a rejected token can be replaced by fetching a new one.
    pub fn can_refresh(&self) -> bool {
        matches!(self.source, TokenSource::App { .. })
    }

    /// A token that is valid now, fetched if none is cached or the cached one is due.
    pub async fn token(&self, http: &Http, clock: &SharedClock) -> Result<Secret, TokenError> {
        let (app_key, app_secret) = match &self.source {
            TokenSource::Fixed(token) => return Ok(token.clone()),
            TokenSource::App {
                app_key,
                app_secret,
            } => (app_key, app_secret),
        };
        // Holding the slot's lock while fetching makes every other caller wait for this fetch
        // and then take its result: one `gettoken` however many callers arrive together.
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref() {
            if clock.now() < cached.refresh_at {
                return Ok(cached.token.clone());
            }
        }
        let fetched = self
            .fetch(http, clock, app_key, app_secret)
            .instrument(tracing::debug_span!("gettoken", app_key = %app_key))
            .await?;
        let token = fetched.token.clone();
        *slot = Some(fetched);
        Ok(token)
    }

    /// Forget `rejected` if it is still the cached token, so the next [`Self::token`] fetches a
    /// new one. A token already replaced by another caller is left alone.
    pub async fn invalidate(&self, rejected: &Secret) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| &c.token == rejected) {
            tracing::debug!("dropping the rejected access token");
            *slot = None;
        }
    }

    async fn fetch(
        &self,
        http: &Http,
        clock: &SharedClock,
        app_key: &str,
        app_secret: &Secret,
    ) -> Result<CachedToken, TokenError> {
        let mut url = join(&self.base, "/gettoken").map_err(|e| TokenError::UnexpectedBody {
            status: 0,
            snippet: e.to_string(),
        })?;
        url.query_pairs_mut()
            .append_pair("appkey", app_key)
            .append_pair("appsecret", app_secret.expose());
        let response = http.send(http.request(reqwest::Method::GET, url)).await?;
        let withheld = || TokenError::UnexpectedBody {
            status: response.status,
            snippet: if contains(&response.body, b"access_token") {
                "(body withheld: it holds a token)".to_owned()
            } else {
                snippet(&response.body)
            },
        };
        let body: Value = serde_json::from_slice(&response.body).map_err(|_| withheld())?;
        let Some(obj) = body.as_object() else {
            return Err(withheld());
        };
        let errcode = match obj.get("errcode") {
            Some(v) => lenient_i64(v).ok_or_else(withheld)?,
            None => return Err(withheld()),
        };
        if errcode != 0 {
            return Err(TokenError::Api {
                errcode,
                errmsg: text(obj.get("errmsg")).unwrap_or_default(),
                request_id: text(obj.get("request_id")),
            });
        }
        let token = match obj.get("access_token") {
            Some(Value::String(t)) if !t.is_empty() => Secret::new(t.clone()),
            _ => return Err(withheld()),
        };
        let lifetime = obj
            .get("expires_in")
            .and_then(lenient_i64)
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s.unsigned_abs()))
            .unwrap_or(Duration::from_secs(7200));
        let early = self.margin.min(lifetime / 2);
        tracing::debug!(expires_in = lifetime.as_secs(), "fetched an access token");
        Ok(CachedToken {
            token,
            refresh_at: clock.now() + (lifetime - early),
        })
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
