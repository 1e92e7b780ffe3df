//! The source of the current time, and the two time formats the protocols put on the wire.
//!
//! Clients read the time through [`Clock`] so tests can fix it: TOP's `timestamp`, ClassIn's
//! `timeStamp` and `safeKey`, and token expiry all derive from it.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> OffsetDateTime;
}

/// Any `Fn() -> OffsetDateTime` is a clock.
impl<F> Clock for F
where
    F: Fn() -> OffsetDateTime + Send + Sync,
{
    fn now(&self) -> OffsetDateTime {
        self()
    }
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until it is moved by hand; for tests.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<OffsetDateTime>>);

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// A clock showing the Unix time `seconds`.
    pub fn at_unix(seconds: i64) -> Self {
        Self::new(
            OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        )
    }

    /// Move the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = crate::sync::lock(&self.0);
        *now += by;
    }

    /// Set the clock to `to`.
    pub fn set(&self, to: OffsetDateTime) {
        *crate::sync::lock(&self.0) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *crate::sync::lock(&self.0)
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}

/// A shared clock, as clients hold it.
pub(crate) type SharedClock = Arc<dyn Clock>;

const GMT8_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

/// `instant` as `yyyy-MM-dd HH:mm:ss` in GMT+8, the TOP router's `timestamp` format.
pub fn gmt8_timestamp(instant: OffsetDateTime) -> String {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    instant
        .to_offset(offset)
        .format(GMT8_FORMAT)
        .unwrap_or_default()
}

/// `instant` as whole Unix seconds, ClassIn's `timeStamp`.
pub fn unix_seconds(instant: OffsetDateTime) -> i64 {
    instant.unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn gmt8_is_eight_hours_ahead_of_utc() {
        assert_eq!(
            gmt8_timestamp(datetime!(2013-05-06 05:52:03 UTC)),
            "2013-05-06 13:52:03"
        );
        // Crossing midnight and a year boundary.
        assert_eq!(
            gmt8_timestamp(datetime!(2019-12-31 20:00:00 UTC)),
            "2020-01-01 04:00:00"
        );
        // An instant given in another offset is converted, not reinterpreted.
        assert_eq!(
            gmt8_timestamp(datetime!(2024-02-29 23:59:59 -5)),
            "2024-03-01 12:59:59"
        );
    }

    #[test]
    fn unix_seconds_of_a_fixed_instant() {
        assert_eq!(
            unix_seconds(datetime!(2017-05-02 11:51:10 UTC)),
            1_493_725_870
        );
    }

    #[test]
    fn manual_clock_moves_only_by_hand() {
        let clock = ManualClock::at_unix(1_000);
        assert_eq!(unix_seconds(clock.now()), 1_000);
        clock.advance(Duration::from_secs(60));
        assert_eq!(unix_seconds(clock.now()), 1_060);
        let f = || datetime!(2000-01-01 00:00:00 UTC);
        assert_eq!(unix_seconds(Clock::now(&f)), 946_684_800);
    }
}
