//! The HTTP exchange shared by all protocol clients: timeouts, an optional proxy, no redirects,
//! a bounded body.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

use crate::call::Failure;
use crate::error::{BuildError, TransportError};
use crate::redact::Redactor;
use crate::retry::RetryPolicy;

/// The most bytes of a response body that are read by default; a longer body is cut and
/// reported as an unexpected body. Set per client with `max_body_bytes`.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Connection and total timeouts of every HTTP exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// How long making a connection (TCP and TLS) may take. Default 5 s.
    pub connect: Duration,
    /// How long one attempt may take in all: waiting for an access token and for a rate-limit
    /// slot, connecting, sending, and reading the whole body. Default 30 s.
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

/// A proxy URL. Its `Debug` output hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl(reqwest::Url);

impl ProxyUrl {
    /// Parse `url` (`http`, `https` or `socks5`, credentials allowed). The error never repeats
    /// the password.
    pub fn parse(url: &str) -> Result<Self, BuildError> {
        let invalid = |reason: String| BuildError::InvalidUrl {
            url: redacted_url(url),
            reason,
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https" | "socks5" | "socks5h") {
            return Err(invalid(
                "a proxy URL's scheme is http, https or socks5".into(),
            ));
        }
        Ok(ProxyUrl(parsed))
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        f.debug_tuple("ProxyUrl").field(&shown.as_str()).finish()
    }
}

/// `url` with any password replaced, for `Debug` output and error messages (also when it does
/// not parse).
pub(crate) fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

/// The transport settings every protocol client's builder holds. `Debug` shows the proxy with its
/// password hidden.
#[derive(Clone)]
pub(crate) struct Transport {
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
    pub proxy: Option<String>,
    pub max_body_bytes: usize,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            proxy: None,
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("proxy", &self.proxy.as_deref().map(ProxyUrl::parse))
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// A response as read from the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, at most the configured number of bytes of it.
    pub body: Bytes,
    /// Whether the body was longer than the cap and was cut.
    pub truncated: bool,
}

impl RawResponse {
    /// The unexpected-body failure of a body longer than the cap, which was cut (its snippet
    /// scrubbed by `redact`); `None` for a whole body.
    pub fn over_cap(&self, redact: &Redactor<'_>) -> Option<Failure> {
        self.truncated.then(|| Failure::UnexpectedBody {
            status: self.status,
            snippet: redact.snippet(&self.body),
        })
    }
}

/// The `User-Agent` of every request the runtime sends.
pub const USER_AGENT: &str = concat!("client-runtime/", env!("CARGO_PKG_VERSION"));

/// An HTTP client configured for the vendor APIs.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    max_body_bytes: usize,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl Http {
    /// A client with `transport`'s timeouts and proxy, following no redirects (an API answering
    /// with a redirect is answering unexpectedly, and a redirect must not carry the request
    /// elsewhere).
    pub fn new(transport: &Transport) -> Result<Self, BuildError> {
        let proxy = transport
            .proxy
            .as_deref()
            .map(ProxyUrl::parse)
            .transpose()?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(transport.timeouts.connect)
            .timeout(transport.timeouts.total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT);
        if let Some(proxy) = proxy {
            let p = reqwest::Proxy::all(proxy.0.clone()).map_err(|e| BuildError::InvalidUrl {
                url: format!("{proxy:?}"),
                reason: e.without_url().to_string(),
            })?;
            builder = builder.proxy(p);
        }
        let client = builder
            .build()
            .map_err(|e| BuildError::Http(e.without_url().to_string()))?;
        Ok(Http {
            client,
            max_body_bytes: transport.max_body_bytes,
        })
    }

    /// Start a request.
    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    /// Send `request` and read its body, all before `deadline`.
    ///
    /// The request is handed to reqwest before the returned future is built, so the future
    /// holds what is in flight, not the request (a few hundred bytes every layer of the call
    /// above it would otherwise carry and copy).
    pub fn send(
        &self,
        request: reqwest::RequestBuilder,
        deadline: Instant,
    ) -> impl Future<Output = Result<RawResponse, TransportError>> + Send + 'static {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        read_response(request.timeout(left).send(), self.max_body_bytes)
    }
}

/// The answer to `sent`, its body read up to `cap` bytes.
async fn read_response(
    sent: impl Future<Output = reqwest::Result<reqwest::Response>>,
    cap: usize,
) -> Result<RawResponse, TransportError> {
    let mut response = sent.await.map_err(TransportError::from_reqwest)?;
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // A body that arrives in one chunk (the usual answer) is kept as that chunk, uncopied;
    // one in several is gathered.
    let mut body = Bytes::new();
    let mut gathered: Option<Vec<u8>> = None;
    let mut truncated = false;
    while let Some(mut chunk) = response
        .chunk()
        .await
        .map_err(TransportError::from_reqwest)?
    {
        if chunk.is_empty() {
            continue;
        }
        let room = cap - gathered.as_ref().map_or(body.len(), Vec::len);
        if chunk.len() > room {
            chunk.truncate(room);
            truncated = true;
        }
        match &mut gathered {
            Some(all) => all.extend_from_slice(&chunk),
            None if body.is_empty() => body = chunk,
            None => {
                // The announced length is the server's word: trusted for reserving, never
                // beyond the cap.
                let announced = response.content_length().unwrap_or(0);
                let reserve = usize::try_from(announced).unwrap_or(cap).min(cap);
                let mut all = Vec::with_capacity(reserve.max(body.len() + chunk.len()));
                all.extend_from_slice(&body);
                all.extend_from_slice(&chunk);
                gathered = Some(all);
            }
        }
        if truncated {
            break;
        }
    }
    let body = gathered.map_or(body, Bytes::from);
    Ok(RawResponse {
        status,
        headers,
        body,
        truncated,
    })
}

