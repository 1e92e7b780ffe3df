//! Pagination: endpoints whose spec declares how they page get a stream of pages and a stream
//! of items that follow the pages to the end.
//!
//! Two styles, as the spec's `pagination` says:
//! - **cursor**: the request sends a cursor; the response gives the next one (and maybe a
//!   `has_more` flag). Paging ends when `has_more` is false, or when the next cursor is absent,
//!   `null` or empty text. A next cursor that was already sent is a server bug: the stream
//!   yields the page, then [`PageError::CursorRepeated`], and ends, rather than loop forever. A
//!   cursor is read as a number or as text whatever the spec says (servers send both).
//! - **offset**: the request sends an offset and a page size; the next offset is this one plus
//!   the items on the page. Paging ends when `has_more` is false, when a page is empty, or when
//!   a page holds fewer items than the page size asked for. A page equal to the one before
//!   (the server ignoring the offset) yields [`PageError::SamePage`].
//!
//! Streams are lazy: a page is requested only when the consumer asks for more than it has, so
//! `.take(n)` on the items stream requests only the pages the first `n` items need. An error
//! ends the stream after the items already yielded; nothing read is lost.
//!
//! A short offset page ends paging only when the response does not say `has_more: true`: a
//! server that caps the page size below the one asked for (and says so) is followed to the end.
//!
//! Both streams take the per-call options of [`Call`](crate::Call) (timeout, retry policy,
//! headers, request id); they apply to every page's call, each page a call of its own.
//!
//! ```no_run
//! # use client_runtime::{dingtalk::DingTalkClient, Error, Items, Paginated, TryStreamExt};
//! # async fn demo<E: Paginated>(client: &DingTalkClient, first: E) -> Result<(), Error<E::ErrorCode>> {
//! let items: Vec<E::Item> = Items::new(client, first)
//!     .header("x-tenant", "school-42")
//!     .try_collect()
//!     .await?;
//! # let _ = items; Ok(()) }
//! ```

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::header::{HeaderName, HeaderValue};

use crate::call::Detailed;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::options::{CallOptions, Caller};
use crate::retry::RetryPolicy;

/// How an endpoint pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// A cursor from each response goes into the next request.
    Cursor,
    /// An offset into the results goes up by the items of each page.
    Offset,
}

/// A cursor as a server sends it: a number or text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// A number.
    Int(i64),
    /// Text.
    Text(String),
}

impl Cursor {
    /// Whether the cursor says there is no next page: empty text.
    pub fn is_end(&self) -> bool {
        matches!(self, Cursor::Text(t) if t.trim().is_empty())
    }

    /// The cursor as a number: itself, or its text read as a decimal number.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Cursor::Int(i) => Some(*i),
            Cursor::Text(t) => t.trim().parse().ok(),
        }
    }

    /// The cursor as text.
    pub fn into_text(self) -> String {
        match self {
            Cursor::Int(i) => i.to_string(),
            Cursor::Text(t) => t,
        }
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Int(i) => write!(f, "{i}"),
            Cursor::Text(t) => write!(f, "{t:?}"),
        }
    }
}

impl From<i64> for Cursor {
    fn from(i: i64) -> Self {
        Cursor::Int(i)
    }
}

impl From<i32> for Cursor {
    fn from(i: i32) -> Self {
        Cursor::Int(i.into())
    }
}

impl From<String> for Cursor {
    fn from(t: String) -> Self {
        Cursor::Text(t)
    }
}

/// A paged endpoint: where its items, cursor or offset are in the request and the response.
/// Generated for every endpoint whose spec has `pagination`; the runtime does the paging.
pub trait Paginated: Endpoint + Clone {
    /// One item of a page. `Clone` so that the offset style can compare a page with the one
    /// before it after the one before has been handed out.
    type Item: PartialEq + Clone + Send + 'static;
    /// The style.
    const STYLE: PageStyle;

