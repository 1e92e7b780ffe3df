//! A whole call on loopback, through the generated client, beside bare reqwest making the same
//! request: one local HTTP server (axum on 127.0.0.1) answers the vendor's success envelope to
//! both. The bare side builds the same body by hand (serde_json, serde_urlencoded, md-5), sends
//! the same headers, and reads the same answer into a plain `#[derive(Deserialize)]` mirror
//! after checking the envelope's code, under the same time limit the client sets. One tokio
//! runtime, one `reqwest::Client` per side, connections kept alive.
//!
//! The two sides are measured in alternation, not one after the other: each round makes
//! [`PER_ROUND`] calls through one side, then as many through the other, the order swapped every
//! round. On a small shared machine a whole call's time drifts by more than the difference being
//! measured (the side measured first came out up to 20% slower, whichever it was), and the drift
//! then falls on both sides alike. Reported: each side's median time per call over the rounds,
//! and the median and quartiles of the per-round ratio.
//!
//! `cargo bench -p generated-client --bench call` (`CALL_ROUNDS=N` sets the rounds, 400 by
//! default; `-- --test` times nothing: it makes one call through each side and each rung of the
//! ladder below, and checks that all get the same answer).
//!
//! `CALL_RUNTIME=current-thread` runs both sides, their connections and (unless `CALL_SERVER`
//! moves it) the server on one thread (a tokio current-thread runtime) instead of the default
//! multi-thread runtime with two workers: no work moves between cores, and the per-round ratio
//! spreads far less.
//!
//! `CALL_SERVER=own-thread` runs the server on a thread and a current-thread runtime of its own
//! instead of the bench's runtime, as a vendor's server is never in the caller's process: its
//! code and data no longer share the calling thread's caches, and each answer wakes the caller
//! from another thread. That wake-up makes both sides' calls slower by the same tens of
//! microseconds, so the ratio narrows while the client's extra time stays what it was (see
//! BENCHMARKS.md); with the default two workers it also makes three busy threads on a two-core
//! machine.
//!
//! `CALL_LADDER` set (to anything) times a ladder instead of the two sides: bare reqwest, then
//! bare reqwest with one more of the client's steps at each rung (the answer read by the
//! runtime's envelope reader instead of a plain mirror, then the request validated first, then
//! the call and the attempt in spans as the client makes them), and the client itself, in one
//! process, the side that goes first moving on by one every round; each rung's rounds are
//! divided by bare reqwest's. The rungs share bare reqwest's `reqwest::Client`. What the last
//! rung adds over the one before is the rest of the runtime's course: options, token, URL,
//! request, body read, the boxed call and its layers, the redactor, the reply.
//!
//! For a profiler, `CALL_PROFILE=oapi-client` (or `oapi-bare`, `classin-client`,
//! `classin-bare`) makes `CALL_N` calls (2,000 by default) through that side alone and times
//! nothing. Run twice with different `CALL_N` under `valgrind --tool=callgrind` (or cachegrind),
//! the difference of the two counts divided by the difference of calls is one call's cost, set-up
//! and warm-up excluded.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;
use generated_client::classin::{add_course_student_multiple as classin, ClassInClient};
use generated_client::dingtalk::{edu_period_create as period, DingTalkClient};
use generated_client::runtime;
use generated_client::runtime::envelope::{read_classin, read_oapi};
use generated_client::runtime::redact::Redactor;
use generated_client::runtime::{UndocumentedCode, Validate};
use md5::{Digest, Md5};
use serde::Deserialize;
use std::hint::black_box;
use tracing::Instrument;

mod common;
use common::{classin_request, period_request, PlainClassInItem, PlainPeriodResult};

const TOKEN: &str = "access-token";
const SID: &str = "2339736";
const SECRET: &str = "classin-secret";
const JSON: &str = "application/json;charset=UTF-8";
const FORM: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// The time limit of each bare request: the generated client bounds every call by its
/// timeout (30 s unless configured), and a tokio timer per request is part of that cost.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Calls through one side in a round.
const PER_ROUND: u32 = 25;
/// Calls through each side before anything is timed.
const WARM_UP: u32 = 500;

/// The oapi answer: a created period with 12 grades.
static PERIOD_ANSWER: LazyLock<String> = LazyLock::new(|| {
    let grades: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"campus_id":415999016,"dept_id":4159980{i:02},"grade":{i},"name":"{i}年级2020级","super_id":415999017}}"#
            )
        })
        .collect();
    format!(
        r#"{{"result":{{"deptId":415999017,"grades":[{}]}},"success":true,"errcode":0,"errmsg":"ok","request_id":"4kdp3wq1e2"}}"#,
        grades.join(",")
    )
});

