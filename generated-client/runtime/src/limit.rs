//! Client-side rate limits per app and per endpoint, so that a process, or a fleet sharing a
//! [`RateStore`], stays under the vendor's quota instead of discovering it through throttling
//! errors (DingTalk 90018/90002, ClassIn 460/464).
//!
//! In one process the limits are kept by [`governor`] (GCRA). With a shared store every call
//! reserves its slot in the store, so the processes of a fleet share one budget; when the store
//! cannot be reached the process falls back to its own limiter and says so in a warning.
//! A call waits for its slot only as long as its own timeout allows: a slot further away is
//! [`crate::Error::Throttled`] at once, with nothing sent. The app's limit is checked before the
//! endpoint's, so a call the endpoint's limit refuses has used one of the app's slots.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota};
use tokio::time::Instant;

use crate::endpoint::ErrorCode;
use crate::error::Error;
use crate::store::{StoreError, StoreFuture};
use crate::sync::lock;

/// A rate: calls per second, and how many may go at once after a quiet spell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    per_second: NonZeroU32,
    burst: NonZeroU32,
}

impl Rate {
    /// `n` calls per second, evenly spaced (a burst of 1). `0` is taken as 1.
    pub fn per_second(n: u32) -> Self {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        Rate {
            per_second: n,
            burst: NonZeroU32::MIN,
        }
    }

    /// Allow `n` calls at once after a quiet spell (at least 1).
    pub fn burst(self, n: u32) -> Self {
        Rate {
            burst: NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN),
            ..self
        }
    }

    /// Calls per second.
    pub fn calls_per_second(&self) -> u32 {
        self.per_second.get()
    }

    /// Calls allowed at once.
    pub fn burst_size(&self) -> u32 {
        self.burst.get()
    }

    /// The time between two calls.
    pub fn interval(&self) -> Duration {
        Duration::from_secs(1) / self.per_second.get()
    }

    fn quota(&self) -> Quota {
        Quota::per_second(self.per_second).allow_burst(self.burst)
    }
}

/// What a shared store answers to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The slot is reserved: send after waiting this long.
    Granted(Duration),
    /// The next slot is this far away, beyond the caller's patience; nothing was reserved.
    Refused(Duration),
}

/// Rate-limit counters shared by the processes of a fleet.
pub trait RateStore: Send + Sync + fmt::Debug + 'static {
    /// Reserve the next call slot of `key` at `rate`, unless it is more than `max_wait` away.
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        rate: Rate,
        max_wait: Duration,
    ) -> StoreFuture<'a, Reservation>;
}

/// The limits a client keeps: per app (all endpoints together) and per endpoint.
///
/// ```
/// use client_runtime::limit::{Rate, RateLimits};
/// let limits = RateLimits::new()
///     .per_app(Rate::per_second(50))
///     .per_endpoint("dingtalk.oapi.edu.period.create", Rate::per_second(10))
///     .every_endpoint(Rate::per_second(20));
/// # let _ = limits;
/// ```
#[derive(Clone, Default)]
pub struct RateLimits {
    app: Option<Rate>,
    endpoints: BTreeMap<String, Rate>,
    every_endpoint: Option<Rate>,
    shared: Option<Arc<dyn RateStore>>,
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimits")
            .field("app", &self.app)
            .field("endpoints", &self.endpoints)
            .field("every_endpoint", &self.every_endpoint)
            .field("shared", &self.shared.is_some())
            .finish()
    }
}

impl RateLimits {
    /// No limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// A limit on all calls of the app (the DingTalk app key, the ClassIn `SID`).
    pub fn per_app(mut self, rate: Rate) -> Self {
        self.app = Some(rate);
        self
    }

    /// A limit on the calls of one endpoint, by its API name (`Endpoint::API_NAME`).
    pub fn per_endpoint(mut self, api_name: impl Into<String>, rate: Rate) -> Self {
        self.endpoints.insert(api_name.into(), rate);
        self
    }

    /// A limit on each endpoint that [`Self::per_endpoint`] does not name.
    pub fn every_endpoint(mut self, rate: Rate) -> Self {
        self.every_endpoint = Some(rate);
        self
    }

    /// Count the calls in `store`, shared by every process that uses it, instead of in this
    /// process alone.
    pub fn shared(mut self, store: Arc<dyn RateStore>) -> Self {
        self.shared = Some(store);
        self
    }

    /// Whether any limit is set.
    pub fn is_empty(&self) -> bool {
        self.app.is_none() && self.endpoints.is_empty() && self.every_endpoint.is_none()
    }

    fn endpoint(&self, api: &str) -> Option<Rate> {
        self.endpoints.get(api).copied().or(self.every_endpoint)
    }
}

/// A call was refused by a client-side limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Throttled {
    pub scope: String,
    pub wait: Duration,
}

impl<C: ErrorCode> From<Throttled> for Error<C> {
    fn from(t: Throttled) -> Self {
        Error::Throttled {
            scope: t.scope,
            wait: t.wait,
        }
    }
}

