//! One process of a fleet, for the fleet tests (`tests/tests/fleet.rs`): a `DingTalkClient` with
//! its token in a Redis store (and, with `--qps`, a per-app rate limit shared through the same
//! Redis) that makes calls of a small oapi endpoint, `fleet.ping`, and reports how they went.
//!
//! ```text
//! fleet_worker --oapi URL --redis URL [--app-key K] [--app-secret S]
//!              [--calls N] [--duration-ms D] [--concurrency C] [--qps Q]
//!              [--lock-ttl-ms T] [--poll-ms P] [--timeout-ms T] [--op-timeout-ms T]
//! ```
//!
//! `C` tasks make calls until `N` calls have been started or `D` ms have passed, whichever
//! comes first (at least one of the two is required). Standard output gets one JSON line when
//! the client is built (`{"event":"started",...}`) and one when every call has ended
//! (`{"event":"done","ok":..,"failed":..,"elapsed_ms":..,"errors":{..}}`); the client's log
//! (`warn` and up unless `RUST_LOG` says otherwise) goes to standard error.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_runtime::dingtalk::DingTalkClient;
use client_runtime::redis_store::RedisStore;
use client_runtime::{
    Endpoint, FieldEncoding, HttpMethod, Path, Protocol, Rate, RateLimits, Route, TokenPolicy,
    UndocumentedCode, Validate, Violations,
};
use serde::{Deserialize, Serialize};

/// `POST /topapi/fleet/ping`: the fake server answers `{"errcode":0,"result":{"seq":..}}`.
#[derive(Debug, Serialize)]
struct FleetPing {
    seq: u64,
    pid: u32,
}

impl Validate for FleetPing {
    fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
}

#[derive(Debug, Deserialize)]
struct FleetPingResponse {
    result: Option<PingResult>,
}

#[derive(Debug, Deserialize)]
struct PingResult {
    seq: u64,
}

impl Endpoint for FleetPing {
    const API_NAME: &'static str = "dingtalk.oapi.fleet.ping";
    const PROTOCOL: Protocol = Protocol::DingTalkOapi;
    const METHOD: HttpMethod = HttpMethod::Post;
    const ROUTE: Route = Route::Path("/topapi/fleet/ping");
    const FIELD_ENCODINGS: &'static [(&'static str, FieldEncoding)] = &[];
    type Response = FleetPingResponse;
    type ErrorCode = UndocumentedCode;
}

struct Args {
    oapi: String,
    redis: String,
    app_key: String,
    app_secret: String,
    calls: Option<u64>,
    duration: Option<Duration>,
    concurrency: u64,
    qps: Option<u32>,
    lock_ttl: Duration,
    poll: Duration,
    timeout: Duration,
    op_timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut given = BTreeMap::new();
    let mut argv = std::env::args().skip(1);
    while let Some(name) = argv.next() {
        let name = name
            .strip_prefix("--")
            .ok_or_else(|| format!("expected --name value, found {name}"))?
            .to_owned();
        let value = argv
            .next()
            .ok_or_else(|| format!("--{name} needs a value"))?;
        given.insert(name, value);
    }
    let mut take = |name: &str| given.remove(name);
    let number = |name: &str, value: Option<String>| -> Result<Option<u64>, String> {
        value
            .map(|v| v.parse().map_err(|e| format!("--{name} {v}: {e}")))
            .transpose()
    };
    let millis = |name: &str, value: Option<String>, default: u64| {
        number(name, value).map(|v| Duration::from_millis(v.unwrap_or(default)))
    };
    let args = Args {
        oapi: take("oapi").ok_or("--oapi is required")?,
        redis: take("redis").ok_or("--redis is required")?,
        app_key: take("app-key").unwrap_or_else(|| "fleet-app".into()),
        app_secret: take("app-secret").unwrap_or_else(|| "fleet-secret-do-not-log".into()),
        calls: number("calls", take("calls"))?,
        duration: number("duration-ms", take("duration-ms"))?.map(Duration::from_millis),
        concurrency: number("concurrency", take("concurrency"))?
            .unwrap_or(1)
            .max(1),
        qps: number("qps", take("qps"))?
            .map(|q| u32::try_from(q).map_err(|e| format!("--qps: {e}")))
            .transpose()?,
        lock_ttl: millis("lock-ttl-ms", take("lock-ttl-ms"), 10_000)?,
        poll: millis("poll-ms", take("poll-ms"), 50)?,
        timeout: millis("timeout-ms", take("timeout-ms"), 30_000)?,
        op_timeout: millis("op-timeout-ms", take("op-timeout-ms"), 500)?,
    };
    if let Some(unknown) = given.keys().next() {
        return Err(format!("unknown option --{unknown}"));
    }
    if args.calls.is_none() && args.duration.is_none() {
        return Err("give --calls or --duration-ms (or both)".into());
    }
    Ok(args)
}

fn say(line: serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("fleet_worker: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match RedisStore::new(&args.redis) {
        Ok(store) => store.op_timeout(args.op_timeout),
        Err(e) => {
            eprintln!("fleet_worker: {e}");
            return ExitCode::from(2);
        }
    };
    let mut limits = RateLimits::new();
    if let Some(qps) = args.qps {
        limits = limits
            .per_app(Rate::per_second(qps))
            .shared(Arc::new(store.clone()));
    }
    let built = DingTalkClient::builder()
        .app_credentials(args.app_key.clone(), args.app_secret.clone())
        .oapi_base_url(args.oapi.clone())
        .token_store(Arc::new(store))
        .token_policy(TokenPolicy {
            lock_ttl: args.lock_ttl,
            poll_interval: args.poll,
            ..TokenPolicy::default()
        })
        .rate_limits(limits)
        .timeout(args.timeout)
        .build();
    let client = match built {
        Ok(client) => client,
        Err(e) => {
            eprintln!("fleet_worker: {e}");
            return ExitCode::from(2);
        }
    };
    let pid = std::process::id();
    say(serde_json::json!({ "event": "started", "pid": pid }));

    let started = Instant::now();
    let end = args.duration.map(|d| started + d);
    let next = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(Mutex::new(BTreeMap::<String, u64>::new()));
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (client, next, ok, errors) = (client.clone(), next.clone(), ok.clone(), errors.clone());
        let calls = args.calls;
        tasks.push(tokio::spawn(async move {
            loop {
                if end.is_some_and(|end| Instant::now() >= end) {
                    break;
                }
                let seq = next.fetch_add(1, Ordering::Relaxed);
                if calls.is_some_and(|n| seq >= n) {
                    break;
                }
                match client.call(&FleetPing { seq, pid }).await {
                    Ok(FleetPingResponse {
                        result: Some(PingResult { seq: echoed }),
                    }) if echoed == seq => {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(other) => {
                        let what = format!("unexpected answer: {other:?}");
                        *errors.lock().unwrap().entry(what).or_default() += 1;
                    }
                    Err(e) => {
                        let mut what = e.to_string();
                        what.truncate(300);
                        *errors.lock().unwrap().entry(what).or_default() += 1;
                    }
                }
            }
        }));
    }
    for task in tasks {
        if let Err(e) = task.await {
            *errors
                .lock()
                .unwrap()
                .entry(format!("task failed: {e}"))
                .or_default() += 1;
        }
    }
    let errors = errors.lock().unwrap().clone();
    say(serde_json::json!({
        "event": "done",
        "pid": pid,
        "ok": ok.load(Ordering::Relaxed),
        "failed": errors.values().sum::<u64>(),
        "elapsed_ms": started.elapsed().as_millis() as u64,
        "errors": errors,
    }));
    ExitCode::SUCCESS
}
