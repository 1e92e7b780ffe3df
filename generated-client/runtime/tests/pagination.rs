//! Pagination against a loopback oapi server whose pages each test scripts: a cursor-style and
//! an offset-style endpoint written by hand as the generator emits them, followed to the end,
//! cut short by the caller, and stopped by servers that would make them loop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use client_runtime::de::{lenient_opt, list_opt};
use client_runtime::dingtalk::DingTalkClient;
use client_runtime::{
    Cursor, Endpoint, Error, FieldEncoding, HttpMethod, Items, PageError, PageStyle, Pages,
    Paginated, Path, Protocol, RetryPolicy, Route, StreamExt, TryStreamExt, UndocumentedCode,
    Validate, Violations,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

// ---- a cursor-style oapi endpoint ----------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
struct CursorList {
    cursor: i64,
    size: i64,
}

impl Validate for CursorList {
    fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
}

#[derive(Debug, Clone, Deserialize)]
struct CursorListResponse {
    #[serde(default, deserialize_with = "lenient_opt")]
    #[allow(dead_code)]
    errcode: Option<i64>,
    #[allow(dead_code)]
    errmsg: Option<String>,
    result: Option<CursorPage>,
}

#[derive(Debug, Clone, Deserialize)]
struct CursorPage {
    #[serde(default, deserialize_with = "lenient_opt")]
    has_more: Option<bool>,
    /// A number or text, `null` or absent: as servers send it.
    #[serde(default, deserialize_with = "cursor_opt")]
    next_cursor: Option<Cursor>,
    #[serde(default, deserialize_with = "list_opt")]
    list: Option<Vec<i64>>,
}

fn cursor_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cursor>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().map(Cursor::Int),
        Value::String(s) => Some(Cursor::Text(s)),
        _ => None,
    })
}

impl Endpoint for CursorList {
    const API_NAME: &'static str = "dingtalk.oapi.test.cursor.list";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/test/cursor/list");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = CursorListResponse;
    type ErrorCode = UndocumentedCode;
}

impl Paginated for CursorList {
    type Item = i64;
    const STYLE: PageStyle = PageStyle::Cursor;

    fn items(response: &Self::Response) -> &[i64] {
        response
            .result
            .as_ref()
            .and_then(|r| r.list.as_deref())
            .unwrap_or(&[])
    }
    fn take_items(response: Self::Response) -> Vec<i64> {
        response.result.and_then(|r| r.list).unwrap_or_default()
    }
    fn has_more(response: &Self::Response) -> Option<bool> {
        response.result.as_ref().and_then(|r| r.has_more)
    }
    fn next_cursor(response: &Self::Response) -> Option<Cursor> {
        response.result.as_ref().and_then(|r| r.next_cursor.clone())
    }
    fn cursor(&self) -> Option<Cursor> {
        Some(Cursor::Int(self.cursor))
    }
    fn set_cursor(&mut self, cursor: Cursor) -> Result<(), String> {
        self.cursor = cursor
            .to_i64()
            .ok_or_else(|| format!("`cursor` is a number and {cursor} is not"))?;
        Ok(())
    }
}

// ---- an offset-style oapi endpoint ---------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
struct OffsetList {
    offset: i64,
    size: i64,
}

impl Validate for OffsetList {
    fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
}

#[derive(Debug, Clone, Deserialize)]
struct OffsetListResponse {
    result: Option<OffsetPage>,
}

#[derive(Debug, Clone, Deserialize)]
struct OffsetPage {
    #[serde(default, deserialize_with = "lenient_opt")]
    has_more: Option<bool>,
    #[serde(default, deserialize_with = "list_opt")]
    list: Option<Vec<i64>>,
}

impl Endpoint for OffsetList {
    const API_NAME: &'static str = "dingtalk.oapi.test.offset.list";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/test/offset/list");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = OffsetListResponse;
    type ErrorCode = UndocumentedCode;
}

impl Paginated for OffsetList {
    type Item = i64;
    const STYLE: PageStyle = PageStyle::Offset;

