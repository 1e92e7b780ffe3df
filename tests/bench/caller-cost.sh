#!/usr/bin/env bash
# What a crate that calls the generated client pays to compile: the runtime's generic call path
# (validate, encode, retries, the attempt, decoding the answer) is compiled in the crate that
# awaits a call, once per endpoint it calls.
#
# For each N: writes N synthetic plain JSON endpoints (`synth-specs --json-only`), generates them
# into a library crate (`codegen generate`, as a crate generating its own client has them), and
# writes a second crate with one `async fn` that awaits a call of every endpoint. Both are built
# in debug with their dependencies already built; then the calling crate is rebuilt from clean
# (its incremental state removed) and timed: wall and peak memory of its rustc
# (`/usr/bin/time`), and the number of functions its library holds (`nm`: the machine code the
# calls instantiated). The generated crate itself is timed too, for scale.
#
# Usage: tests/bench/caller-cost.sh                       (N = 100)
#        COUNTS="50 100" RUNS=3 tests/bench/caller-cost.sh
#        SRC=/path/to/other/checkout tests/bench/caller-cost.sh   (the runtime and generator of
#                       another tree, e.g. `git worktree add /tmp/old <commit>`)
# Environment: COUNTS (default 100), RUNS (timed rebuilds per crate, default 2), SRC (default
# this tree), SCRATCH (default /tmp/caller-cost; everything, its target folder included, goes
# under it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$(cd "${SRC:-$ROOT}" && pwd)
COUNTS=${COUNTS:-100}
RUNS=${RUNS:-2}
SCRATCH=${SCRATCH:-/tmp/caller-cost}
export CARGO_TARGET_DIR=$SCRATCH/target
export CARGO_TERM_COLOR=never

echo "== tools from $SRC"
cargo build -q --release --manifest-path "$SRC/Cargo.toml" -p codegen-cli \
    --target-dir "$SCRATCH/tools"
TOOLS=$SCRATCH/tools/release

# Rebuilds crate $1 (a package of the scratch workspace) from clean $RUNS times: its incremental
# state and outputs removed, dependencies kept. Prints wall seconds and peak MB of each run.
rebuild() {
    local name=$1 i out
    for i in $(seq "$RUNS"); do
        cargo clean -q -p "$name"
        out=$(mktemp)
        /usr/bin/time -o "$out" -f '%e %M' cargo build -q -p "$name"
        awk -v n="$name" '{ printf "%s: %.1f s, %.0f MB\n", n, $1, $2 / 1024 }' "$out"
        rm -f "$out"
    done
}

for n in $COUNTS; do
    ws=$SCRATCH/n$n
    echo "== $n endpoints in $ws"
    rm -rf "$ws"
    mkdir -p "$ws/api/src" "$ws/caller/src"
    "$TOOLS/synth-specs" --count "$n" --json-only --out "$ws/spec" >/dev/null
    "$TOOLS/codegen" generate --spec "$ws/spec" --out "$ws/api/src" >/dev/null
    cp "$SRC/Cargo.lock" "$ws/"
    cat >"$ws/Cargo.toml" <<EOF
[workspace]
members = ["api", "caller"]
resolver = "2"
EOF
    # Generated code of trees before the runtime's `validate::Pattern` names `regex`.
    regex=""
    grep -rq '::regex::' "$ws/api/src" && regex='regex = "1"'
    cat >"$ws/api/Cargo.toml" <<EOF
[package]
name = "api"
version = "0.1.0"
edition = "2021"

[dependencies]
client-runtime = { path = "$SRC/generated-client/runtime" }
serde = { version = "1", features = ["derive"] }
$regex

[features]
# Generated code derives serde's other direction behind this feature (off here).
serde-both = []
EOF
    cat >"$ws/caller/Cargo.toml" <<EOF
[package]
name = "caller"
version = "0.1.0"
edition = "2021"

[dependencies]
api = { path = "../api" }
EOF
    # One field per endpoint holding its request, and one call of each.
    calls=$(grep -h -A3 "    pub fn [a-z_0-9]*<'a>(" "$ws"/api/src/dingtalk/*.rs |
        grep -E "pub fn|request:" | paste - - |
        sed -E "s/.*pub fn ([a-z_0-9]+)<'a>\(.*request: &'a ([A-Za-z0-9]+),.*/\1 \2/")
    {
        echo "//! Awaits one call of every endpoint of \`api\`."
        echo "use api::dingtalk::*;"
        echo "pub struct Requests {"
        while read -r method ty; do echo "    pub $method: $method::$ty,"; done <<<"$calls"
        echo "}"
        echo "pub async fn call_all(client: &DingTalkClient, r: &Requests) -> usize {"
        echo "    let mut ok = 0;"
        while read -r method _; do
            echo "    ok += usize::from(client.$method(&r.$method).await.is_ok());"
        done <<<"$calls"
        echo "    ok"
        echo "}"
    } >"$ws/caller/src/lib.rs"
    echo "calls: $(wc -l <<<"$calls")"
    (cd "$ws" && cargo build -q -p caller)
    (cd "$ws" && rebuild api && rebuild caller)
    lib=$(ls -t "$CARGO_TARGET_DIR"/debug/deps/libcaller-*.rlib | head -n1)
    echo "functions in the caller's library: $(nm "$lib" 2>/dev/null | grep -c ' [tT] ')"
done