    /// The items of a page (empty when the response has none).
    fn items(response: &Self::Response) -> &[Self::Item];
    /// The items of a page, taken.
    fn take_items(response: Self::Response) -> Vec<Self::Item>;
    /// The response's `has_more` flag, when the spec declares one and the server sent it.
    fn has_more(_response: &Self::Response) -> Option<bool> {
        None
    }

    /// Cursor style: the next cursor the response gives, `None` when absent or `null`.
    fn next_cursor(_response: &Self::Response) -> Option<Cursor> {
        None
    }
    /// Cursor style: the cursor this request sends, `None` when it sends none.
    fn cursor(&self) -> Option<Cursor> {
        None
    }
    /// Cursor style: set the cursor this request sends; fails with the reason when `cursor`
    /// does not fit the request's field (text that is not a number for a numeric cursor).
    fn set_cursor(&mut self, cursor: Cursor) -> Result<(), String> {
        Err(format!(
            "{} pages by offset, not by cursor {cursor}",
            Self::API_NAME
        ))
    }

    /// Offset style: the offset this request sends (0 when it sends none).
    fn offset(&self) -> i64 {
        0
    }
    /// Offset style: set the offset this request sends.
    fn set_offset(&mut self, _offset: i64) {}
    /// Offset style: the page size this request asks for, when it asks for one.
    fn page_size(&self) -> Option<i64> {
        None
    }
}

/// Why paging stopped with an error although every call succeeded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The server gave a next cursor that was already sent: following it would loop forever.
    #[error("{api}: the server gave the cursor {cursor} again after {pages} pages; paging stopped to avoid a loop")]
    CursorRepeated {
        /// The endpoint.
        api: &'static str,
        /// The repeated cursor.
        cursor: Cursor,
        /// Pages read, counting the one that gave the cursor.
        pages: u64,
    },
    /// The server said there is more but gave no next cursor.
    #[error("{api}: the server said there are more pages (has_more) but gave no next cursor after {pages} pages")]
    MoreWithoutCursor {
        /// The endpoint.
        api: &'static str,
        /// Pages read.
        pages: u64,
    },
    /// The next cursor does not fit the request's cursor field.
    #[error("{api}: the next cursor {cursor} cannot be sent: {reason}")]
    BadCursor {
        /// The endpoint.
        api: &'static str,
        /// The cursor.
        cursor: Cursor,
        /// Why.
        reason: String,
    },
    /// The page at an offset equals the page before it: the server ignores the offset.
    #[error("{api}: the page at offset {offset} is the same as the one before; paging stopped to avoid a loop")]
    SamePage {
        /// The endpoint.
        api: &'static str,
        /// The offset of the repeated page.
        offset: i64,
    },
}

/// What one page's call gives.
type PageResult<E> = Result<<E as Endpoint>::Response, Error<<E as Endpoint>::ErrorCode>>;

/// A page's call in flight: it owns its request and hands it back for the next page.
type InFlight<'a, E> = Pin<Box<dyn Future<Output = (E, Detailed<E>)> + Send + 'a>>;

/// What the pager gives for one call.
enum Step<E: Paginated> {
    /// A page, and the error that ends paging after it, if one does.
    Page(E::Response, Option<PageError>),
    /// The call failed, or the page repeats the one before (nothing of it is yielded).
    Failed(Error<E::ErrorCode>),
}

/// The paging shared by [`Pages`] and [`Items`]: the next request, the cursors sent, the page
/// before (offset style), the call in flight.
struct Pager<'a, C, E: Paginated> {
    client: &'a C,
    options: CallOptions,
    /// The request of the next page; `None` once paging has ended.
    next: Option<E>,
    in_flight: Option<InFlight<'a, E>>,
    /// Every cursor sent, as the request carries it.
    sent: HashSet<Cursor>,
    /// Offset style: the items of the page before.
    previous: Option<Vec<E::Item>>,
    /// Pages read.
    pages: u64,
}

