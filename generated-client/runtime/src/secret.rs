//! A credential that never shows itself in `Debug` output, error messages or logs.

use std::fmt;

use zeroize::Zeroize;

/// A secret string: an app secret, an access token, a ClassIn `SECRET` or a `safeKey`.
///
/// Its `Debug` output is `Secret("***")` and it has no `Display`, so it cannot end up in a log
/// line or an error message by accident. The text is wiped from memory when the value is dropped.
/// Read it with [`Secret::expose`] only where it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text, for writing it into a request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(\"***\")");
        assert!(!format!("{:#?}", Some(s.clone())).contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
        assert!(!s.is_empty());
    }
}
