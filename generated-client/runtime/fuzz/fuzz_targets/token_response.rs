//! Arbitrary bodies read as `gettoken` answers: no panic; a token is a non-empty string with a
//! lifetime within `TOKEN_LIFETIME_BOUNDS`, from an answer whose `errcode` is 0 and whose
//! `access_token` is that string; an error is `Api` (nonzero errcode) or `UnexpectedBody`, and
//! neither the call's secrets nor the token the body carried show in what it kept of the body.

#![no_main]

use client_runtime::envelope::{read_token, TOKEN_LIFETIME_BOUNDS};
use client_runtime::TokenError;
use client_runtime_fuzz::{assert_hidden, code_of, is_one_object, redactor, root_of};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|body: &[u8]| {
    let read = read_token(200, body, &redactor());
    let (min, max) = TOKEN_LIFETIME_BOUNDS;
    match read {
        Ok(issued) => {
            assert!(!issued.token.is_empty());
            assert!(
                issued.lifetime >= min && issued.lifetime <= max,
                "{:?}",
                issued.lifetime
            );
            assert!(
                is_one_object(body),
                "a token from a body that is not one JSON object"
            );
            if let Some(root) = root_of(body) {
                assert_eq!(root.get("errcode").and_then(code_of), Some(0));
                assert_eq!(
                    root.get("access_token").and_then(Value::as_str),
                    Some(issued.token.expose())
                );
            }
        }
        Err(e) => {
            assert_hidden("Display", &e.to_string(), None);
            assert_hidden("Debug", &format!("{e:?}"), None);
            // The token the body carried, in the texts taken from the body (the runtime's own
            // words around them may hold any short token by chance).
            let root = root_of(body);
            let token = root
                .as_ref()
                .and_then(|r| r.get("access_token"))
                .and_then(Value::as_str);
            match &e {
                TokenError::Api {
                    errcode,
                    errmsg,
                    request_id,
                } => {
                    assert_ne!(*errcode, 0);
                    if let Some(root) = &root {
                        assert_eq!(root.get("errcode").and_then(code_of), Some(*errcode));
                    }
                    assert_hidden("errmsg", errmsg, token);
                    assert_hidden("request_id", request_id.as_deref().unwrap_or(""), token);
                }
                TokenError::UnexpectedBody { status, snippet } => {
                    assert_eq!(*status, 200);
                    let (_reason, excerpt) = snippet.split_once(": ").expect("a reason first");
                    assert_hidden("snippet", excerpt, token);
                    if let Some(root) = &root {
                        let errcode = root.get("errcode").and_then(code_of);
                        assert!(errcode.is_none() || errcode == Some(0), "{errcode:?}");
                    }
                }
                other => panic!("read_token answered {other:?}"),
            }
        }
    }
});