impl<'a, C: Caller, E: Paginated + 'a> Pager<'a, C, E> {
    fn new(client: &'a C, first: E) -> Self {
        let mut sent = HashSet::new();
        if E::STYLE == PageStyle::Cursor {
            if let Some(cursor) = first.cursor() {
                sent.insert(cursor);
            }
        }
        Pager {
            client,
            options: CallOptions::default(),
            next: Some(first),
            in_flight: None,
            sent,
            previous: None,
            pages: 0,
        }
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Option<Step<E>>> {
        if self.in_flight.is_none() {
            let Some(request) = self.next.take() else {
                return Poll::Ready(None);
            };
            let client = self.client;
            // A page is read for its response alone: its headers are never read.
            let options = self.options.clone().response_only();
            self.in_flight = Some(Box::pin(async move {
                let detailed = client.call_with(&request, options).await;
                (request, detailed)
            }));
        }
        let Some(in_flight) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let (request, detailed) = match in_flight.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        self.in_flight = None;
        let response = match detailed.and_then(|reply| reply.into_response(E::PROTOCOL)) {
            Ok(response) => response,
            Err(e) => {
                tracing::debug!(api = E::API_NAME, pages = self.pages, error = %e, "paging stopped by a failed call");
                return Poll::Ready(Some(Step::Failed(e)));
            }
        };
        self.pages += 1;
        Poll::Ready(Some(match E::STYLE {
            PageStyle::Cursor => self.after_cursor_page(request, response),
            PageStyle::Offset => self.after_offset_page(request, response),
        }))
    }

    /// Cursor style: the page, with the next request set up or the reason paging ends.
    fn after_cursor_page(&mut self, mut request: E, response: E::Response) -> Step<E> {
        let has_more = E::has_more(&response);
        let empty = E::items(&response).is_empty();
        if has_more == Some(false) || (empty && has_more.is_none()) {
            return self.end(response);
        }
        let Some(cursor) = E::next_cursor(&response).filter(|c| !c.is_end()) else {
            if has_more == Some(true) {
                let e = PageError::MoreWithoutCursor {
                    api: E::API_NAME,
                    pages: self.pages,
                };
                return Step::Page(response, Some(e));
            }
            return self.end(response);
        };
        if let Err(reason) = request.set_cursor(cursor.clone()) {
            let e = PageError::BadCursor {
                api: E::API_NAME,
                cursor,
                reason,
            };
            return Step::Page(response, Some(e));
        }
        // The cursor as the request carries it, so that `2` and `"2"` are the same cursor.
        let sent = request.cursor().unwrap_or_else(|| cursor.clone());
        if !self.sent.insert(sent) {
            let e = PageError::CursorRepeated {
                api: E::API_NAME,
                cursor,
                pages: self.pages,
            };
            return Step::Page(response, Some(e));
        }
        self.next = Some(request);
        Step::Page(response, None)
    }

    /// Offset style: the page, with the next request set up or the reason paging ends; a page
    /// equal to the one before is not yielded.
    fn after_offset_page(&mut self, mut request: E, response: E::Response) -> Step<E> {
        let items = E::items(&response);
        let offset = request.offset();
        if !items.is_empty() && self.previous.as_deref() == Some(items) {
            tracing::debug!(
                api = E::API_NAME,
                offset,
                "the server answered the same page again"
            );
            return Step::Failed(Error::Page(PageError::SamePage {
                api: E::API_NAME,
                offset,
            }));
        }
        let has_more = E::has_more(&response);
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let short = request.page_size().is_some_and(|size| count < size);
        if has_more == Some(false) || items.is_empty() || (short && has_more != Some(true)) {
            return self.end(response);
        }
        self.previous = Some(items.to_vec());
        request.set_offset(offset.saturating_add(count));
        self.next = Some(request);
        Step::Page(response, None)
    }

    /// The last page.
    fn end(&self, response: E::Response) -> Step<E> {
        tracing::debug!(
            api = E::API_NAME,
            pages = self.pages,
            "paging reached the last page"
        );
        Step::Page(response, None)
    }
}

