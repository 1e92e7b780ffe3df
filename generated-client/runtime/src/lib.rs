//! Runtime support for clients generated from the YAML endpoint specs.
//!
//! Generated code implements [`Endpoint`] for every request type, [`Validate`] for every request
//! and nested type, and [`ErrorCode`] for every endpoint's error-code table. The protocol clients
//! turn such a request into the vendor's wire format, check the vendor's envelope and decode the
//! typed response.

pub mod de;
pub mod endpoint;
pub mod validate;

pub use endpoint::{CodeKind, Endpoint, ErrorCode, ItemResult, Outcome, FieldEncoding, HttpMethod, Protocol, Route, UndocumentedCode};
pub use validate::{Found, Path, Rule, Severity, Validate, ValidationError, Violation, Violations};
