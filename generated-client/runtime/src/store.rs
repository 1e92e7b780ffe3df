//! Where access tokens and rate-limit counters live: in this process by default, or shared by
//! the processes of a fleet (`RedisStore`, behind the `redis` feature).
//!
//! A client keeps the current token in its own memory and asks the store only when the token is
//! due: to take a token another process has fetched, or to become the one process that fetches
//! it (a lock with an expiry, so that a crashed holder cannot block the others). A store that
//! fails is never a reason to fail a call: the client logs a warning and fetches on its own.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;

use crate::secret::Secret;
use crate::sync::lock;

/// The future a store method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store could not be reached or answered something unreadable. Its message never holds a
/// token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store: {0}")]
pub struct StoreError(pub String);

/// An access token as kept in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The token.
    pub token: Secret,
    /// When the token is replaced, ahead of its expiry.
    pub refresh_at: OffsetDateTime,
    /// When the server stops accepting it.
    pub expires_at: OffsetDateTime,
}

/// Proof of holding a store's refresh lock, given back to [`TokenStore::unlock`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockId(pub String);

impl LockId {
    /// A lock id no other holder will have.
    pub fn random() -> Self {
        LockId(format!(
            "{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        ))
    }
}

/// Keeps access tokens, and elects the one refresher of a token.
///
/// Keys are opaque strings the client builds from the app key and the `gettoken` URL
/// ([`crate::token::store_key`]). A store may drop a token once it expires by its own clock;
/// whether a token is due is decided by the client's clock.
pub trait TokenStore: Send + Sync + fmt::Debug + 'static {
    /// The token stored under `key`, if any. It may be due or expired: the caller decides.
    fn load<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<StoredToken>>;

    /// Store `token` under `key` until it expires.
    fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> StoreFuture<'a, ()>;

    /// Become the refresher of `key` for at most `ttl`: `None` while another holds the lock.
    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Option<LockId>>;

    /// Give the lock back; nothing happens when it has expired and another holder took it.
    fn unlock<'a>(&'a self, key: &'a str, lock: &'a LockId) -> StoreFuture<'a, ()>;
}

/// The default store: this process's memory.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, StoredToken>>,
    locks: Mutex<HashMap<String, (LockId, tokio::time::Instant)>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<StoredToken>> {
        let found = lock(&self.tokens).get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> StoreFuture<'a, ()> {
        lock(&self.tokens).insert(key.to_owned(), token.clone());
        Box::pin(async { Ok(()) })
    }

    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Option<LockId>> {
        let now = tokio::time::Instant::now();
        let mut locks = lock(&self.locks);
        let free = locks.get(key).is_none_or(|(_, until)| *until <= now);
        let taken = free.then(|| {
            let id = LockId::random();
            locks.insert(key.to_owned(), (id.clone(), crate::sync::deadline_in(ttl)));
            id
        });
        Box::pin(async move { Ok(taken) })
    }

    fn unlock<'a>(&'a self, key: &'a str, id: &'a LockId) -> StoreFuture<'a, ()> {
        let mut locks = lock(&self.locks);
        if locks.get(key).is_some_and(|(held, _)| held == id) {
            locks.remove(key);
        }
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_store_keeps_tokens_and_one_lock_per_key() {
        let store = MemoryTokenStore::new();
        assert_eq!(store.load("k").await.unwrap(), None);
        let now = OffsetDateTime::UNIX_EPOCH;
        let token = StoredToken {
            token: Secret::new("T"),
            refresh_at: now,
            expires_at: now,
        };
        store.save("k", &token).await.unwrap();
        assert_eq!(store.load("k").await.unwrap(), Some(token));
        let held = store.try_lock("k", Duration::from_secs(60)).await.unwrap();
        let held = held.expect("a free lock is taken");
        assert_eq!(
            store.try_lock("k", Duration::from_secs(60)).await.unwrap(),
            None
        );
        assert!(store
            .try_lock("other", Duration::from_secs(60))
            .await
            .unwrap()
            .is_some());
        // Someone else's id does not release it; the holder's does.
        store.unlock("k", &LockId::random()).await.unwrap();
        assert_eq!(
            store.try_lock("k", Duration::from_secs(60)).await.unwrap(),
            None
        );
        store.unlock("k", &held).await.unwrap();
        assert!(store.try_lock("k", Duration::ZERO).await.unwrap().is_some());
        // A lock whose time is up is free again.
        assert!(store
            .try_lock("k", Duration::from_secs(1))
            .await
            .unwrap()
            .is_some());
    }
}
