//! Instruction counting of request preparation: `prepare_count WHICH N` prepares one request N
//! times along one path, for callgrind (tests/bench/prepare-instructions.sh runs it with N = 0 and
//! N = 1000 and divides the difference by 1000). WHICH is `ENDPOINT-SIDE`: ENDPOINT one of
//! `period` (oapi), `pool` (oapi, nested lists), `ext` (TOP, hmac-sha256), `classin`; SIDE
//! `client` (what the clients do) or `base` (the hand-written baseline), as in the `prepare`
//! bench, whose functions these are (`common::prepare`).
//!
//! Arguments starting with `--` are ignored (`cargo bench` passes `--bench`), and with no WHICH
//! the program does nothing, so `cargo bench` runs it harmlessly.

use std::hint::black_box;
use std::process::ExitCode;

mod common;
use common::prepare::{
    baseline_classin, baseline_json, baseline_top, prepare_classin, prepare_oapi, prepare_top,
};
use common::{classin_request, ext_request, period_request, pool_request};

const USAGE: &str = "usage: prepare_count {period|pool|ext|classin}-{client|base} N";

/// Runs `prepare` N times, keeping each result alive to the end of its iteration.
fn repeat(n: usize, prepare: impl Fn() -> usize) -> usize {
    (0..n).map(|_| black_box(prepare())).sum()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (which, n) = match args.as_slice() {
        [] => return ExitCode::SUCCESS,
        [which, n] => match n.parse::<usize>() {
            Ok(n) => (which.as_str(), n),
            Err(_) => {
                eprintln!("{USAGE}\nN is not a count: {n}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };

    // Every path builds all four requests, so the N = 0 run subtracts the same setup.
    let p = period_request();
    let b = pool_request();
    let e = ext_request();
    let r = classin_request();
    let total = match which {
        "period-client" => repeat(n, || prepare_oapi(black_box(&p)).len()),
        "period-base" => repeat(n, || baseline_json(black_box(&p)).len()),
        "pool-client" => repeat(n, || prepare_oapi(black_box(&b)).len()),
        "pool-base" => repeat(n, || baseline_json(black_box(&b)).len()),
        "ext-client" => repeat(n, || {
            let (body, query) = prepare_top(black_box(&e));
            body.len() + query.len()
        }),
        "ext-base" => repeat(n, || baseline_top(black_box(&e.contact)).len()),
        "classin-client" => repeat(n, || prepare_classin(black_box(&r)).len()),
        "classin-base" => repeat(n, || baseline_classin(black_box(&r)).len()),
        _ => {
            eprintln!("{USAGE}\nunknown WHICH: {which}");
            return ExitCode::from(2);
        }
    };
    println!("{total}");
    ExitCode::SUCCESS
}
