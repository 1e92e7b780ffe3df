//! The HTTP exchange shared by all protocol clients: timeouts, no redirects, a bounded body.

use std::time::Duration;

use crate::error::{BuildError, TransportError};

/// The most bytes of a response body that are read; a longer body is cut and reported as an
/// unexpected body.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Connection and total timeouts of every HTTP exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// How long making a connection (TCP and TLS) may take. Default 5 s.
    pub connect: Duration,
    /// How long one attempt may take, from connecting until the whole body is read. Default 30 s.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            total: Duration::from_secs(30),
        }
    }
}

/// A response as read from the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body, at most [`MAX_BODY_BYTES`] of it.
    pub body: Vec<u8>,
    /// Whether the body was longer than [`MAX_BODY_BYTES`] and was cut.
    pub truncated: bool,
}

/// An HTTP client configured for the vendor APIs.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
}

impl Http {
    /// A client with `timeouts`, following no redirects (an API answering with a redirect is
    /// answering unexpectedly, and a redirect must not carry the request elsewhere).
    pub fn new(timeouts: Timeouts) -> Result<Self, BuildError> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("client-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| BuildError::Http(e.without_url().to_string()))?;
        Ok(Http { client })
    }

    /// Start a request.
    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    /// Send `request` and read its body.
    pub async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, TransportError> {
        let mut response = request.send().await.map_err(TransportError::from_reqwest)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(TransportError::from_reqwest)?
        {
            let room = MAX_BODY_BYTES - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            body,
            truncated,
        })
    }
}

/// Check a base URL (`http` or `https`, no query or fragment) and return it without a trailing
/// slash.
pub(crate) fn parse_base(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `base` (from [`parse_base`]) followed by `path`.
pub(crate) fn join(base: &str, path: &str) -> Result<reqwest::Url, url_error::JoinError> {
    let sep = if path.starts_with('/') { "" } else { "/" };
    reqwest::Url::parse(&format!("{base}{sep}{path}"))
        .map_err(|e| url_error::JoinError(e.to_string()))
}

/// The error of [`join`].
pub(crate) mod url_error {
    /// A route path that does not form a URL with the base.
    #[derive(Debug, thiserror::Error)]
    #[error("the endpoint path does not form a URL: {0}")]
    pub struct JoinError(pub String);
}

/// The builder setters every protocol client shares: both timeouts and the retry policy. Expands
/// inside an `impl` of a builder with `timeouts: Timeouts` and `retry: RetryPolicy` fields.
macro_rules! transport_setters {
    () => {
        /// How long making a connection may take. Default 5 s.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.timeouts.connect = timeout;
            self
        }

        /// How long one attempt may take in all. Default 30 s.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.timeouts.total = timeout;
            self
        }

        /// Both timeouts at once.
        pub fn timeouts(mut self, timeouts: $crate::http::Timeouts) -> Self {
            self.timeouts = timeouts;
            self
        }

        /// The retry policy. Default [`RetryPolicy::default`](crate::RetryPolicy::default).
        pub fn retry_policy(mut self, policy: $crate::retry::RetryPolicy) -> Self {
            self.retry = policy;
            self
        }
    };
}
pub(crate) use transport_setters;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            parse_base("https://oapi.dingtalk.com/").unwrap(),
            "https://oapi.dingtalk.com"
        );
        assert_eq!(
            parse_base("http://127.0.0.1:8080/prefix").unwrap(),
            "http://127.0.0.1:8080/prefix"
        );
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("https://x/?a=1").is_err());
        assert!(parse_base("not a url").is_err());
        assert_eq!(
            join("http://127.0.0.1:1/p", "topapi/edu/period/create")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:1/p/topapi/edu/period/create"
        );
    }
}
