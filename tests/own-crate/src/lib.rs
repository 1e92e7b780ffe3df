//! A client generated in a crate of its own, exactly as a user of the generator writes one: its
//! own `spec/` folder, a `build.rs` that runs `codegen::Config`, and this file, which includes
//! what the build script generated. Its specs use ClassIn file uploads and field groups
//! (`classin::register`, `classin::add_course`), and two DingTalk endpoints that each define a
//! `CourseOption` of their own beside a shared `common` file.
//!
//! Every warning is denied here, so the generated code is proven warning-free in a crate that
//! is not the project's own client.

#![deny(warnings, missing_docs)]

client_runtime::include_client!();