    fn items(response: &Self::Response) -> &[i64] {
        response
            .result
            .as_ref()
            .and_then(|r| r.list.as_deref())
            .unwrap_or(&[])
    }
    fn take_items(response: Self::Response) -> Vec<i64> {
        response.result.and_then(|r| r.list).unwrap_or_default()
    }
    fn has_more(response: &Self::Response) -> Option<bool> {
        response.result.as_ref().and_then(|r| r.has_more)
    }
    fn offset(&self) -> i64 {
        self.offset
    }
    fn set_offset(&mut self, offset: i64) {
        self.offset = offset;
    }
    fn page_size(&self) -> Option<i64> {
        Some(self.size)
    }
}

// ---- the scripted server -------------------------------------------------------------------

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    body: Value,
    headers: HeaderMap,
}

/// The answer to the `n`th request (from 0), given its JSON body: HTTP status and body.
type Script = dyn Fn(usize, &Value) -> (u16, String) + Send + Sync;

struct Server {
    seen: Mutex<Vec<Seen>>,
    script: Box<Script>,
}

impl Server {
    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    /// The value of `field` in each request body.
    fn sent(&self, field: &str) -> Vec<Value> {
        self.seen().iter().map(|s| s.body[field].clone()).collect()
    }
}

async fn handle(
    State(server): State<Arc<Server>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    assert_eq!(uri.query(), Some("access_token=test-token"));
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let n = {
        let mut seen = server.seen.lock().unwrap();
        seen.push(Seen {
            body: body.clone(),
            headers,
        });
        seen.len() - 1
    };
    let (status, text) = (server.script)(n, &body);
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "application/json;charset=UTF-8")
        .body(axum::body::Body::from(text))
        .unwrap()
}

/// A server answering with `script`, and a client for it with three quick retries.
async fn start(
    script: impl Fn(usize, &Value) -> (u16, String) + Send + Sync + 'static,
) -> (Arc<Server>, DingTalkClient) {
    let server = Arc::new(Server {
        seen: Mutex::new(Vec::new()),
        script: Box::new(script),
    });
    let router = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = DingTalkClient::builder()
        .access_token("test-token")
        .oapi_base_url(base)
        .retry_policy(RetryPolicy::fixed(3, Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    (server, client)
}

/// A successful oapi answer whose `result` is `result`.
fn ok(result: Value) -> (u16, String) {
    (
        200,
        json!({"errcode": 0, "errmsg": "ok", "result": result, "request_id": "r"}).to_string(),
    )
}

fn cursor_of(body: &Value) -> i64 {
    body["cursor"].as_i64().expect("a numeric cursor")
}

fn offset_of(body: &Value) -> i64 {
    body["offset"].as_i64().expect("a numeric offset")
}

fn first() -> CursorList {
    CursorList { cursor: 0, size: 3 }
}

/// Every item of the stream, and the error that ended it, if one did; checks that nothing
/// follows an error.
async fn drain<S, T, C>(mut stream: S) -> (Vec<T>, Option<Error<C>>)
where
    S: client_runtime::Stream<Item = Result<T, Error<C>>> + Unpin,
    C: client_runtime::ErrorCode,
{
    let mut items = Vec::new();
    while let Some(next) = stream.next().await {
        match next {
            Ok(item) => items.push(item),
            Err(e) => {
                assert!(stream.next().await.is_none(), "the stream ends after {e}");
                assert!(stream.next().await.is_none(), "and stays ended");
                return (items, Some(e));
            }
        }
    }
    assert!(stream.next().await.is_none(), "an ended stream stays ended");
    (items, None)
}

fn assert_send_unpin<T: Send + Unpin>(_: &T) {}

// ---- cursor style --------------------------------------------------------------------------

#[tokio::test]
async fn three_pages_then_has_more_false() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": 3, "list": [1, 2, 3]})),
        3 => ok(json!({"has_more": true, "next_cursor": 6, "list": [4, 5, 6]})),
        // A next cursor given although there is no more: has_more wins.
        6 => ok(json!({"has_more": false, "next_cursor": 9, "list": [7]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let items = Items::new(&client, first());
    assert_send_unpin(&items);
    assert_eq!(
        server.requests(),
        0,
        "nothing is sent before the stream is polled"
    );
    let (items, end) = drain(items).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, (1..=7).collect::<Vec<_>>());
    assert_eq!(server.sent("cursor"), [json!(0), json!(3), json!(6)]);
    assert!(server.sent("size").iter().all(|s| *s == json!(3)));

    // The same pages as responses.
    let pages: Vec<CursorListResponse> = Pages::new(&client, first()).try_collect().await.unwrap();
    let lists: Vec<Vec<i64>> = pages.into_iter().map(CursorList::take_items).collect();
    assert_eq!(lists, [vec![1, 2, 3], vec![4, 5, 6], vec![7]]);
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn a_null_or_empty_next_cursor_ends_paging() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"next_cursor": 2, "list": [1, 2]})),
        2 => ok(json!({"next_cursor": null, "list": [3]})),
        10 => ok(json!({"next_cursor": 12, "list": [10, 11]})),
        12 => ok(json!({"next_cursor": " ", "list": [12]})),
        20 => ok(json!({"list": [20]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [1, 2, 3]);
    let (items, end) = drain(Items::new(
        &client,
        CursorList {
            cursor: 10,
            size: 3,
        },
    ))
    .await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [10, 11, 12]);
    let (items, end) = drain(Items::new(
        &client,
        CursorList {
            cursor: 20,
            size: 3,
        },
    ))
    .await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [20]);
    assert_eq!(
        server.sent("cursor"),
        [json!(0), json!(2), json!(10), json!(12), json!(20)]
    );
}

