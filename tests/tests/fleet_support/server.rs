//! A fake of oapi.dingtalk.com on 127.0.0.1 for the fleet: `/gettoken` (counted, per app key,
//! with the time of each; the first can be made to hang) and `/topapi/fleet/ping` (checks the
//! token, records the time of every call it accepts).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// The app secret every worker uses.
pub const APP_SECRET: &str = "fleet-secret-do-not-log";

/// The prefix of every token the fake issues.
pub const TOKEN_PREFIX: &str = "FLEET-TOKEN-";

/// The fake's state and records.
#[derive(Default)]
pub struct FakeOapi {
    /// When each `gettoken` arrived, with its app key.
    gettokens: Mutex<Vec<(String, Instant)>>,
    /// When each accepted ping arrived, with the pid of its worker.
    pings: Mutex<Vec<(u32, Instant)>>,
    /// Pings refused for their token.
    pub rejected: AtomicUsize,
    issued: AtomicUsize,
    valid: Mutex<HashSet<String>>,
    /// Leave the first `gettoken` unanswered forever.
    hang_first_gettoken: AtomicBool,
}

impl FakeOapi {
    /// Start the fake on 127.0.0.1; returns it and its base URL.
    pub async fn start(hang_first_gettoken: bool) -> (Arc<Self>, String) {
        let fake = Arc::new(FakeOapi::default());
        fake.hang_first_gettoken
            .store(hang_first_gettoken, Ordering::SeqCst);
        let app = Router::new()
            .route("/gettoken", get(gettoken))
            .route("/topapi/fleet/ping", post(ping))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        (fake, base)
    }

    /// How many `gettoken` requests arrived for `app_key`.
    pub fn gettoken_count(&self, app_key: &str) -> usize {
        self.gettoken_times(app_key).len()
    }

    /// When the `gettoken` requests for `app_key` arrived.
    pub fn gettoken_times(&self, app_key: &str) -> Vec<Instant> {
        let all = self.gettokens.lock().unwrap();
        all.iter()
            .filter(|(key, _)| key == app_key)
            .map(|(_, at)| *at)
            .collect()
    }

    /// When the accepted pings arrived, with their worker's pid.
    pub fn pings(&self) -> Vec<(u32, Instant)> {
        self.pings.lock().unwrap().clone()
    }

    /// Every token issued so far is refused from now on.
    pub fn revoke_all(&self) {
        self.valid.lock().unwrap().clear();
    }

    /// Wait (at most `limit`) until `app_key` has had `n` `gettoken` requests; the arrival of
    /// the `n`th.
    pub async fn wait_for_gettoken(&self, app_key: &str, n: usize, limit: Duration) -> Instant {
        let started = Instant::now();
        loop {
            if let Some(at) = self.gettoken_times(app_key).get(n - 1) {
                return *at;
            }
            assert!(
                started.elapsed() < limit,
                "gettoken #{n} for {app_key} did not come within {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

async fn gettoken(
    State(fake): State<Arc<FakeOapi>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let app_key = q.get("appkey").cloned().unwrap_or_default();
    let first = {
        let mut all = fake.gettokens.lock().unwrap();
        all.push((app_key, Instant::now()));
        all.len() == 1
    };
    if q.get("appsecret").map(String::as_str) != Some(APP_SECRET) {
        return Json(json!({"errcode": 40089, "errmsg": "invalid appkey or appsecret"}));
    }
    if first && fake.hang_first_gettoken.load(Ordering::SeqCst) {
        // The process that sent it is killed; the connection closes and this is dropped.
        std::future::pending::<()>().await;
    }
    let n = fake.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let token = format!("{TOKEN_PREFIX}{n}");
    fake.valid.lock().unwrap().insert(token.clone());
    Json(json!({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}))
}

async fn ping(
    State(fake): State<Arc<FakeOapi>>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let token = q.get("access_token").cloned().unwrap_or_default();
    if !fake.valid.lock().unwrap().contains(&token) {
        fake.rejected.fetch_add(1, Ordering::SeqCst);
        return Json(json!({"errcode": 40014, "errmsg": "不合法的access_token"}));
    }
    let pid = body["pid"].as_u64().unwrap_or(0) as u32;
    fake.pings.lock().unwrap().push((pid, Instant::now()));
    Json(json!({"errcode": 0, "errmsg": "ok", "result": {"seq": body["seq"]}}))
}
