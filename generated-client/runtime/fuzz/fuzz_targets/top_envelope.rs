//! Arbitrary bodies read as TOP router answers for one method, into a typed payload and into
//! `IgnoredAny`; the first byte's low bit picks `simplify`, the rest is the body. No panic, only
//! TOP's variants, no secret in an error, no success with `error_response`, a nonzero root
//! `errcode` or (unless simplified) without the wrapper, and the same envelope verdict whatever
//! the payload type.

#![no_main]

use client_runtime::envelope::read_top;
use client_runtime_fuzz::{check_reads, redactor, Codes, Family, TopPayload, METHOD};
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let simplify = mode & 1 == 1;
    let family = Family::Top { simplify };
    let redact = redactor();
    let typed = read_top::<TopPayload, Codes>(200, body, METHOD, simplify, &redact);
    let ignored = read_top::<IgnoredAny, Codes>(200, body, METHOD, simplify, &redact);
    check_reads(family, 200, body, &typed, &ignored);
});