/// The limits of one client, applied call by call.
pub(crate) struct Limiter {
    limits: RateLimits,
    /// The app's identity in shared keys.
    app_id: String,
    local: Mutex<HashMap<String, Arc<DefaultDirectRateLimiter>>>,
    /// When the last "store unreachable" warning was logged: one per [`WARN_EVERY`], not one
    /// per call.
    warned: Mutex<Option<Instant>>,
}

/// How often an unreachable rate-limit store is reported while it stays unreachable.
const WARN_EVERY: Duration = Duration::from_secs(10);

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Limiter {
    pub fn new(limits: RateLimits, app_id: impl Into<String>) -> Self {
        Limiter {
            limits,
            app_id: app_id.into(),
            local: Mutex::new(HashMap::new()),
            warned: Mutex::new(None),
        }
    }

    /// Wait for a slot under every limit that applies to `api`, or refuse when one is not
    /// available before `deadline`.
    pub async fn acquire(&self, api: &'static str, deadline: Instant) -> Result<(), Throttled> {
        if self.limits.is_empty() {
            return Ok(());
        }
        // Boxed: a call without limits (the usual one) then carries a pointer's room for the
        // wait, not the wait itself, through every layer of the call.
        Box::pin(self.slots(api, deadline)).await
    }

    /// Wait for a slot under every limit that applies to `api`.
    async fn slots(&self, api: &'static str, deadline: Instant) -> Result<(), Throttled> {
        if let Some(rate) = self.limits.app {
            self.slot("app", rate, deadline).await?;
        }
        if let Some(rate) = self.limits.endpoint(api) {
            self.slot(api, rate, deadline).await?;
        }
        Ok(())
    }

    async fn slot(&self, scope: &str, rate: Rate, deadline: Instant) -> Result<(), Throttled> {
        let throttled = |wait| Throttled {
            scope: scope.to_owned(),
            wait,
        };
        if let Some(store) = &self.limits.shared {
            let key = format!("{}:{scope}", self.app_id);
            let patience = deadline.saturating_duration_since(Instant::now());
            let reserved =
                tokio::time::timeout_at(deadline, store.reserve(&key, rate, patience)).await;
            match reserved {
                Ok(Ok(Reservation::Granted(wait))) => {
                    tokio::time::sleep(wait).await;
                    return Ok(());
                }
                Ok(Ok(Reservation::Refused(wait))) => return Err(throttled(wait)),
                // The call's time ran out while the store was asked.
                Err(_) => return Err(throttled(patience)),
                Ok(Err(StoreError(e))) => {
                    let mut warned = lock(&self.warned);
                    if warned.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
                        *warned = Some(Instant::now());
                        tracing::warn!(scope, error = %e, "rate-limit store unreachable; limiting this process alone");
                    }
                }
            }
        }
        let limiter = self.local(scope, rate);
        loop {
            let wait = match limiter.check() {
                Ok(()) => return Ok(()),
                Err(not_until) => not_until.wait_time_from(DefaultClock::default().now()),
            };
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|at| at > deadline)
            {
                return Err(throttled(wait));
            }
            tokio::time::sleep(wait).await;
        }
    }

    fn local(&self, scope: &str, rate: Rate) -> Arc<DefaultDirectRateLimiter> {
        let mut local = lock(&self.local);
        local
            .entry(scope.to_owned())
            .or_insert_with(|| Arc::new(DefaultDirectRateLimiter::direct(rate.quota())))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_limit_spaces_calls_and_refuses_past_the_deadline() {
        let limiter = Limiter::new(
            RateLimits::new().per_endpoint("a", Rate::per_second(20)),
            "app",
        );
        let far = Instant::now() + Duration::from_secs(5);
        let started = std::time::Instant::now();
        for _ in 0..5 {
            limiter.acquire("a", far).await.unwrap();
        }
        // Five calls at 20 per second: the last waits about 4 × 50 ms.
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(180), "{took:?}");
        // Another endpoint is not limited; the limited one refuses what it cannot fit.
        limiter.acquire("b", Instant::now()).await.unwrap();
        let refused = limiter.acquire("a", Instant::now()).await.unwrap_err();
        assert_eq!(refused.scope, "a");
        assert!(refused.wait > Duration::ZERO && refused.wait <= Duration::from_millis(50));
    }

    #[test]
    fn rates_read_back() {
        let r = Rate::per_second(0).burst(5);
        assert_eq!((r.calls_per_second(), r.burst_size()), (1, 5));
        assert_eq!(Rate::per_second(50).interval(), Duration::from_millis(20));
        let limits = RateLimits::new()
            .per_endpoint("x", Rate::per_second(3))
            .every_endpoint(Rate::per_second(7));
        assert_eq!(limits.endpoint("x"), Some(Rate::per_second(3)));
        assert_eq!(limits.endpoint("y"), Some(Rate::per_second(7)));
    }
}
