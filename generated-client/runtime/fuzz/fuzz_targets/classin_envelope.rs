//! Arbitrary bodies read as ClassIn v1 answers, into a typed payload (`data` as an optional list
//! of per-item results) and into `IgnoredAny`: no panic, only ClassIn's variants, no secret in an
//! error, a success only with `error_info.errno` 1 (or a partial code), and the same envelope
//! verdict whatever the payload type.

#![no_main]

use client_runtime::envelope::read_classin;
use client_runtime_fuzz::{check_reads, redactor, ClassInPayload, Codes, Family};
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;

fuzz_target!(|body: &[u8]| {
    let redact = redactor();
    let typed = read_classin::<ClassInPayload, Codes>(200, body, &redact);
    let ignored = read_classin::<IgnoredAny, Codes>(200, body, &redact);
    check_reads(Family::ClassIn, 200, body, &typed, &ignored);
});
