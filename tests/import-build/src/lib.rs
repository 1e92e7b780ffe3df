//! The client generated from pages imported by `codegen import`, with no edit: the four vendor
//! pages and every catalogue case that imports. Every warning is denied, so each draft is
//! proven to compile cleanly as written.

#![deny(warnings, missing_docs)]

client_runtime::include_client!();
