//! A fleet of processes sharing one token and one rate limit through Redis
//! (`client_runtime::redis_store::RedisStore`), with a real `redis-server` and real worker
//! processes (`src/bin/fleet_worker.rs`) on 127.0.0.1:
//!
//! - 4 processes × 250 concurrent calls make one `gettoken` between them, whether Redis holds an
//!   expired token or nothing;
//! - a lock holder killed in the middle of its `gettoken` is replaced once its lock expires;
//! - Redis stopped in the middle of a run fails no call;
//! - a 50 QPS limit shared by 4 processes holds at the server over 10 s.
//!
//! Each test prints its figures (`FLEET ...` lines; see them with `-- --nocapture`). Without a
//! `redis-server` (and no way to install one) the tests are skipped, or fail when `CI=true`.

mod fleet_support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use client_runtime::limit::{RateStore, Reservation};
use client_runtime::redis_store::RedisStore;
use client_runtime::store::{LockId, StoredToken, TokenStore};
use client_runtime::{Rate, Secret};
use fleet_support::redis_server::RedisServer;
use fleet_support::server::{FakeOapi, APP_SECRET, TOKEN_PREFIX};
use fleet_support::worker::Worker;
use time::OffsetDateTime;

/// The worker's arguments for `app_key`, then `extra` (`--name value` pairs).
fn worker_args(base: &str, redis: &str, app_key: &str, extra: &[(&str, &str)]) -> Vec<String> {
    let mut args = vec![
        "--oapi".to_owned(),
        base.to_owned(),
        "--redis".to_owned(),
        redis.to_owned(),
        "--app-key".to_owned(),
        app_key.to_owned(),
        "--app-secret".to_owned(),
        APP_SECRET.to_owned(),
    ];
    for (name, value) in extra {
        args.push(format!("--{name}"));
        args.push((*value).to_owned());
    }
    args
}

use client_runtime::token::store_key;

