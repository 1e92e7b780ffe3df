//! Typed DingTalk and ClassIn API client, generated at build time from the YAML specs in
//! `spec/`.
//!
//! Each endpoint is a module under its vendor (`dingtalk::edu_period_create`,
//! `classin::add_course_student_multiple`) holding its request, response and nested types, its
//! enums and its error codes. Each vendor module has a client with one method per endpoint:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use generated_client::dingtalk::{edu_period_create as api, DingTalkClient};
//!
//! let runtime = generated_client::runtime::dingtalk::DingTalkClient::builder()
//!     .app_credentials("app key", "app secret")
//!     .build()?;
//! let client = DingTalkClient::new(runtime);
//! let grades = vec![api::Grades::builder()
//!     .grade("2")
//!     .classes(0)
//!     .name("二年级2019级")
//!     .start_year("2019")
//!     .build()];
//! let period = api::OpenPeriod::builder()
//!     .step(api::Step::PrimarySchool)
//!     .grades(grades)
//!     .period_code(api::PeriodCode::PrimarySchool)
//!     .build();
//! let request = api::EduPeriodCreateRequest::builder()
//!     .super_id(1233)
//!     .operator("12334")
//!     .open_period(period)
//!     .build();
//! let response = client.edu_period_create(&request).await?;
//! println!("{:?}", response.result);
//! # Ok(())
//! # }
//! ```
//!
//! Every request is checked against its spec's documented limits before anything is sent
//! (`client_runtime::Validate`); responses are read tolerantly.

#![deny(warnings, missing_docs)]

pub use client_runtime as runtime;

client_runtime::include_client!();

/// The README's Rust examples, compiled (and run where they are not `no_run`) as doctests, so
/// that what a user copies first works.
#[cfg(all(doctest, feature = "dingtalk", feature = "classin"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