#[tokio::test]
async fn a_text_cursor_is_sent_as_the_number_the_request_takes() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": "2", "list": [1, 2]})),
        2 => ok(json!({"has_more": "true", "next_cursor": " 4", "list": [3, 4]})),
        4 => ok(json!({"has_more": false, "list": [5]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(server.sent("cursor"), [json!(0), json!(2), json!(4)]);
}

#[tokio::test]
async fn an_empty_last_page_ends_paging() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": 3, "list": [1, 2, 3]})),
        // Empty, with a next cursor but no has_more: the end.
        3 => ok(json!({"next_cursor": 6, "list": []})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(server.requests(), 2);

    // The pages stream yields the empty page too.
    let pages: Vec<_> = Pages::new(&client, first()).try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    assert!(CursorList::items(&pages[1]).is_empty());
}

#[tokio::test]
async fn the_caller_limit_requests_only_the_pages_it_needs() {
    // Endless pages of three.
    let (server, client) = start(|_, body| {
        let c = cursor_of(body);
        ok(json!({"has_more": true, "next_cursor": c + 3, "list": [c + 1, c + 2, c + 3]}))
    })
    .await;
    let items: Vec<i64> = Items::new(&client, first())
        .take(5)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        server.requests(),
        2,
        "five items of pages of three: two pages"
    );

    let items: Vec<i64> = Items::new(&client, first())
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(server.requests(), 3, "three items: one page");

    let pages: Vec<_> = Pages::new(&client, first())
        .take(1)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests(), 4, "one page: one request");
}