fn unix_ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_of_250_calls_make_one_gettoken() {
    let Some(redis) = RedisServer::start("four_processes_of_250_calls_make_one_gettoken") else {
        return;
    };
    let (fake, base) = FakeOapi::start(false).await;
    let store = RedisStore::new(&redis.url).unwrap();
    let mut con = redis.connection();

    // One app finds an expired token in Redis (written without an expiry, as a Redis whose
    // clock disagrees would keep it); the other finds nothing.
    let expired_app = "fleet-a-expired";
    let expired_key = store.token_key(&store_key(expired_app, &base));
    let now = OffsetDateTime::now_utc();
    let stale = serde_json::json!({
        "token": "FLEET-STALE-TOKEN",
        "refresh_at": unix_ms(now - time::Duration::hours(2)),
        "expires_at": unix_ms(now - time::Duration::hours(1)),
    });
    redis::cmd("SET")
        .arg(&expired_key)
        .arg(stale.to_string())
        .query::<()>(&mut con)
        .unwrap();

    for app in [expired_app, "fleet-a-empty"] {
        let started = Instant::now();
        let workers: Vec<Worker> = (0..4)
            .map(|i| {
                let extra = [("calls", "250"), ("concurrency", "250")];
                Worker::spawn(
                    &format!("{app}#{i}"),
                    &worker_args(&base, &redis.url, app, &extra),
                )
            })
            .collect();
        let (mut ok, mut slowest) = (0, 0);
        for worker in workers {
            let name = worker.name.clone();
            let (report, log) = worker.finish(Duration::from_secs(90)).await;
            assert_eq!(report.failed, 0, "{name}: {report:?}\n{log}");
            assert_eq!(report.ok, 250, "{name}: {report:?}\n{log}");
            ok += report.ok;
            slowest = slowest.max(report.elapsed_ms);
        }
        let gettokens = fake.gettoken_count(app);
        println!(
            "FLEET a) {app}: 4 processes x 250 concurrent calls: {ok} succeeded, \
             {gettokens} gettoken in total; slowest process {slowest} ms of calls, {} ms in all",
            ms(started.elapsed())
        );
        assert_eq!(ok, 1000);
        assert_eq!(gettokens, 1, "{app}: one gettoken for the whole fleet");
        // The fleet's token is the one in Redis now, under the key the expired one had.
        let key = store.token_key(&store_key(app, &base));
        let stored: String = redis::cmd("GET").arg(&key).query(&mut con).unwrap();
        assert!(
            stored.contains(TOKEN_PREFIX) && !stored.contains("STALE"),
            "{key}: {stored}"
        );
        let pttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut con).unwrap();
        assert!(
            (7_000_000..=7_200_000).contains(&pttl),
            "the token expires from Redis with the token: {pttl} ms"
        );
    }
    assert_eq!(fake.pings().len(), 2000);
    assert_eq!(
        fake.rejected.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the expired token was never sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_holder_killed_mid_fetch_is_replaced_within_the_lock_ttl() {
    let Some(redis) = RedisServer::start("a_lock_holder_killed_mid_fetch_is_replaced") else {
        return;
    };
    // The first gettoken never gets an answer: its process holds the lock until it dies.
    let (fake, base) = FakeOapi::start(true).await;
    let app = "fleet-b";
    let lock_ttl = Duration::from_secs(2);
    let lock_key = RedisStore::new(&redis.url)
        .unwrap()
        .lock_key(&store_key(app, &base));
    let mut con = redis.connection();
    let extra = [
        ("calls", "20"),
        ("concurrency", "20"),
        ("lock-ttl-ms", "2000"),
        ("poll-ms", "50"),
        ("timeout-ms", "20000"),
    ];
    let args = worker_args(&base, &redis.url, app, &extra);

    let mut a = Worker::spawn("A", &args);
    fake.wait_for_gettoken(app, 1, Duration::from_secs(30))
        .await;
    // A holds the lock: when did it take it?
    let pttl: i64 = redis::cmd("PTTL").arg(&lock_key).query(&mut con).unwrap();
    let checked = Instant::now();
    assert!(
        pttl > 0 && pttl <= 2000,
        "A's lock is in Redis with its TTL: {pttl}"
    );
    let locked_at = checked - (lock_ttl - Duration::from_millis(pttl as u64));

    let mut b = Worker::spawn("B", &args);
    b.wait_event("started", Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fake.gettoken_count(app),
        1,
        "B waits for the lock holder instead of fetching"
    );

    let killed = Instant::now();
    a.kill();
    let second = fake
        .wait_for_gettoken(app, 2, lock_ttl + Duration::from_secs(10))
        .await;
    let from_kill = second - killed;
    let from_lock = second - locked_at;
    println!(
        "FLEET b) lock holder killed (SIGKILL) mid-gettoken: the other process fetched {} ms \
         after the kill, {} ms after the holder took the lock (lock TTL {} ms)",
        ms(from_kill),
        ms(from_lock),
        ms(lock_ttl)
    );
    assert!(
        from_lock <= lock_ttl + Duration::from_millis(500),
        "takeover {from_lock:?} after the lock was taken; its TTL is {lock_ttl:?}"
    );
    assert!(
        from_lock + Duration::from_millis(100) >= lock_ttl,
        "B took the lock {from_lock:?} after A did, before it expired"
    );
    let (report, log) = b.finish(Duration::from_secs(30)).await;
    assert_eq!((report.ok, report.failed), (20, 0), "{report:?}\n{log}");
    assert_eq!(fake.gettoken_count(app), 2);
    assert_eq!(fake.pings().len(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_succeed_when_redis_stops_mid_run() {
    let Some(mut redis) = RedisServer::start("calls_succeed_when_redis_stops_mid_run") else {
        return;
    };
    let (fake, base) = FakeOapi::start(false).await;
    let app = "fleet-c";
    let extra = [
        ("duration-ms", "3000"),
        ("concurrency", "8"),
        ("qps", "200"),
    ];
    let mut worker = Worker::spawn("C", &worker_args(&base, &redis.url, app, &extra));
    worker.wait_event("started", Duration::from_secs(30)).await;
    let waited = Instant::now();
    while fake.pings().len() < 100 {
        assert!(waited.elapsed() < Duration::from_secs(20), "no calls");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The token and the rate limit are in Redis.
    let mut con = redis.connection();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("client-runtime:*")
        .query(&mut con)
        .unwrap();
    let rate_key = format!("client-runtime:rate:{app}:app");
    let token_key = format!("client-runtime:token:{}", store_key(app, &base));
    assert!(
        keys.contains(&rate_key) && keys.contains(&token_key),
        "{keys:?}"
    );

    // Redis goes away; so does the token, so the process must fetch one without the store.
    let killed = Instant::now();
    redis.stop();
    fake.revoke_all();
    let before = fake.pings().iter().filter(|(_, at)| *at < killed).count();

    let (report, log) = worker.finish(Duration::from_secs(30)).await;
    let after = fake.pings().len() - before;
    println!(
        "FLEET c) Redis killed {} ms into a run: {} calls succeeded ({before} before, {after} \
         after), {} failed; gettoken {} (the second without the store)",
        ms(killed - waited),
        report.ok,
        report.failed,
        fake.gettoken_count(app)
    );
    // The log's warnings, without their timestamps and fields: what an operator would see.
    let mut warnings = BTreeMap::<String, usize>::new();
    for line in log.lines().filter(|l| l.contains(" WARN ")) {
        let message = line.split(" WARN ").nth(1).unwrap_or(line);
        let message = message.split(": ").skip(1).collect::<Vec<_>>().join(": ");
        let message = message.split(" error=").next().unwrap_or("").to_owned();
        *warnings.entry(message).or_default() += 1;
    }
    println!("FLEET c) worker warnings: {warnings:#?}");
    assert_eq!(report.failed, 0, "{report:?}\n{log}");
    assert_eq!(report.ok as usize, fake.pings().len());
    assert!(after >= 100, "calls went on after Redis stopped: {after}");
    assert_eq!(fake.gettoken_count(app), 2);
    assert!(
        log.contains("rate-limit store unreachable; limiting this process alone"),
        "{log}"
    );
    assert!(
        log.contains("token store unreachable; fetching the token in this process"),
        "{log}"
    );
    assert!(
        !log.contains(APP_SECRET) && !log.contains(TOKEN_PREFIX),
        "no secret in the log:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_qps_limit_shared_by_four_processes_holds_at_the_server() {
    let Some(redis) = RedisServer::start("a_50_qps_limit_shared_by_four_processes") else {
        return;
    };
    let (fake, base) = FakeOapi::start(false).await;
    let app = "fleet-d";
    const QPS: usize = 50;
    let window = Duration::from_secs(10);
    // Each process calls as fast as 8 tasks can for 10.5 s; the window is the first 10 s from
    // the first call the server sees.
    let extra = [
        ("duration-ms", "10500"),
        ("concurrency", "8"),
        ("qps", "50"),
    ];
    let workers: Vec<Worker> = (0..4)
        .map(|i| {
            Worker::spawn(
                &format!("D#{i}"),
                &worker_args(&base, &redis.url, app, &extra),
            )
        })
        .collect();
    let mut per_process = BTreeMap::new();
    for worker in workers {
        let name = worker.name.clone();
        let (report, log) = worker.finish(Duration::from_secs(60)).await;
        assert_eq!(report.failed, 0, "{name}: {report:?}\n{log}");
        assert!(report.ok > 0, "{name} had its share: {report:?}");
        per_process.insert(report.pid, report.ok);
    }
    let mut times: Vec<Instant> = fake.pings().into_iter().map(|(_, at)| at).collect();
    times.sort();
    let first = times[0];
    let in_window = times.iter().filter(|at| **at - first < window).count();
    let held = in_window as f64 / window.as_secs_f64();
    let mut per_second = vec![0usize; window.as_secs() as usize];
    for at in &times {
        if let Some(n) = per_second.get_mut(((*at - first).as_secs()) as usize) {
            *n += 1;
        }
    }
    println!(
        "FLEET d) {QPS} QPS per app shared by 4 processes through Redis: {in_window} calls in \
         the first {} s = {held:.1} QPS at the server (per second: min {}, max {}); {} calls \
         in all, per process {:?}; gettoken {}",
        window.as_secs(),
        per_second.iter().min().unwrap(),
        per_second.iter().max().unwrap(),
        times.len(),
        per_process.values().collect::<Vec<_>>(),
        fake.gettoken_count(app)
    );
    assert!(
        (45.0..=55.0).contains(&held),
        "{held} QPS held for {QPS} configured"
    );
    assert_eq!(fake.gettoken_count(app), 1);
}

/// The store's operations against a real Redis, one by one.
#[tokio::test]
async fn the_store_keeps_tokens_locks_and_rates_in_redis() {
    let Some(redis) = RedisServer::start("the_store_keeps_tokens_locks_and_rates_in_redis") else {
        return;
    };
    let store = RedisStore::new(&redis.url).unwrap().key_prefix("semantics");
    let mut con = redis.connection();

    // Tokens: absent, then saved with a Redis expiry at the token's expiry.
    assert_eq!(store.load("k").await.unwrap(), None);
    let now = OffsetDateTime::now_utc();
    let at = |ms: i64| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000);
    let token = StoredToken {
        token: Secret::new("TOKEN-1"),
        refresh_at: at(unix_ms(now + time::Duration::minutes(5))).unwrap(),
        expires_at: at(unix_ms(now + time::Duration::minutes(10))).unwrap(),
    };
    store.save("k", &token).await.unwrap();
    assert_eq!(store.load("k").await.unwrap(), Some(token));
    let pttl: i64 = redis::cmd("PTTL")
        .arg("semantics:token:k")
        .query(&mut con)
        .unwrap();
    assert!((590_000..=600_000).contains(&pttl), "{pttl}");

    // An entry the store cannot read is absent, so that the refresher overwrites it.
    let _: () = redis::cmd("SET")
        .arg("semantics:token:garbled")
        .arg("{not json")
        .query(&mut con)
        .unwrap();
    assert_eq!(store.load("garbled").await.unwrap(), None);

    // The lock: one holder; only its id releases it; it expires.
    let held = store
        .try_lock("k", Duration::from_secs(2))
        .await
        .unwrap()
        .expect("a free lock is taken");
    assert_eq!(
        store.try_lock("k", Duration::from_secs(2)).await.unwrap(),
        None
    );
    store.unlock("k", &LockId::random()).await.unwrap();
    assert_eq!(
        store.try_lock("k", Duration::from_secs(2)).await.unwrap(),
        None
    );
    let pttl: i64 = redis::cmd("PTTL")
        .arg("semantics:token:k:lock")
        .query(&mut con)
        .unwrap();
    assert!((1..=2000).contains(&pttl), "{pttl}");
    store.unlock("k", &held).await.unwrap();
    let short = store
        .try_lock("k", Duration::from_millis(100))
        .await
        .unwrap()
        .expect("released");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let next = store.try_lock("k", Duration::from_secs(1)).await.unwrap();
    assert!(
        next.is_some_and(|id| id != short),
        "an expired lock is free"
    );

    // GCRA: 10 per second with a burst of 3.
    let rate = Rate::per_second(10).burst(3);
    for _ in 0..3 {
        assert_eq!(
            store.reserve("r", rate, Duration::ZERO).await.unwrap(),
            Reservation::Granted(Duration::ZERO)
        );
    }
    // The fourth slot is about 100 ms away: refused to a caller who waits 50 ms, and that
    // reserves nothing...
    let Reservation::Refused(wait) = store
        .reserve("r", rate, Duration::from_millis(50))
        .await
        .unwrap()
    else {
        panic!("the fourth call within the burst is refused to an impatient caller")
    };
    assert!(
        wait > Duration::from_millis(50) && wait <= Duration::from_millis(100),
        "{wait:?}"
    );
    // ...so the next caller gets the same slot, and the one after it the slot after that.
    let Reservation::Granted(fourth) = store
        .reserve("r", rate, Duration::from_secs(1))
        .await
        .unwrap()
    else {
        panic!("granted")
    };
    assert!(
        fourth <= wait && fourth > Duration::from_millis(50),
        "{fourth:?}"
    );
    let Reservation::Granted(fifth) = store
        .reserve("r", rate, Duration::from_secs(1))
        .await
        .unwrap()
    else {
        panic!("granted")
    };
    let gap = fifth - fourth;
    assert!(
        gap > Duration::from_millis(90) && gap <= Duration::from_millis(100),
        "{gap:?}"
    );
    let pttl: i64 = redis::cmd("PTTL")
        .arg("semantics:rate:r")
        .query(&mut con)
        .unwrap();
    assert!(
        (1000..=1600).contains(&pttl),
        "the rate state expires soon after use: {pttl}"
    );
}
