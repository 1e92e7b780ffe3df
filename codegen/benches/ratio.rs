//! Generation against reading: the whole generation of N synthetic endpoints (read, check,
//! lower, emit with a build script's defaults) beside serde_yaml alone parsing the same files,
//! timed in alternating rounds, and the median of the rounds' ratios.
//!
//! Each round times both sides back to back, so a slow stretch of a shared machine slows both;
//! timing one side for seconds and then the other (as the `generate` bench does) lets such a
//! stretch decide the ratio.
//!
//! `cargo bench -p codegen --bench ratio` (`RATIO_ENDPOINTS=N` sets the endpoints, 1,000 by
//! default; `RATIO_ROUNDS=N` the rounds, 15 by default; `RATIO_VERBOSE=1` prints every round).
//! `-- --test` runs one round of 4 endpoints and reports no figures, checking both sides run.

use std::hint::black_box;
use std::time::{Duration, Instant};

use codegen::load::Source;
use codegen::{Format, Layout, Options};

// The allocator a build script generates with (generated-client/build.rs, README), so the
// figure is generation as a build script runs it; serde_yaml runs with it too. The `generate`
// bench keeps the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .ok()
            .filter(|&n| n >= 1)
            .unwrap_or_else(|| panic!("{name}={v}: write a whole number of at least 1")),
        Err(_) => default,
    }
}

fn parse_yaml(sources: &[Source]) -> Duration {
    let start = Instant::now();
    for s in sources {
        black_box(serde_yaml::from_str::<serde_yaml::Value>(&s.text).expect("the specs are YAML"));
    }
    start.elapsed()
}

fn generate(sources: &[Source]) -> Duration {
    let owned = sources.to_vec();
    let options = Options {
        format: Format::Fast,
        ..Options::from(Layout::OutDir)
    };
    let start = Instant::now();
    let out = codegen::generate_sources(owned, options).expect("the specs generate");
    let took = start.elapsed();
    drop(black_box(out));
    took
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn main() {
    let test = std::env::args().any(|a| a == "--test");
    let (endpoints, rounds) = if test {
        (4, 1)
    } else {
        (
            env_number("RATIO_ENDPOINTS", 1000),
            env_number("RATIO_ROUNDS", 15),
        )
    };
    let sources = codegen::synth::sources(endpoints);
    // One round unmeasured: page faults and the allocator's first growth.
    parse_yaml(&sources);
    generate(&sources);
    let (mut yaml, mut gen, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // The side that goes first alternates, so neither always runs on a warmer cache.
        let (y, g) = if round % 2 == 0 {
            let y = parse_yaml(&sources);
            (y, generate(&sources))
        } else {
            let g = generate(&sources);
            (parse_yaml(&sources), g)
        };
        let (y, g) = (y.as_secs_f64(), g.as_secs_f64());
        if std::env::var_os("RATIO_VERBOSE").is_some() {
            println!(
                "round {round}: serde_yaml {:.0} ms, generation {:.0} ms",
                y * 1e3,
                g * 1e3
            );
        }
        yaml.push(y);
        gen.push(g);
        ratios.push(g / y);
    }
    if test {
        println!("ratio: both sides ran on {endpoints} endpoints");
        return;
    }
    let (lo, hi) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    println!(
        "generation/{endpoints}: serde_yaml {:.0} ms, generation {:.0} ms (medians of {rounds} rounds)",
        median(yaml) * 1e3,
        median(gen) * 1e3
    );
    println!(
        "ratio: median {:.2}, rounds from {lo:.2} to {hi:.2}",
        median(ratios)
    );
}
