#![warn(missing_docs)]
//! Runtime support for clients generated from the YAML endpoint specs.
//!
//! Generated code implements [`Endpoint`] for every request type, [`Validate`] for every request
//! and nested type, and [`ErrorCode`] for every endpoint's error-code table. The protocol clients
//! turn such a request into the vendor's wire format, check the vendor's envelope and decode the
//! typed response:
//!
//! - [`dingtalk::DingTalkClient`] for DingTalk oapi and TOP router endpoints, with access tokens
//!   fixed or fetched from an app key and secret;
//! - [`classin::ClassInClient`] for ClassIn partner API v1 endpoints.
//!
//! Both validate a request before sending it ([`Error::Validation`], no I/O), retry transient
//! failures per a [`RetryPolicy`], log through `tracing` (one `api_call` span per call with the
//! API name, attempt number and request id) and never show a credential: secrets are held in
//! [`Secret`], whose `Debug` output is redacted, and every text taken from a server is scrubbed
//! ([`redact`]).
//!
//! They are built to stay safe when the vendor misbehaves:
//!
//! - [`envelope`]: envelopes are strict (a body that is not the family's envelope is never a
//!   success) and payloads tolerant; answers are decoded in one pass from the body bytes, under a
//!   configurable size cap, and no server value can panic the client.
//! - [`token`]: one `gettoken` at a time per app key, its outcome shared by every waiter, failures
//!   remembered for a short back-off, every wait bounded by the call's timeout, early refreshes
//!   in the background; a [`store::TokenStore`] shares one token and one refresh across a fleet.
//! - [`limit`]: optional client-side rate limits per app and per endpoint, in one process or
//!   across a fleet.
//! - A call-level partial success returns its payload with the code ([`Reply::partial`]).
//!
//! Validation warnings (limits the server enforces by changing the value) do not stop a call:
//! they are logged at `warn` level and returned in [`Reply::warnings`] by `call_detailed`.
//! [`blocking`] wraps both clients for programs without an async runtime.
//! With the `testing` feature, `testing` holds fake DingTalk and ClassIn servers for tests of
//! code that calls the vendors.
//!
//! # What generated code must provide
//!
//! - Requests serialize (serde) to a JSON object whose keys are the wire names; optional fields
//!   should be skipped when absent (`skip_serializing_if = "Option::is_none"`): the runtime
//!   drops top-level `null`s itself but sends nested ones as they are.
//! - `E::Response` is the payload inside the envelope: the whole body for oapi (with `errcode`,
//!   `errmsg`, `result`, ...), the object under `<method>_response` for TOP, the whole body for
//!   ClassIn (`data`, `error_info`). It must tolerate unknown fields (serde's default).
//! - A file field holds a [`File`] (`Option<File>` when optional) and is listed by
//!   [`Endpoint::files`]. A `File` serializes as a summary (name, length, media type), which the
//!   ClassIn client leaves out of the form: it sends the file as a part of a
//!   `multipart/form-data` body. The DingTalk families take no files and refuse such a request
//!   with [`Error::Encode`]. Its limits are checked with [`validate::check::file`].
//! - A route matches the protocol: `Route::Path` for oapi, `Route::TopMethod` for TOP,
//!   `Route::Action` for ClassIn; calling an endpoint of another family through a client fails
//!   to build (a post-monomorphization error: `cargo build` reports it, `cargo check` does not).

pub mod blocking;
pub mod builder;
pub mod call;
pub mod classin;
pub mod clock;
pub mod de;
pub mod dingtalk;
pub mod endpoint;
pub mod enums;
pub mod envelope;
pub mod error;
pub mod file;
pub mod form;
pub mod http;
mod include;
pub mod items;
pub(crate) mod json_path;
pub mod limit;
pub(crate) mod oapi;
pub mod options;
pub mod paginate;
pub mod redact;
/// Token and rate-limit stores in Redis, shared by a fleet of processes (feature `redis`).
#[cfg(feature = "redis")]
pub mod redis_store;
pub mod retry;
pub mod secret;
pub mod store;
pub(crate) mod sync;
#[cfg(feature = "testing")]
pub mod testing;
pub mod token;
pub mod top;
pub mod top_sign;
pub mod validate;

pub use call::{Detailed, Reply};
pub use clock::{Clock, ManualClock, SystemClock};
pub use endpoint::{
    CodeKind, Endpoint, ErrorCode, FieldEncoding, HttpMethod, ItemResult, Outcome, Protocol, Route,
    UndocumentedCode,
};
pub use enums::{UnknownEnumValue, UnknownValue};
pub use envelope::Partial;
pub use error::{BuildError, Error, TokenError, TransportError, TransportKind};
pub use file::{File, FileError};
/// The stream traits of `futures`, re-exported so that code consuming [`Pages`] and [`Items`]
/// needs no dependency of its own on it.
pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
pub use http::{ProxyUrl, Timeouts};
pub use items::{summarize, ItemIssue, ItemSummary};
pub use limit::{Rate, RateLimits};
pub use options::{Call, CallOptions, CallResult, Caller};
pub use paginate::{Cursor, Items, PageError, PageStyle, Pages, Paginated};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use store::{MemoryTokenStore, TokenStore};
pub use token::TokenPolicy;
pub use top::TopSigning;
pub use top_sign::SignMethod;
pub use validate::{
    Found, GroupKind, Path, Rule, Severity, Validate, ValidationError, Violation, Violations,
};
