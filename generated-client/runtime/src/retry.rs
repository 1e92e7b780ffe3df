//! How often and how patiently a failed call is repeated.
//!
//! Only failures that [`crate::Error::is_retryable`] accepts are retried: busy and rate-limit
//! codes, ClassIn's transient codes, and connections that could not be made (the request was not
//! sent). Timeouts are not retried: the server may have acted on a request that creates
//! something, and repeating it could create it twice.

use std::time::Duration;

/// Bounded exponential backoff.
///
/// The delay before retry `n` (from 1) is `initial × multiplier^(n-1)`, capped at `max_delay`,
/// then varied by up to `± jitter` of itself so that many clients do not retry in step.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// Delay before the first retry.
    pub initial_delay: Duration,
    /// Growth factor of the delay per retry.
    pub multiplier: f64,
    /// Upper bound of any delay.
    pub max_delay: Duration,
    /// Relative random variation of each delay, from 0.0 (none) to 1.0.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    /// Three retries after 200 ms, 400 ms and 800 ms (±10 %), at most 5 s each.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(200),
            multiplier: 2.0,
            max_delay: Duration::from_secs(5),
            jitter: 0.1,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// `max_retries` retries with a fixed delay and no jitter; handy in tests.
    pub fn fixed(max_retries: u32, delay: Duration) -> Self {
        RetryPolicy {
            max_retries,
            initial_delay: delay,
            multiplier: 1.0,
            max_delay: delay,
            jitter: 0.0,
        }
    }

    /// The delay before retry `retry` (1 for the first retry), jitter included.
    pub fn delay(&self, retry: u32) -> Duration {
        let exp = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let base = self.initial_delay.as_secs_f64() * self.multiplier.max(1.0).powi(exp);
        let capped = if base.is_finite() {
            base.min(self.max_delay.as_secs_f64())
        } else {
            self.max_delay.as_secs_f64()
        };
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = if jitter > 0.0 {
            1.0 + jitter * (fastrand::f64() * 2.0 - 1.0)
        } else {
            1.0
        };
        Duration::try_from_secs_f64((capped * factor).max(0.0)).unwrap_or(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy {
            jitter: 0.0,
            ..RetryPolicy::default()
        };
        assert_eq!(p.delay(1), Duration::from_millis(200));
        assert_eq!(p.delay(2), Duration::from_millis(400));
        assert_eq!(p.delay(3), Duration::from_millis(800));
        assert_eq!(p.delay(10), Duration::from_secs(5));
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let p = RetryPolicy::default();
        for _ in 0..1000 {
            let d = p.delay(1).as_secs_f64();
            assert!((0.18..=0.22).contains(&d), "{d}");
        }
    }

    #[test]
    fn fixed_and_none() {
        assert_eq!(
            RetryPolicy::fixed(2, Duration::from_millis(1)).delay(5),
            Duration::from_millis(1)
        );
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }
}
