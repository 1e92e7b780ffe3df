//! Arbitrary bodies read as DingTalk oapi answers, into a typed payload and into `IgnoredAny`:
//! no panic, only oapi's variants, no secret in an error, a success only with `errcode` 0 (or a
//! partial code), and the same envelope verdict whatever the payload type.

#![no_main]

use client_runtime::envelope::read_oapi;
use client_runtime_fuzz::{check_reads, redactor, Codes, Family, OapiPayload};
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;

fuzz_target!(|body: &[u8]| {
    let redact = redactor();
    let typed = read_oapi::<OapiPayload, Codes>(200, body, &redact);
    let ignored = read_oapi::<IgnoredAny, Codes>(200, body, &redact);
    check_reads(Family::Oapi, 200, body, &typed, &ignored);
});