/// The ClassIn answer: 20 per-account results.
static CLASSIN_ANSWER: LazyLock<String> = LazyLock::new(|| {
    let items: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"customColumn":"{}","errno":1,"error":"程序正常执行"}}"#,
                123 + i
            )
        })
        .collect();
    format!(
        r#"{{"data":[{}],"error_info":{{"errno":1,"error":"程序正常执行"}}}}"#,
        items.join(",")
    )
});

/// The server both sides call, on `rt` or, with `CALL_SERVER=own-thread`, on a thread and
/// runtime of its own.
fn serve(rt: &tokio::runtime::Runtime) -> SocketAddr {
    match std::env::var("CALL_SERVER") {
        Err(std::env::VarError::NotPresent) => return serve_on(rt),
        Ok(mode) if mode == "shared" => return serve_on(rt),
        Ok(mode) if mode == "own-thread" => {}
        Ok(other) => panic!("CALL_SERVER is shared (the default) or own-thread, not {other}"),
        Err(e) => panic!("CALL_SERVER is shared (the default) or own-thread: {e}"),
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        tx.send(serve_on(&rt))
            .expect("the bench waits for the address");
        // The server task runs for as long as the thread's runtime is driven: to the end.
        rt.block_on(std::future::pending::<()>());
    });
    rx.recv()
        .expect("the server thread failed before it could answer (see its panic above)")
}

