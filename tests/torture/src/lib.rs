//! A client generated from specs whose names collide with everything Rust and the generated code
//! hold dear: keywords (`type`, `self`, `crate`, `async`), prelude types (`Result`, `Option`,
//! `String`), names of generated items (`client`, `validate`, `new`, `call`), names that start with
//! a digit or hold a dash (`2fa`, `a-b`), a camelCase and a snake_case spelling of one name
//! (`deptId`, `dept_id`), a type shared by two endpoints and one type name in two vendors.
//!
//! It exists to be compiled: with every warning denied here and clippy's denied in CI, the
//! generated code is as clean for these specs as for the real ones.

#![deny(warnings, missing_docs)]

pub use client_runtime as runtime;

client_runtime::include_client!("lib.rs");