#[tokio::test]
async fn a_repeated_cursor_stops_paging_after_the_page_that_gave_it() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": 2, "list": [1, 2]})),
        // Sends its own cursor again, as text.
        2 => ok(json!({"has_more": true, "next_cursor": "2", "list": [3, 4]})),
        // Loops back to the first request's cursor.
        10 => ok(json!({"has_more": true, "next_cursor": 12, "list": [10]})),
        12 => ok(json!({"has_more": true, "next_cursor": 10, "list": [12]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    // `take` bounds the test should the guard fail.
    let (items, end) = drain(Items::new(&client, first()).take(50)).await;
    assert_eq!(items, [1, 2, 3, 4], "the items before the repeat are kept");
    match end {
        Some(Error::Page(PageError::CursorRepeated { api, cursor, pages })) => {
            assert_eq!(api, CursorList::API_NAME);
            assert_eq!(cursor, Cursor::Text("2".into()));
            assert_eq!(pages, 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 2);

    let (items, end) = drain(
        Items::new(
            &client,
            CursorList {
                cursor: 10,
                size: 3,
            },
        )
        .take(50),
    )
    .await;
    assert_eq!(items, [10, 12]);
    assert!(
        matches!(
            &end,
            Some(Error::Page(PageError::CursorRepeated {
                cursor: Cursor::Int(10),
                pages: 2,
                ..
            }))
        ),
        "{end:?}"
    );
    assert_eq!(server.requests(), 4);

    // The pages stream: the page that gave the cursor, then the error.
    let mut pages = Pages::new(&client, first());
    assert_eq!(
        CursorList::items(&pages.next().await.unwrap().unwrap()),
        [1, 2]
    );
    assert_eq!(
        CursorList::items(&pages.next().await.unwrap().unwrap()),
        [3, 4]
    );
    let e = pages.next().await.unwrap().unwrap_err();
    assert!(e.to_string().contains("again after 2 pages"), "{e}");
    assert!(!e.is_retryable());
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn more_pages_without_a_cursor_is_an_error_after_the_page() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": 3, "list": [1, 2, 3]})),
        3 => ok(json!({"has_more": true, "next_cursor": "", "list": [4]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert_eq!(items, [1, 2, 3, 4]);
    assert!(
        matches!(
            end,
            Some(Error::Page(PageError::MoreWithoutCursor { pages: 2, .. }))
        ),
        "{end:?}"
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_cursor_the_request_cannot_carry_is_an_error_after_the_page() {
    let (server, client) = start(|_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": "abc", "list": [1]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert_eq!(items, [1]);
    match end {
        Some(Error::Page(PageError::BadCursor { cursor, reason, .. })) => {
            assert_eq!(cursor, Cursor::Text("abc".into()));
            assert!(reason.contains("\"abc\""), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_failed_call_on_page_two_keeps_the_items_of_page_one() {
    let (server, client) = start(|n, body| match (n, cursor_of(body)) {
        (_, 0) => ok(json!({"has_more": true, "next_cursor": 3, "list": [1, 2, 3]})),
        (1, 3) => (
            200,
            r#"{"errcode":88,"errmsg":"ding talk error","request_id":"e1"}"#.into(),
        ),
        (3, 3) => (500, "<html>Internal Server Error</html>".into()),
        (n, c) => panic!("unexpected request {n} with cursor {c}"),
    })
    .await;
    let (items, end) = drain(Items::new(&client, first())).await;
    assert_eq!(items, [1, 2, 3]);
    assert!(
        matches!(&end, Some(Error::DingTalk { errcode: 88, .. })),
        "{end:?}"
    );
    assert_eq!(server.requests(), 2);

    let (pages, end) = drain(Pages::new(&client, first())).await;
    assert_eq!(pages.len(), 1);
    assert!(
        matches!(&end, Some(Error::UnexpectedBody { status: 500, .. })),
        "{end:?}"
    );
    assert_eq!(server.requests(), 4);
}

// ---- offset style --------------------------------------------------------------------------

/// Items 1..=total, served `size` at a time from the offset asked for.
fn slice(total: i64, body: &Value) -> (u16, String) {
    let offset = offset_of(body);
    let size = body["size"].as_i64().unwrap();
    let list: Vec<i64> = (offset + 1..=total.min(offset + size)).collect();
    ok(json!({ "list": list }))
}

#[tokio::test]
async fn offset_paging_ends_on_a_short_page() {
    let (server, client) = start(|_, body| slice(7, body)).await;
    let (items, end) = drain(Items::new(&client, OffsetList { offset: 0, size: 3 })).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, (1..=7).collect::<Vec<_>>());
    assert_eq!(server.sent("offset"), [json!(0), json!(3), json!(6)]);
    assert!(server.sent("size").iter().all(|s| *s == json!(3)));
}

#[tokio::test]
async fn offset_paging_ends_on_an_empty_page() {
    let (server, client) = start(|_, body| slice(6, body)).await;
    let (items, end) = drain(Items::new(&client, OffsetList { offset: 0, size: 3 })).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, (1..=6).collect::<Vec<_>>());
    assert_eq!(server.sent("offset"), [json!(0), json!(3), json!(6)]);
}

#[tokio::test]
async fn offset_paging_follows_a_short_page_the_server_says_is_not_the_last() {
    // The server caps pages at two items and says so with has_more.
    let (server, client) = start(|_, body| {
        let offset = offset_of(body);
        let list: Vec<i64> = (offset + 1..=5.min(offset + 2)).collect();
        ok(json!({ "list": list, "has_more": offset + 2 < 5 }))
    })
    .await;
    let (items, end) = drain(Items::new(&client, OffsetList { offset: 0, size: 3 })).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(server.sent("offset"), [json!(0), json!(2), json!(4)]);
}

#[tokio::test]
async fn a_server_ignoring_the_offset_is_stopped_by_the_same_page_guard() {
    let (server, client) = start(|_, _| ok(json!({ "list": [1, 2, 3] }))).await;
    // `take` bounds the test should the guard fail.
    let (items, end) = drain(Items::new(&client, OffsetList { offset: 0, size: 3 }).take(50)).await;
    assert_eq!(items, [1, 2, 3], "the repeated page is not yielded");
    match end {
        Some(Error::Page(PageError::SamePage { api, offset })) => {
            assert_eq!(api, OffsetList::API_NAME);
            assert_eq!(offset, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 2);

    let (pages, end) = drain(Pages::new(&client, OffsetList { offset: 0, size: 3 }).take(50)).await;
    assert_eq!(pages.len(), 1);
    assert!(matches!(end, Some(Error::Page(PageError::SamePage { .. }))));
    assert_eq!(server.requests(), 4);
}

// ---- per-call options ----------------------------------------------------------------------

#[tokio::test]
async fn a_header_and_request_id_set_on_the_stream_reach_every_page_request() {
    let (server, client) = start(|_, body| slice(7, body)).await;
    let items: Vec<i64> = Items::new(&client, OffsetList { offset: 0, size: 3 })
        .header("x-tenant", "school-42")
        .request_id("job-7")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.headers.get("x-tenant").unwrap(), "school-42");
        assert_eq!(s.headers.get("x-request-id").unwrap(), "job-7");
    }

    // Options set on the pages stream, or all at once, too; none on a plain stream.
    let options = client_runtime::CallOptions::new().header("x-other", "1");
    let pages: Vec<_> = Pages::new(&client, OffsetList { offset: 0, size: 3 })
        .options(options)
        .timeout(Duration::from_secs(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let _: Vec<i64> = Items::new(&client, OffsetList { offset: 0, size: 3 })
        .try_collect()
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 9);
    assert!(seen[3..6]
        .iter()
        .all(|s| s.headers.get("x-other").is_some()));
    assert!(seen[6..]
        .iter()
        .all(|s| s.headers.get("x-other").is_none() && s.headers.get("x-tenant").is_none()));
}

#[tokio::test]
async fn a_retry_policy_set_on_the_stream_applies_to_its_calls_only() {
    // The 1st, 2nd and 4th requests of cursor 3 fail with the retryable errcode -1.
    let failures = Arc::new(AtomicUsize::new(0));
    let seen_failures = failures.clone();
    let (server, client) = start(move |_, body| match cursor_of(body) {
        0 => ok(json!({"has_more": true, "next_cursor": 3, "list": [1, 2, 3]})),
        3 if matches!(failures.fetch_add(1, Ordering::SeqCst), 0 | 1 | 3) => {
            (200, r#"{"errcode":-1,"errmsg":"system busy"}"#.into())
        }
        3 => ok(json!({"has_more": false, "list": [4]})),
        c => panic!("unexpected cursor {c}"),
    })
    .await;

    let (items, end) = drain(Items::new(&client, first()).retry(RetryPolicy::none())).await;
    assert_eq!(items, [1, 2, 3]);
    assert!(
        matches!(&end, Some(Error::DingTalk { errcode: -1, .. })),
        "{end:?}"
    );
    assert_eq!(server.requests(), 2, "no retry");

    // The client's policy (three retries) for a stream without one.
    let (items, end) = drain(Items::new(&client, first())).await;
    assert!(end.is_none(), "{end:?}");
    assert_eq!(items, [1, 2, 3, 4]);
    assert_eq!(server.requests(), 5, "page 2 retried once");

    // And for a plain call after the streams.
    let response = client
        .call(&CursorList { cursor: 3, size: 3 })
        .await
        .unwrap();
    assert_eq!(CursorList::items(&response), [4]);
    assert_eq!(server.requests(), 7);
    assert_eq!(seen_failures.load(Ordering::SeqCst), 5);
}
