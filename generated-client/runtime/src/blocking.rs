//! Blocking wrappers of the clients, for programs without an async runtime of their own.
//!
//! Each wrapper owns a single-threaded Tokio runtime and blocks the calling thread until the call
//! is done. Do not use them from inside an async runtime (Tokio panics when a runtime blocks
//! inside another); call the async clients there.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;

use crate::call::Detailed;
use crate::classin::ClassInClient;
use crate::dingtalk::DingTalkClient;
use crate::endpoint::Endpoint;
use crate::error::{BuildError, Error};
use crate::options::{CallOptions, Caller};

fn runtime() -> Result<Arc<tokio::runtime::Runtime>, BuildError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| BuildError::Http(format!("no runtime for blocking calls: {e}")))
}

/// A [`DingTalkClient`] whose calls block. Cloning is cheap; clones share the runtime.
#[derive(Clone)]
pub struct BlockingDingTalkClient {
    client: DingTalkClient,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl BlockingDingTalkClient {
    /// Wrap `client`.
    pub fn new(client: DingTalkClient) -> Result<Self, BuildError> {
        Ok(BlockingDingTalkClient {
            client,
            runtime: runtime()?,
        })
    }

    /// [`DingTalkClient::call`], blocking.
    pub fn call<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error<E::ErrorCode>> {
        self.runtime
            .block_on(self.client.call(request).into_future())
    }

    /// [`DingTalkClient::call_detailed`], blocking.
    pub fn call_detailed<E: Endpoint>(&self, request: &E) -> Detailed<E> {
        self.runtime.block_on(self.client.call_detailed(request))
    }

    /// One call with `options` overriding the client's settings, blocking: the detailed
    /// reply.
    pub fn call_with<E: Endpoint>(&self, request: &E, options: CallOptions) -> Detailed<E> {
        self.runtime
            .block_on(Caller::call_with(&self.client, request, options))
    }
}

impl fmt::Debug for BlockingDingTalkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingDingTalkClient")
            .field(&self.client)
            .finish()
    }
}

/// A [`ClassInClient`] whose calls block. Cloning is cheap; clones share the runtime.
#[derive(Clone)]
pub struct BlockingClassInClient {
    client: ClassInClient,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl BlockingClassInClient {
    /// Wrap `client`.
    pub fn new(client: ClassInClient) -> Result<Self, BuildError> {
        Ok(BlockingClassInClient {
            client,
            runtime: runtime()?,
        })
    }

    /// [`ClassInClient::call`], blocking.
    pub fn call<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error<E::ErrorCode>> {
        self.runtime
            .block_on(self.client.call(request).into_future())
    }

    /// [`ClassInClient::call_detailed`], blocking.
    pub fn call_detailed<E: Endpoint>(&self, request: &E) -> Detailed<E> {
        self.runtime.block_on(self.client.call_detailed(request))
    }

    /// One call with `options` overriding the client's settings, blocking: the detailed
    /// reply.
    pub fn call_with<E: Endpoint>(&self, request: &E, options: CallOptions) -> Detailed<E> {
        self.runtime
            .block_on(Caller::call_with(&self.client, request, options))
    }
}

impl fmt::Debug for BlockingClassInClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingClassInClient")
            .field(&self.client)
            .finish()
    }
}
