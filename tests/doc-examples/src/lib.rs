//! The spec files README.md and spec/README.md show, generated into one client and compiled with
//! every warning denied (missing documentation included): an example that stops compiling, or
//! generates code a careful reader would frown at, fails the build. The runtime is a dependency
//! renamed `runtime` here, and the generated code names it so.

#![deny(warnings, missing_docs)]

runtime::include_client!();

/// The Rust examples of README.md and spec/README.md that use the specs above (fenced `rs`
/// there), run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!(concat!(env!("OUT_DIR"), "/rs_examples.md"))]
pub struct RsExamples;