impl<C, E: Paginated> fmt::Debug for Pager<'_, C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("endpoint", &E::API_NAME)
            .field("options", &self.options)
            .field("pages", &self.pages)
            .field("ended", &(self.next.is_none() && self.in_flight.is_none()))
            .finish_non_exhaustive()
    }
}

/// The option setters of [`Call`](crate::Call), for a stream whose pager is `self.pager`.
macro_rules! option_setters {
    () => {
        /// See [`CallOptions::timeout`]; applies to every page's call requested after it.
        pub fn timeout(mut self, timeout: Duration) -> Self {
            self.pager.options = self.pager.options.timeout(timeout);
            self
        }

        /// See [`CallOptions::retry`]; applies to every page's call requested after it.
        pub fn retry(mut self, policy: RetryPolicy) -> Self {
            self.pager.options = self.pager.options.retry(policy);
            self
        }

        /// See [`CallOptions::header`]; applies to every page's call requested after it.
        pub fn header<K, V>(mut self, name: K, value: V) -> Self
        where
            K: TryInto<HeaderName>,
            V: TryInto<HeaderValue>,
        {
            self.pager.options = self.pager.options.header(name, value);
            self
        }

        /// See [`CallOptions::request_id`]; every page's call carries the same id.
        pub fn request_id(mut self, id: impl Into<String>) -> Self {
            self.pager.options = self.pager.options.request_id(id);
            self
        }

        /// Replace every option at once.
        pub fn options(mut self, options: CallOptions) -> Self {
            self.pager.options = options;
            self
        }

        /// Pages read so far.
        pub fn pages_read(&self) -> u64 {
            self.pager.pages
        }
    };
}

/// The pages of a paged endpoint, from the first request on: a [`Stream`] of responses.
///
/// Nothing is sent until the stream is polled, and each page only when the one before has been
/// taken. A failed call, or a page that cannot be followed ([`PageError`]), ends the stream
/// with an error after the pages already yielded.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, C, E: Paginated> {
    pager: Pager<'a, C, E>,
    /// The error to yield after the page just yielded.
    pending: Option<Error<E::ErrorCode>>,
    done: bool,
}

impl<'a, C: Caller, E: Paginated + 'a> Pages<'a, C, E> {
    /// The pages of `first_request` on `client`, with the client's settings.
    pub fn new(client: &'a C, first_request: E) -> Self {
        Pages {
            pager: Pager::new(client, first_request),
            pending: None,
            done: false,
        }
    }

    option_setters!();
}

// The call in flight is boxed, and nothing else is pinned.
impl<C, E: Paginated> Unpin for Pages<'_, C, E> {}

impl<'a, C: Caller, E: Paginated + 'a> Stream for Pages<'a, C, E> {
    type Item = PageResult<E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(e) = this.pending.take() {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        match this.pager.poll_step(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Step::Page(response, then))) => {
                this.pending = then.map(Error::Page);
                Poll::Ready(Some(Ok(response)))
            }
            Poll::Ready(Some(Step::Failed(e))) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

impl<C, E: Paginated> fmt::Debug for Pages<'_, C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pager", &self.pager)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The items of a paged endpoint, page after page from the first request on: a [`Stream`] of
/// items.
///
/// The next page is requested only when the items of the one before have all been taken and
/// the consumer asks for more, so `.take(n)` requests only the pages the first `n` items need.
/// A failed call, or a page that cannot be followed ([`PageError`]), ends the stream with an
/// error after the items already read.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, C, E: Paginated> {
    pager: Pager<'a, C, E>,
    /// Items of the last page not yet yielded.
    buffer: VecDeque<E::Item>,
    /// The error to yield once the buffer is empty.
    pending: Option<Error<E::ErrorCode>>,
    done: bool,
}

