#!/usr/bin/env bash
# Compile cost of the generated crate at scale.
#
# Copies the generator, the runtime and the generated-client crate into a scratch workspace,
# replaces its spec/ with N synthetic endpoints (codegen-cli's `synth-specs`), and for each N times:
#   - a build of generated-client (debug) from clean: dependencies already built, the build
#     script and the crate itself from nothing;
#   - a rebuild after touching one spec (mtime only: the build script reruns, no file changes);
#   - a rebuild after editing one spec (one endpoint's title changes);
#   - with VENDORS=1, a build from clean of each vendor alone (`--no-default-features
#     --features <vendor>`), what a user of one vendor pays: the crate's own seconds are the
#     figure, since the wall clock also rebuilds the build script for the new feature set;
# and counts the lines generated into OUT_DIR. With EXPAND=1 it also counts the lines after macro
# expansion (nightly-only rustc flag, enabled through RUSTC_BOOTSTRAP) to show the derive volume.
#
# Usage: tests/bench/compile-cost.sh            (N = 100 and 1000)
#        COUNTS="10 100" EXPAND=1 VENDORS=1 tests/bench/compile-cost.sh
# Environment: SCRATCH (default /tmp/compile-cost), CARGO_TARGET_DIR (default $SCRATCH/target).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNTS=${COUNTS:-"100 1000"}
SCRATCH=${SCRATCH:-/tmp/compile-cost}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$SCRATCH/target}
export CARGO_TERM_COLOR=never
WS=$SCRATCH/ws

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Seconds the last `cargo build --timings` spent running generated-client's build script and
# compiling the crate, read from Cargo's timing report.
timings() {
    local report
    report=$(ls -t "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-*.html | head -n1)
    python3 - "$report" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
units = [u for u in json.loads(m.group(1)) if u["name"] == "generated-client"] if m else []
run = sum(u["duration"] for u in units if u["mode"] == "run-custom-build")
lib = sum(u["duration"] for u in units if u["target"].strip() in ("", "lib"))
print(f"{run:.1f} {lib:.1f}")
PY
}

generated_stats() {
    local out
    out=$(ls -td "$CARGO_TARGET_DIR"/debug/build/generated-client-*/out | head -n1)
    local files lines bytes
    files=$(find "$out" -name '*.rs' | wc -l)
    lines=$(find "$out" -name '*.rs' -print0 | xargs -0 cat | wc -l)
    bytes=$(find "$out" -name '*.rs' -print0 | xargs -0 cat | wc -c)
    echo "$files $lines $bytes"
}

echo "== scratch workspace in $WS (target: $CARGO_TARGET_DIR)"
rm -rf "$WS"
mkdir -p "$WS"
cp "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$WS/"
sed -i 's/^members = .*/members = ["codegen", "codegen\/cli", "generated-client", "generated-client\/runtime"]/' "$WS/Cargo.toml"
sed -i '/^exclude = /d' "$WS/Cargo.toml"
cp -r "$ROOT/codegen" "$WS/"
rm -rf "$WS/codegen/fuzz" "$WS/codegen/target"
cp -r "$ROOT/generated-client" "$WS/"
rm -rf "$WS/generated-client/target" "$WS/generated-client/runtime/target"
cp -r "$ROOT/spec" "$WS/spec"
cd "$WS"

echo "== dependencies, the generator and the client for the project's own specs"
t0=$(now)
cargo build -q -p codegen-cli --bin synth-specs
cargo build -q -p generated-client
t1=$(now)
echo "dependencies, generator and client for spec/: $(elapsed "$t0" "$t1") s (everything only when the target folder was empty)"
read -r files lines bytes <<<"$(generated_stats)"
cargo clean -q -p generated-client
t0=$(now)
cargo build -q -p generated-client --timings 2>/dev/null
t1=$(now)
read -r run lib <<<"$(timings)"
rows="| spec/ (4 endpoints) | $files | $lines | $bytes | $(elapsed "$t0" "$t1") | $run | $lib | | |"

SYNTH="$CARGO_TARGET_DIR/debug/synth-specs"
for n in $COUNTS; do
    echo "== $n synthetic endpoints"
    rm -rf spec
    "$SYNTH" --count "$n" --out spec
    cargo clean -q -p generated-client
    t0=$(now)
    cargo build -q -p generated-client --timings 2>/dev/null
    t1=$(now)
    clean=$(elapsed "$t0" "$t1")
    read -r run lib <<<"$(timings)"
    read -r files lines bytes <<<"$(generated_stats)"
    echo "clean build: $clean s (build script $run s, crate $lib s); $files files, $lines lines, $bytes bytes"

    one=$(ls spec/dingtalk/*_0000.yaml | head -n1)
    touch "$one"
    t0=$(now)
    cargo build -q -p generated-client
    t1=$(now)
    touched=$(elapsed "$t0" "$t1")
    echo "after touching $one: $touched s"

    sed -i 's/^title: "\(.*\)"$/title: "\1 (edited)"/' "$one"
    t0=$(now)
    cargo build -q -p generated-client
    t1=$(now)
    edited=$(elapsed "$t0" "$t1")
    echo "after editing $one: $edited s"

    rows="$rows
| $n synthetic | $files | $lines | $bytes | $clean | $run | $lib | $touched | $edited |"

    if [ "${EXPAND:-0}" = 1 ]; then
        expanded=$(RUSTC_BOOTSTRAP=1 cargo rustc -q -p generated-client --lib --profile check -- \
            -Zunpretty=expanded 2>/dev/null | wc -l)
        echo "after macro expansion: $expanded lines"
    fi

    if [ "${VENDORS:-0}" = 1 ]; then
        for vendor in dingtalk classin; do
            endpoints=$(find "spec/$vendor" -name '*.yaml' ! -name common.yaml | wc -l)
            cargo clean -q -p generated-client
            t0=$(now)
            cargo build -q -p generated-client --no-default-features --features "$vendor" \
                --timings 2>/dev/null
            t1=$(now)
            read -r run lib <<<"$(timings)"
            echo "$vendor alone ($endpoints endpoints), from clean: $(elapsed "$t0" "$t1") s" \
                "(build script $run s, crate $lib s)"
        done
    fi
done

echo
echo "| specs | files | lines generated | bytes | clean build (s) | build script (s) | crate (s) | after touching one spec (s) | after editing one spec (s) |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "$rows"