/// The server on `rt`; it reads each request body whole before answering.
fn serve_on(rt: &tokio::runtime::Runtime) -> SocketAddr {
    rt.block_on(async {
        let app = Router::new()
            .route(
                "/topapi/edu/period/create",
                post(|_: Bytes| async { ([(CONTENT_TYPE, JSON)], PERIOD_ANSWER.as_str()) }),
            )
            .route(
                "/partner/api/course.api.php",
                post(|_: Bytes| async { ([(CONTENT_TYPE, JSON)], CLASSIN_ANSWER.as_str()) }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds a loopback port");
        let addr = listener.local_addr().expect("has an address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        addr
    })
}

// ---- plain mirrors of the answers ----

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPeriodAnswer {
    errcode: i64,
    errmsg: Option<String>,
    request_id: Option<String>,
    result: Option<PlainPeriodResult>,
    success: Option<bool>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainClassInAnswer {
    data: Option<Vec<PlainClassInItem>>,
    error_info: PlainErrorInfo,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainErrorInfo {
    errno: i64,
    error: Option<String>,
}

// ---- bare reqwest ----

async fn bare_period(
    http: &reqwest::Client,
    url: &str,
    request: &period::EduPeriodCreateRequest,
) -> PlainPeriodAnswer {
    let body = serde_json::to_vec(request).expect("serializes");
    let answer = http
        .post(url)
        .header(CONTENT_TYPE, JSON)
        .body(body)
        .timeout(TIMEOUT)
        .send()
        .await
        .expect("answers");
    let bytes = answer.bytes().await.expect("reads");
    let answer: PlainPeriodAnswer = serde_json::from_slice(&bytes).expect("decodes");
    assert_eq!(answer.errcode, 0);
    answer
}

// ---- the ladder: bare reqwest with the client's steps added one at a time ----

/// How much of the client's work a ladder rung adds to bare reqwest; each rung includes the ones
/// before it.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Rung {
    /// The answer read by the runtime's envelope reader (`read_oapi`, `read_classin`) into the
    /// generated response type, instead of a plain mirror.
    Envelope,
    /// The request validated before it is encoded.
    Validated,
    /// The call and its attempt in spans, as the client makes them (no subscriber installed).
    Spanned,
}

impl Rung {
    const ALL: [Rung; 3] = [Rung::Envelope, Rung::Validated, Rung::Spanned];

    fn name(self) -> &'static str {
        match self {
            Rung::Envelope => "+ envelope reader",
            Rung::Validated => "+ validation",
            Rung::Spanned => "+ spans",
        }
    }

    /// The call's span and the attempt's, or none below [`Rung::Spanned`] (entered all the same,
    /// which costs nothing measurable).
    fn spans(self, api: &'static str) -> (tracing::Span, tracing::Span) {
        if self < Rung::Spanned {
            return (tracing::Span::none(), tracing::Span::none());
        }
        let call = tracing::info_span!(
            "api_call",
            api,
            protocol = "ladder",
            client_request_id = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let attempt = tracing::info_span!(parent: &call, "attempt", attempt = 1u32);
        (call, attempt)
    }
}

/// [`bare_period`] with the client's steps up to `rung`.
async fn period_rung(
    rung: Rung,
    http: &reqwest::Client,
    url: &str,
    request: &period::EduPeriodCreateRequest,
) -> period::EduPeriodCreateResponse {
    let (call, attempt) = rung.spans("dingtalk.edu_period_create");
    async {
        if rung >= Rung::Validated {
            black_box(request.validate().expect("valid"));
        }
        let body = serde_json::to_vec(request).expect("serializes");
        let answer = http
            .post(url)
            .header(CONTENT_TYPE, JSON)
            .body(body)
            .timeout(TIMEOUT)
            .send()
            .instrument(attempt)
            .await
            .expect("answers");
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.expect("reads");
        read_oapi::<_, UndocumentedCode>(status, &bytes, &Redactor::new(&[TOKEN]))
            .expect("decodes")
            .response
    }
    .instrument(call)
    .await
}

/// [`bare_classin`] with the client's steps up to `rung`.
async fn classin_rung(
    rung: Rung,
    http: &reqwest::Client,
    url: &str,
    request: &classin::AddCourseStudentMultipleRequest,
) -> classin::AddCourseStudentMultipleResponse {
    let (call, attempt) = rung.spans("classin.add_course_student_multiple");
    async {
        if rung >= Rung::Validated {
            black_box(request.validate().expect("valid"));
        }
        let body = classin_body(request);
        let answer = http
            .post(url)
            .header(CONTENT_TYPE, FORM)
            .body(body)
            .timeout(TIMEOUT)
            .send()
            .instrument(attempt)
            .await
            .expect("answers");
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.expect("reads");
        read_classin::<_, classin::AddCourseStudentMultipleErrorCode>(
            status,
            &bytes,
            &Redactor::new(&[SECRET]),
        )
        .expect("decodes")
        .response
    }
    .instrument(call)
    .await
}

async fn bare_classin(
    http: &reqwest::Client,
    url: &str,
    request: &classin::AddCourseStudentMultipleRequest,
) -> PlainClassInAnswer {
    let body = classin_body(request);
    let answer = http
        .post(url)
        .header(CONTENT_TYPE, FORM)
        .body(body)
        .timeout(TIMEOUT)
        .send()
        .await
        .expect("answers");
    let bytes = answer.bytes().await.expect("reads");
    let answer: PlainClassInAnswer = serde_json::from_slice(&bytes).expect("decodes");
    assert_eq!(answer.error_info.errno, 1);
    answer
}

/// ClassIn's form body for `request`, signed now, built by hand.
fn classin_body(request: &classin::AddCourseStudentMultipleRequest) -> String {
    let time_stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    let key = hex::encode(Md5::digest(format!("{SECRET}{time_stamp}").as_bytes()));
    let students = serde_json::to_string(&request.student_json).expect("serializes");
    let course = request.course_id.to_string();
    let identity = request.identity.value().to_string();
    serde_urlencoded::to_string([
        ("SID", SID),
        ("safeKey", key.as_str()),
        ("timeStamp", time_stamp.as_str()),
        ("courseId", course.as_str()),
        ("identity", identity.as_str()),
        ("studentJson", students.as_str()),
    ])
    .expect("encodes")
}

/// Each side's time per call, round by round.
struct Rounds {
    client: Vec<Duration>,
    bare: Vec<Duration>,
}

/// Times `rounds` rounds of [`PER_ROUND`] calls through each side, alternating which goes first.
fn alternate<C, CF, B, BF>(
    rt: &tokio::runtime::Runtime,
    rounds: usize,
    mut client: C,
    mut bare: B,
) -> Rounds
where
    C: FnMut() -> CF,
    CF: Future,
    B: FnMut() -> BF,
    BF: Future,
{
    let mut client = || {
        black_box(rt.block_on(client()));
    };
    let mut bare = || {
        black_box(rt.block_on(bare()));
    };
    let [client, bare] = rotate(rounds, &mut [&mut client, &mut bare]);
    Rounds { client, bare }
}

/// Times `rounds` rounds of [`PER_ROUND`] calls through each of `sides`, the side that goes
/// first moving on by one every round (with two sides: alternating). Each side's time per call,
/// round by round.
fn rotate<const N: usize>(rounds: usize, sides: &mut [&mut dyn FnMut(); N]) -> [Vec<Duration>; N] {
    for side in sides.iter_mut() {
        per_call(*side, WARM_UP);
    }
    let mut out: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    for round in 0..rounds {
        for turn in 0..N {
            let side = (round + turn) % N;
            out[side].push(per_call(sides[side], PER_ROUND));
        }
    }
    out
}

/// The time per call of `n` calls.
fn per_call(call: &mut dyn FnMut(), n: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        call();
    }
    start.elapsed() / n
}

/// The value at `q` (0 to 1) of sorted `values`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn report(name: &str, rounds: &Rounds) {
    let micros = |d: &[Duration]| sorted(d.iter().map(|d| d.as_secs_f64() * 1e6).collect());
    let client = micros(&rounds.client);
    let bare = micros(&rounds.bare);
    let ratios = sorted(
        rounds
            .client
            .iter()
            .zip(&rounds.bare)
            .map(|(c, b)| c.as_secs_f64() / b.as_secs_f64())
            .collect(),
    );
    println!(
        "{name}: client {:.1} µs, bare reqwest {:.1} µs per call (medians of {} rounds of {PER_ROUND}); \
         ratio median {:.3}, quartiles {:.3}-{:.3}",
        quantile(&client, 0.5),
        quantile(&bare, 0.5),
        ratios.len(),
        quantile(&ratios, 0.5),
        quantile(&ratios, 0.25),
        quantile(&ratios, 0.75),
    );
}

/// The ladder's report: each rung's median time per call and its per-round ratio to bare
/// reqwest (`times[0]`).
fn report_ladder(name: &str, names: &[&str], times: &[Vec<Duration>]) {
    println!(
        "{name}, ladder (medians of {} rounds of {PER_ROUND}):",
        times[0].len()
    );
    for (rung, rounds) in names.iter().zip(times) {
        let micros = sorted(rounds.iter().map(|d| d.as_secs_f64() * 1e6).collect());
        let ratios = sorted(
            rounds
                .iter()
                .zip(&times[0])
                .map(|(r, b)| r.as_secs_f64() / b.as_secs_f64())
                .collect(),
        );
        println!(
            "  {rung:<22} {:6.1} µs  ratio {:.3} ({:.3}-{:.3})",
            quantile(&micros, 0.5),
            quantile(&ratios, 0.5),
            quantile(&ratios, 0.25),
            quantile(&ratios, 0.75),
        );
    }
}

fn main() {
    let test = std::env::args().any(|a| a == "--test");
    let rounds = match std::env::var("CALL_ROUNDS") {
        Ok(n) => n
            .parse()
            .ok()
            .filter(|&n: &usize| n > 0)
            .expect("CALL_ROUNDS is a number of rounds, at least 1"),
        Err(_) => 400,
    };
    let rt = match std::env::var("CALL_RUNTIME").as_deref() {
        Ok("current-thread") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime"),
        Ok(other) if other != "multi-thread" => {
            panic!("CALL_RUNTIME is multi-thread (the default) or current-thread, not {other}")
        }
        _ => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime"),
    };
    let addr = serve(&rt);
    let base = format!("http://{addr}");

    let dingtalk = DingTalkClient::new(
        runtime::dingtalk::DingTalkClient::builder()
            .access_token(TOKEN)
            .oapi_base_url(&base)
            .build()
            .expect("configures"),
    );
    let school = ClassInClient::new(
        runtime::classin::ClassInClient::builder(SID, SECRET)
            .base_url(&base)
            .build()
            .expect("configures"),
    );
    let bare = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(runtime::http::USER_AGENT)
        .build()
        .expect("builds");
    let period_url = format!("{base}/topapi/edu/period/create?access_token={TOKEN}");
    let classin_url = format!("{base}/partner/api/course.api.php?action=addCourseStudentMultiple");

    let p = period_request();
    let r = classin_request();

    // Both sides, and every rung of the ladder, get the same answers before anything is timed.
    let generated = rt
        .block_on(dingtalk.edu_period_create(&p).into_future())
        .expect("succeeds");
    let plain = rt.block_on(bare_period(&bare, &period_url, &p));
    let grades = generated.result.and_then(|r| r.grades).map(|g| g.len());
    assert_eq!(grades, plain.result.and_then(|r| r.grades).map(|g| g.len()));
    let generated = rt
        .block_on(school.add_course_student_multiple(&r).into_future())
        .expect("succeeds");
    let plain = rt.block_on(bare_classin(&bare, &classin_url, &r));
    let items = generated.data.map(|d| d.len());
    assert_eq!(items, plain.data.map(|d| d.len()));
    for rung in Rung::ALL {
        let answer = rt.block_on(period_rung(rung, &bare, &period_url, &p));
        assert_eq!(
            answer.result.and_then(|r| r.grades).map(|g| g.len()),
            grades
        );
        let answer = rt.block_on(classin_rung(rung, &bare, &classin_url, &r));
        assert_eq!(answer.data.map(|d| d.len()), items);
    }
    if let Ok(side) = std::env::var("CALL_PROFILE") {
        // One side alone, untimed, for a profiler (see the module documentation).
        let calls: u32 = std::env::var("CALL_N")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2000);
        for _ in 0..calls {
            match side.as_str() {
                "oapi-client" => {
                    let call = dingtalk.edu_period_create(black_box(&p)).into_future();
                    black_box(rt.block_on(call).expect("succeeds"));
                }
                "oapi-bare" => {
                    black_box(rt.block_on(bare_period(&bare, &period_url, black_box(&p))));
                }
                "classin-client" => {
                    let call = school.add_course_student_multiple(black_box(&r)).into_future();
                    black_box(rt.block_on(call).expect("succeeds"));
                }
                "classin-bare" => {
                    black_box(rt.block_on(bare_classin(&bare, &classin_url, black_box(&r))));
                }
                other => panic!(
                    "CALL_PROFILE is oapi-client, oapi-bare, classin-client or classin-bare, not {other}"
                ),
            }
        }
        return;
    }
    if test {
        println!("call: both sides and every rung of the ladder answer alike");
        return;
    }
    // The state each side's call carries and moves as it runs (the client's boxed by `Call`).
    let client_call = dingtalk.edu_period_create(&p).into_future();
    let school_call = school.add_course_student_multiple(&r).into_future();
    println!(
        "future of a call: oapi {} bytes through the client, {} bare; ClassIn {} and {}",
        size_of_val(&*client_call),
        size_of_val(&bare_period(&bare, &period_url, &p)),
        size_of_val(&*school_call),
        size_of_val(&bare_classin(&bare, &classin_url, &r)),
    );
    drop((client_call, school_call));

    if std::env::var_os("CALL_LADDER").is_some() {
        ladder(
            &rt,
            rounds,
            &dingtalk,
            &school,
            &bare,
            &period_url,
            &classin_url,
        );
        return;
    }

    let period = alternate(
        &rt,
        rounds,
        || async {
            dingtalk
                .edu_period_create(black_box(&p))
                .await
                .expect("succeeds")
        },
        || bare_period(&bare, &period_url, black_box(&p)),
    );
    report("edu_period_create (oapi, loopback)", &period);
    let classin = alternate(
        &rt,
        rounds,
        || async {
            school
                .add_course_student_multiple(black_box(&r))
                .await
                .expect("succeeds")
        },
        || bare_classin(&bare, &classin_url, black_box(&r)),
    );
    report("add_course_student_multiple (ClassIn, loopback)", &classin);
}

/// The ladder (`CALL_LADDER=1`): bare reqwest, each [`Rung`], and the client, for both vendors.
fn ladder(
    rt: &tokio::runtime::Runtime,
    rounds: usize,
    dingtalk: &DingTalkClient,
    school: &ClassInClient,
    bare: &reqwest::Client,
    period_url: &str,
    classin_url: &str,
) {
    let (p, r) = (&period_request(), &classin_request());
    climb(
        "edu_period_create (oapi, loopback)",
        rounds,
        &mut || {
            black_box(rt.block_on(bare_period(bare, period_url, black_box(p))));
        },
        |rung| {
            move || {
                black_box(rt.block_on(period_rung(rung, bare, period_url, black_box(p))));
            }
        },
        &mut || {
            black_box(
                rt.block_on(dingtalk.edu_period_create(black_box(p)).into_future())
                    .expect("succeeds"),
            );
        },
    );
    climb(
        "add_course_student_multiple (ClassIn, loopback)",
        rounds,
        &mut || {
            black_box(rt.block_on(bare_classin(bare, classin_url, black_box(r))));
        },
        |rung| {
            move || {
                black_box(rt.block_on(classin_rung(rung, bare, classin_url, black_box(r))));
            }
        },
        &mut || {
            black_box(
                rt.block_on(
                    school
                        .add_course_student_multiple(black_box(r))
                        .into_future(),
                )
                .expect("succeeds"),
            );
        },
    );
}

/// One vendor's ladder: `bare`, each [`Rung`] made by `at`, and `client`, rotated and reported.
fn climb<F: FnMut()>(
    name: &str,
    rounds: usize,
    bare: &mut dyn FnMut(),
    at: impl Fn(Rung) -> F,
    client: &mut dyn FnMut(),
) {
    let [mut envelope, mut validated, mut spanned] = Rung::ALL.map(at);
    let times = rotate(
        rounds,
        &mut [bare, &mut envelope, &mut validated, &mut spanned, client],
    );
    let [envelope, validated, spanned] = Rung::ALL.map(Rung::name);
    let names = ["bare reqwest", envelope, validated, spanned, "client"];
    report_ladder(name, &names, &times);
}