impl<'a, C: Caller, E: Paginated + 'a> Items<'a, C, E> {
    /// The items of the pages of `first_request` on `client`, with the client's settings.
    pub fn new(client: &'a C, first_request: E) -> Self {
        Items {
            pager: Pager::new(client, first_request),
            buffer: VecDeque::new(),
            pending: None,
            done: false,
        }
    }

    option_setters!();
}

// The call in flight is boxed, and nothing else is pinned.
impl<C, E: Paginated> Unpin for Items<'_, C, E> {}

impl<'a, C: Caller, E: Paginated + 'a> Stream for Items<'a, C, E> {
    type Item = Result<E::Item, Error<E::ErrorCode>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(e) = this.pending.take() {
                this.done = true;
                return Poll::Ready(Some(Err(e)));
            }
            match this.pager.poll_step(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Step::Page(response, then))) => {
                    this.buffer = E::take_items(response).into();
                    this.pending = then.map(Error::Page);
                }
                Poll::Ready(Some(Step::Failed(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let more = !self.done
            && (self.pending.is_some()
                || self.pager.next.is_some()
                || self.pager.in_flight.is_some());
        (
            self.buffer.len(),
            if more { None } else { Some(self.buffer.len()) },
        )
    }
}

impl<C, E: Paginated> fmt::Debug for Items<'_, C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pager", &self.pager)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_end() {
        assert!(Cursor::Text(String::new()).is_end());
        assert!(Cursor::Text("  ".into()).is_end());
        assert!(!Cursor::Text("0".into()).is_end());
        assert!(!Cursor::Text("abc".into()).is_end());
        assert!(!Cursor::Int(0).is_end());
        assert!(!Cursor::Int(-1).is_end());
    }

    #[test]
    fn cursor_to_i64() {
        assert_eq!(Cursor::Int(7).to_i64(), Some(7));
        assert_eq!(Cursor::Text("42".into()).to_i64(), Some(42));
        assert_eq!(Cursor::Text(" 42 ".into()).to_i64(), Some(42));
        assert_eq!(Cursor::Text("-3".into()).to_i64(), Some(-3));
        assert_eq!(Cursor::Text("4 2".into()).to_i64(), None);
        assert_eq!(Cursor::Text("abc".into()).to_i64(), None);
        assert_eq!(Cursor::Text("12abc".into()).to_i64(), None);
        assert_eq!(Cursor::Text("1.5".into()).to_i64(), None);
        assert_eq!(Cursor::Text(String::new()).to_i64(), None);
        assert_eq!(Cursor::Text("99999999999999999999".into()).to_i64(), None);
    }

    #[test]
    fn cursor_display_and_conversions() {
        assert_eq!(Cursor::Int(12).to_string(), "12");
        assert_eq!(Cursor::Text("ab\"c".into()).to_string(), r#""ab\"c""#);
        assert_eq!(Cursor::Text("12".into()).to_string(), r#""12""#);
        assert_eq!(Cursor::from(5i32), Cursor::Int(5));
        assert_eq!(Cursor::from(5i64), Cursor::Int(5));
        assert_eq!(Cursor::from("x".to_owned()), Cursor::Text("x".into()));
        assert_eq!(Cursor::Int(-4).into_text(), "-4");
        assert_eq!(Cursor::Text("x y".into()).into_text(), "x y");
    }

    #[test]
    fn page_errors_name_the_endpoint_and_cursor() {
        let e = PageError::CursorRepeated {
            api: "dingtalk.oapi.x.list",
            cursor: Cursor::Int(2),
            pages: 3,
        };
        assert_eq!(
            e.to_string(),
            "dingtalk.oapi.x.list: the server gave the cursor 2 again after 3 pages; paging stopped to avoid a loop"
        );
        let e: Error = Error::from(PageError::SamePage {
            api: "x",
            offset: 20,
        });
        assert!(!e.is_retryable());
        assert!(e.to_string().contains("offset 20"), "{e}");
    }
}
