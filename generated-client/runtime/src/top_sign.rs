//! The generic TOP router signature.
//!
//! Every system and application parameter except `sign` is taken, empty keys and values are
//! dropped, the rest sorted by key in byte order and concatenated as `key + value`; the result is
//! hashed with the app secret and written as uppercase hex.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

/// How a TOP request is signed: the value of the `sign_method` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignMethod {
    /// `md5`: MD5(secret + s + secret).
    Md5,
    /// `hmac`: HMAC-MD5 with the secret as key.
    Hmac,
    /// `hmac-sha256`: HMAC-SHA256 with the secret as key.
    HmacSha256,
}

impl SignMethod {
    /// The wire name, as sent in `sign_method`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Md5 => "md5",
            SignMethod::Hmac => "hmac",
            SignMethod::HmacSha256 => "hmac-sha256",
        }
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `sign_method` name that is not one of `md5`, `hmac`, `hmac-sha256`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TOP sign method {0:?} (expected md5, hmac or hmac-sha256)")]
pub struct UnknownSignMethod(pub String);

impl FromStr for SignMethod {
    type Err = UnknownSignMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "md5" => Ok(SignMethod::Md5),
            "hmac" => Ok(SignMethod::Hmac),
            "hmac-sha256" => Ok(SignMethod::HmacSha256),
            other => Err(UnknownSignMethod(other.to_owned())),
        }
    }
}

/// The string that is hashed: parameters without `sign` and without empty keys or values,
/// sorted by key (byte order), as `key + value` with no separator.
pub fn canonical_string<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut kept: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty() && *k != "sign")
        .collect();
    kept.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::with_capacity(kept.iter().map(|(k, v)| k.len() + v.len()).sum());
    for (k, v) in kept {
        out.push_str(k);
        out.push_str(v);
    }
    out
}

/// The `sign` value of `params` (system and application parameters together) under `secret`.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    params: &[(K, V)],
    secret: &str,
    method: SignMethod,
) -> String {
    sign_all(
        params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
        secret,
        method,
    )
}

/// The `sign` value of the parameters `params` yields, under `secret`: the same as [`sign`],
/// for parameters held in more than one list. The canonical string is fed to the hash piece by
/// piece, never written out whole.
pub fn sign_all<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    secret: &str,
    method: SignMethod,
) -> String {
    let mut kept: Vec<(&str, &str)> = params
        .into_iter()
        .filter(|(k, v)| !k.is_empty() && !v.is_empty() && *k != "sign")
        .collect();
    kept.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let feed = |update: &mut dyn FnMut(&[u8])| {
        for (k, v) in &kept {
            update(k.as_bytes());
            update(v.as_bytes());
        }
    };
    match method {
        SignMethod::Md5 => {
            let mut h = Md5::new();
            h.update(secret.as_bytes());
            feed(&mut |bytes| h.update(bytes));
            h.update(secret.as_bytes());
            hex::encode_upper(h.finalize())
        }
        SignMethod::Hmac => {
            // HMAC accepts keys of any length, so construction cannot fail.
            let mut mac = <Hmac<Md5> as Mac>::new_from_slice(secret.as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
            feed(&mut |bytes| mac.update(bytes));
            hex::encode_upper(mac.finalize().into_bytes())
        }
        SignMethod::HmacSha256 => {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
            feed(&mut |bytes| mac.update(bytes));
            hex::encode_upper(mac.finalize().into_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(method: SignMethod) -> Vec<(&'static str, &'static str)> {
        vec![
            ("app_key", "test"),
            ("session", "test"),
            ("fields", "nick"),
            ("method", "taobao.user.seller.get"),
            ("timestamp", "2013-05-06 13:52:03"),
            ("format", "xml"),
            ("v", "2.0"),
            ("sign_method", method.as_str()),
        ]
    }

    #[test]
    fn md5_vector() {
        assert_eq!(
            sign(&vector(SignMethod::Md5), "test", SignMethod::Md5),
            "72CB4D809B375A54502C09360D879C64"
        );
    }

    #[test]
    fn hmac_vector() {
        assert_eq!(
            sign(&vector(SignMethod::Hmac), "test", SignMethod::Hmac),
            "FA15A9D5B42AB2D6F3397843851ED09A"
        );
    }

    #[test]
    fn hmac_sha256_vector() {
        assert_eq!(
            sign(
                &vector(SignMethod::HmacSha256),
                "test",
                SignMethod::HmacSha256
            ),
            "267B9C1C7A2FE1CE413DBB95E596616D32107AE0992BE2C22143CFCE303E8E34"
        );
    }

    #[test]
    fn sign_empty_values_and_order_do_not_matter() {
        let mut params = vector(SignMethod::Md5);
        params.reverse();
        params.push(("sign", "ANYTHING"));
        params.push(("partner_id", ""));
        params.push(("", "orphan"));
        assert_eq!(
            sign(&params, "test", SignMethod::Md5),
            "72CB4D809B375A54502C09360D879C64"
        );
    }

    #[test]
    fn streamed_signature_is_the_hash_of_the_canonical_string() {
        let mut params = vector(SignMethod::HmacSha256);
        params.push(("partner_id", ""));
        let s = canonical_string(&params);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"k").unwrap();
        mac.update(s.as_bytes());
        assert_eq!(
            sign(&params, "k", SignMethod::HmacSha256),
            hex::encode_upper(mac.finalize().into_bytes())
        );
        let (system, application) = params.split_at(3);
        for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            assert_eq!(
                sign_all(system.iter().chain(application).copied(), "k", method),
                sign(&params, "k", method)
            );
        }
    }

    #[test]
    fn canonical_string_sorts_by_bytes() {
        assert_eq!(
            canonical_string(&[("b", "2"), ("B", "1"), ("a_b", "3"), ("ab", "4")]),
            "B1a_b3ab4b2"
        );
    }

    #[test]
    fn sign_method_names_round_trip() {
        for m in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            assert_eq!(m.as_str().parse::<SignMethod>(), Ok(m));
        }
        assert!("sha1".parse::<SignMethod>().is_err());
    }
}