/// A checked base URL: `http` or `https`, no query or fragment, kept without a trailing slash
/// and parsed once, at build time.
#[derive(Clone)]
pub(crate) struct BaseUrl {
    text: String,
    parsed: reqwest::Url,
}

impl BaseUrl {
    /// The base as written, without a trailing slash.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// This base followed by `path`: the parsed base with the path set, since parsing the
    /// whole URL again (the host above all) costs most of building a request's URL.
    pub(crate) fn join(&self, path: &str) -> Result<reqwest::Url, url_error::JoinError> {
        if path.contains(['?', '#']) {
            // A path with its own query or fragment: parsed as a whole, as written.
            return join(&self.text, path);
        }
        let sep = if path.starts_with('/') { "" } else { "/" };
        let mut url = self.parsed.clone();
        url.set_path(&format!(
            "{}{sep}{path}",
            self.parsed.path().trim_end_matches('/')
        ));
        Ok(url)
    }
}

/// Check a base URL (`http` or `https`, no query or fragment).
pub(crate) fn parse_base(url: &str) -> Result<BaseUrl, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidUrl {
        url: redacted_url(url),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    Ok(BaseUrl {
        text: url.trim_end_matches('/').to_owned(),
        parsed,
    })
}

/// `base` (a [`BaseUrl`]'s text) followed by `path`, parsed as a whole.
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

/// The builder setters every protocol client shares: timeouts, retry policy, proxy, body cap.
/// Expands inside an `impl` of a builder with a `transport: Transport` field.
macro_rules! transport_setters {
    () => {
        /// How long making a connection may take. Default 5 s.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.transport.timeouts.connect = timeout;
            self
        }

        /// How long one attempt may take in all, waiting for a token and a rate-limit slot
        /// included. Default 30 s.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.transport.timeouts.total = timeout;
            self
        }

        /// Both timeouts at once.
        pub fn timeouts(mut self, timeouts: $crate::http::Timeouts) -> Self {
            self.transport.timeouts = timeouts;
            self
        }

        /// The retry policy. Default [`RetryPolicy::default`](crate::RetryPolicy::default).
        pub fn retry_policy(mut self, policy: $crate::retry::RetryPolicy) -> Self {
            self.transport.retry = policy;
            self
        }

        /// Send every request through the proxy at `url` (`http://user:password@host:port`,
        /// `https://...` or `socks5://...`). The password never shows in `Debug` output.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.transport.proxy = Some(url.into());
            self
        }

        /// The most bytes of a response body that are read; a longer answer is an
        /// [`Error::UnexpectedBody`](crate::Error::UnexpectedBody). Default
        /// [`MAX_BODY_BYTES`](crate::http::MAX_BODY_BYTES) (16 MiB).
        pub fn max_body_bytes(mut self, bytes: usize) -> Self {
            self.transport.max_body_bytes = bytes;
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
            parse_base("https://oapi.dingtalk.com/").unwrap().as_str(),
            "https://oapi.dingtalk.com"
        );
        assert_eq!(
            parse_base("http://127.0.0.1:8080/prefix").unwrap().as_str(),
            "http://127.0.0.1:8080/prefix"
        );
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("https://x/?a=1").is_err());
        assert!(parse_base("not a url").is_err());
        let proxy = ProxyUrl::parse("http://u:hunter2@127.0.0.1:3128").unwrap();
        assert_eq!(
            format!("{proxy:?}"),
            r#"ProxyUrl("http://u:***@127.0.0.1:3128/")"#
        );
        let bad = ProxyUrl::parse("ftp://u:hunter2@127.0.0.1:3128").unwrap_err();
        assert!(!bad.to_string().contains("hunter2"), "{bad}");
        assert_eq!(
            join("http://127.0.0.1:1/p", "topapi/edu/period/create")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:1/p/topapi/edu/period/create"
        );
    }

    #[test]
    fn a_base_joins_a_path_as_a_parse_of_the_whole_url_does() {
        let bases = [
            "http://127.0.0.1:1",
            "http://127.0.0.1:1/",
            "https://oapi.dingtalk.com/p/",
            "http://[::1]:8080/a%20b",
            "https://例子.测试/前缀",
        ];
        let paths = [
            "/topapi/edu/period/create",
            "topapi/x",
            "/",
            "",
            "/a b/名字/%41%2F",
            "/a?b=1",
            "/a#frag",
            "/a/../b/./c",
        ];
        for base in bases {
            let parsed = parse_base(base).unwrap();
            for path in paths {
                let whole = join(parsed.as_str(), path).unwrap();
                assert_eq!(parsed.join(path).unwrap(), whole, "{base} + {path}");
            }
        }
    }
}
