//! One part of an API split over several crates: the course endpoints of `../spec/courses`,
//! whose specs name the shared types of `../spec/types`. Those are generated once, by
//! `split-types`, and re-exported here as `dingtalk::common`.

#![deny(warnings, missing_docs)]

client_runtime::include_client!();
