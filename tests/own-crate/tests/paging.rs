//! The generated paging of the crate's two list endpoints against a loopback server that pages:
//! `student_list` by cursor (the next cursor as a number, as text, then `null`) and
//! `guardian_list` by offset (ending on a short page).

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::post;
use client_runtime::{StreamExt, TryStreamExt};
use own_crate::dingtalk::{guardian_list, student_list, DingTalkClient};
use serde_json::{json, Value};

/// Answers each call with the next scripted body and records each request body.
#[derive(Default)]
struct Pager {
    pages: Mutex<Vec<Value>>,
    seen: Mutex<Vec<Value>>,
}

impl Pager {
    fn seen(&self) -> Vec<Value> {
        self.seen.lock().unwrap().clone()
    }
}

async fn page(State(pager): State<Arc<Pager>>, body: String) -> axum::Json<Value> {
    pager
        .seen
        .lock()
        .unwrap()
        .push(serde_json::from_str(&body).unwrap());
    let mut pages = pager.pages.lock().unwrap();
    let next = if pages.is_empty() {
        json!({"errcode": 88, "errmsg": "no more pages were scripted"})
    } else {
        pages.remove(0)
    };
    axum::Json(next)
}

async fn serve(path: &str, pages: Vec<Value>) -> (Arc<Pager>, DingTalkClient) {
    let pager = Arc::new(Pager {
        pages: Mutex::new(pages),
        seen: Mutex::default(),
    });
    let app = axum::Router::new()
        .route(path, post(page))
        .with_state(pager.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = client_runtime::dingtalk::DingTalkClient::builder()
        .access_token("TOKEN-paging")
        .oapi_base_url(base)
        .build()
        .unwrap();
    (pager, DingTalkClient::new(client))
}

fn students(names: &[&str], next_cursor: Value, has_more: Value) -> Value {
    let list: Vec<Value> = names
        .iter()
        .map(|n| json!({"userid": n, "name": n}))
        .collect();
    json!({"errcode": 0, "errmsg": "ok", "result": {"has_more": has_more, "next_cursor": next_cursor, "list": list}})
}

fn first_students() -> student_list::StudentListRequest {
    student_list::StudentListRequest::builder()
        .class_id(2001)
        .cursor(0)
        .size(2)
        .build()
}

#[tokio::test]
async fn cursor_pages_follow_numeric_and_text_cursors_to_a_null_one() {
    let (pager, client) = serve(
        "/topapi/edu/student/list",
        vec![
            students(&["a", "b"], json!(2), json!(true)),
            students(&["c", "d"], json!("4"), json!(true)),
            students(&["e"], Value::Null, Value::Null),
        ],
    )
    .await;
    let ids: Vec<String> = client
        .student_list_items(first_students())
        .map_ok(|s| s.userid)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let cursors: Vec<Value> = pager.seen().iter().map(|b| b["cursor"].clone()).collect();
    assert_eq!(cursors, [json!(0), json!(2), json!(4)]);
    assert!(pager
        .seen()
        .iter()
        .all(|b| b["class_id"] == 2001 && b["size"] == 2));
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_items_with_an_error_after_what_was_read() {
    let (pager, client) = serve(
        "/topapi/edu/student/list",
        vec![
            students(&["a", "b"], json!(2), json!(true)),
            students(&["c", "d"], json!(2), json!(true)),
        ],
    )
    .await;
    let read: Vec<_> = client.student_list_items(first_students()).collect().await;
    let ids: Vec<&str> = read
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|s| s.userid.as_str()))
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let last = read.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(
            last,
            client_runtime::Error::Page(client_runtime::PageError::CursorRepeated { .. })
        ),
        "{last:?}"
    );
    assert_eq!(pager.seen().len(), 2);
}

#[tokio::test]
async fn a_limit_reads_only_the_pages_it_needs() {
    let (pager, client) = serve(
        "/topapi/edu/student/list",
        vec![
            students(&["a", "b"], json!(2), json!(true)),
            students(&["c", "d"], json!(4), json!(true)),
            students(&["e", "f"], json!(6), json!(true)),
        ],
    )
    .await;
    let first_three: Vec<_> = client
        .student_list_items(first_students())
        .take(3)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(first_three.len(), 3);
    assert_eq!(pager.seen().len(), 2);
}

#[tokio::test]
async fn offset_pages_end_on_a_short_page() {
    let guardians = |ids: &[&str]| {
        let list: Vec<Value> = ids.iter().map(|id| json!({"userid": id})).collect();
        json!({"errcode": 0, "result": list})
    };
    let (pager, client) = serve(
        "/topapi/edu/guardian/list",
        vec![
            guardians(&["g1", "g2"]),
            guardians(&["g3", "g4"]),
            guardians(&["g5"]),
        ],
    )
    .await;
    let mut first = guardian_list::GuardianListRequest::new();
    first.size = 2;
    let pages: Vec<guardian_list::GuardianListResponse> = client
        .guardian_list_pages(first)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let offsets: Vec<Value> = pager.seen().iter().map(|b| b["offset"].clone()).collect();
    assert_eq!(offsets, [json!(0), json!(2), json!(4)]);
}
