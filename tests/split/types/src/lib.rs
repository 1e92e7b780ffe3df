//! The shared types of an API split over several crates: generated once here from
//! `../spec/types`, and re-exported by every part that uses them (`split-courses`,
//! `split-lessons`), so a value read from one part's response goes into another part's request
//! as it is.

#![deny(warnings, missing_docs)]

client_runtime::include_client!();
