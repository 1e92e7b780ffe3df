//! Small helpers for shared state and time that every part of the runtime uses the same way.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// Lock `m`, also when a thread panicked while holding it: the maps and counters the runtime
/// guards are valid after any panic, and a poisoned lock must not fail every later call.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How far ahead an unbounded wait ends: further than any call can last.
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The instant `d` from now, or a far one when `d` is too long to add (`Duration::MAX` is a
/// natural way to ask for no timeout, and adding it to an `Instant` would panic).
pub(crate) fn deadline_in(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d.min(FAR))
        .or_else(|| now.checked_add(Duration::from_secs(24 * 3600)))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_never_overflow() {
        let soon = deadline_in(Duration::from_millis(5));
        assert!(soon > Instant::now() - Duration::from_millis(1));
        assert!(deadline_in(Duration::MAX) > Instant::now() + Duration::from_secs(3600));
        let m = Mutex::new(1);
        let _ = std::panic::catch_unwind(|| {
            let _g = m.lock().unwrap();
            panic!("poison");
        });
        assert_eq!(*lock(&m), 1);
    }
}
