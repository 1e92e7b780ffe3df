#!/usr/bin/env bash
# This project's generator against progenitor (the reference Rust client generator for OpenAPI
# 3.0), on one synthetic API of N plain JSON endpoints written both ways by `synth-specs
# --json-only --openapi` (same fields, types, required flags, limits, enums, nested lists).
#
# For each N it measures, on both sides:
#   - generation: wall time and peak memory (`/usr/bin/time -f '%e %M'`) of `cargo progenitor`
#     on the OpenAPI document, and of this project's `codegen generate` (release build of the
#     CLI) on the YAML specs;
#   - the debug build of the generated crate from clean, dependencies already built (`cargo clean
#     -p <crate>`, then `cargo build`): wall time and peak memory of the cargo process tree (the
#     maximum resident set of cargo and every child it waited for, which is the largest rustc),
#     checked against a sampler that reads the peak (VmHWM) of the crate's own rustc from /proc,
#     and the crate's own rustc seconds from Cargo's `--timings` report;
#   - editing one operation's title (endpoint 0, the same operation in both inputs), then
#     regenerating and rebuilding: wall time. On this project's side the build script
#     regenerates, as a user of `generated-client` gets it.
# With PARTS=K (K > 1), this project's side also builds the API split over crates, as a user
# with a large API lays it out (README, "A large API over several crates"): one crate
# generating the shared types (`common.yaml`) and K crates each generating a contiguous block of
# the endpoints with `Config::extern_specs` naming the shared folder. For that layout it
# measures the debug build of all K + 1 crates from clean (wall, the sum of their rustc seconds,
# and the peak of the summed resident sets of their rustc processes, which Cargo runs two at a
# time here), and the same edit, after which Cargo rebuilds all of them as needed.
# This project's crate is built as compile-cost.sh builds it: a scratch workspace holding copies
# of the generator, the runtime and `generated-client` (with a fresh copy of Cargo.lock) whose
# spec/ is the synthetic YAML. Progenitor's crate is the stand-alone crate `cargo progenitor`
# writes, with its own Cargo.lock. Each side has its own target folder.
#
# Usage: tests/bench/progenitor-compare.sh                 (N = 100 and 1000, both sides)
#        COUNTS=100 tests/bench/progenitor-compare.sh
#        SIDES=ours COUNTS=1000 PARTS=20 tests/bench/progenitor-compare.sh
#        SIDES=progenitor COUNTS=1000 tests/bench/progenitor-compare.sh
#        OURS_REV=HEAD~3 tests/bench/progenitor-compare.sh (this project's side built from that
#                  revision, checked out with `git worktree add`; the inputs are still written
#                  by the current tree's `synth-specs`)
# Environment: COUNTS (default "100 1000"), SIDES (default "progenitor ours"), PARTS (default 1:
# one crate only), SCRATCH (default
# /tmp/progenitor-compare; tools, inputs, crates and target folders all go under it),
# PROGENITOR_VERSION (default: the newest on crates.io when first installed). What the generators
# print goes to $SCRATCH/logs.
# cargo-progenitor is installed from crates.io into $SCRATCH/tools when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNTS=${COUNTS:-"100 1000"}
SIDES=${SIDES:-"progenitor ours"}
SCRATCH=${SCRATCH:-/tmp/progenitor-compare}
OURS_REV=${OURS_REV:-}
PARTS=${PARTS:-1}
TOOLS=$SCRATCH/tools
PROG_CRATE=synth-progenitor
export CARGO_TERM_COLOR=never

has_side() { [[ " $SIDES " == *" $1 "* ]]; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a + 0 == 0) print ""; else printf "%.2f", b / a }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# Runs a command under /usr/bin/time; sets T_WALL (s) and T_PEAK (KiB, the largest resident set
# of the command and the children it waited for).
timed() {
    local out
    out=$(mktemp)
    /usr/bin/time -o "$out" -f '%e %M' "$@"
    read -r T_WALL T_PEAK <"$out"
    rm -f "$out"
}

# Samples, until killed, every rustc compiling crate $1 (with a trailing `*`, every crate whose
# name starts with the rest), and writes to $2 two figures in KiB: the largest peak resident set
# (VmHWM) of one such rustc, an independent check of what /usr/bin/time reports for cargo; and
# the largest sum of their resident sets (VmRSS) at one time, the memory a build of several
# crates needs at once.
sample_rustc() {
    python3 - "$1" "$2" <<'PY' &
import os, signal, sys, time
name, out = sys.argv[1].encode(), sys.argv[2]
match = (lambda n: n.startswith(name[:-1])) if name.endswith(b"*") else (lambda n: n == name)
peak = peak_sum = 0
def done(*_):
    open(out, "w").write(f"{peak} {peak_sum}\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            if not argv or not argv[0].endswith(b"rustc") or b"--crate-name" not in argv:
                continue
            if not match(argv[argv.index(b"--crate-name") + 1]):
                continue
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
                elif line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            pass
    peak_sum = max(peak_sum, total)
    time.sleep(0.05)
PY
    SAMPLER=$!
}
stop_sampler() {
    kill -TERM "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
}

# Seconds the crate's own rustc ran (its `lib` unit), from the newest `--timings` report; with
# a name ending in `*`, the sum over every crate whose name starts with the rest.
crate_seconds() {
    local report
    report=$(ls -t "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-*.html | head -n1)
    python3 - "$report" "$1" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
name = sys.argv[2]
match = (lambda n: n.startswith(name[:-1])) if name.endswith("*") else (lambda n: n == name)
units = [u for u in json.loads(m.group(1)) if match(u["name"])] if m else []
print(f'{sum(u["duration"] for u in units if u["target"].strip() in ("", "lib")):.1f}')
PY
}

# The cargo build of the generated crate from clean, measured: sets B_WALL, B_PEAK (cargo tree),
# B_RUSTC_PEAK (the sampler's figure for the crate's rustc) and B_CRATE (its rustc seconds).
build_from_clean() {
    local package=$1 crate=$2
    cargo clean -q -p "$package"
    local peak_file
    peak_file=$(mktemp)
    sample_rustc "$crate" "$peak_file"
    timed cargo build -q -p "$package" --timings
    stop_sampler
    B_WALL=$T_WALL B_PEAK=$T_PEAK
    read -r B_RUSTC_PEAK _ <"$peak_file"
    rm -f "$peak_file"
    B_CRATE=$(crate_seconds "$package")
}

# The split layout's build from clean, measured: sets S_WALL, S_PEAK (the largest sum of the
# crates' rustc resident sets, KiB) and S_CRATES (the sum of their rustc seconds).
split_build_from_clean() {
    local packages=() p
    for p in "${SPLIT_PACKAGES[@]}"; do packages+=(-p "$p"); done
    cargo clean -q "${packages[@]}"
    local peak_file
    peak_file=$(mktemp)
    sample_rustc 'synth_api_*' "$peak_file"
    timed cargo build -q "${packages[@]}" --timings
    stop_sampler
    S_WALL=$T_WALL
    read -r _ S_PEAK <"$peak_file"
    rm -f "$peak_file"
    S_CRATES=$(crate_seconds 'synth-api-*')
}

# Lays the spec folder $1 out for the split layout in $WS/api: the shared `common.yaml` files
# in `types/`, the endpoints in PARTS contiguous blocks in `part-NN/`, one crate for each; sets
# SPLIT_PACKAGES and adds the crates to the workspace.
write_split() {
    local spec=$1 api=$WS/api
    rm -rf "$api"
    mkdir -p "$api/types/spec/dingtalk"
    cp "$spec"/dingtalk/common.yaml "$api/types/spec/dingtalk/"
    local files=() f
    for f in "$spec"/dingtalk/*.yaml; do
        [ "$(basename "$f")" = common.yaml ] || files+=("$f")
    done
    SPLIT_PACKAGES=(synth-api-types)
    local i k name
    for ((i = 0; i < PARTS; i++)); do
        name=$(printf 'part-%02d' "$i")
        mkdir -p "$api/$name/spec/dingtalk"
        for ((k = i * ${#files[@]} / PARTS; k < (i + 1) * ${#files[@]} / PARTS; k++)); do
            cp "${files[$k]}" "$api/$name/spec/dingtalk/"
        done
        SPLIT_PACKAGES+=("synth-api-$name")
    done
    for name in types $(cd "$api" && ls -d part-*); do
        mkdir -p "$api/$name/src"
        {
            echo "[package]"
            echo "name = \"synth-api-$name\""
            echo 'version = "0.1.0"'
            echo 'edition = "2021"'
            echo 'publish = false'
            echo
            echo '[dependencies]'
            echo 'client-runtime = { path = "../../generated-client/runtime" }'
            echo 'serde = { version = "1", features = ["derive"] }'
            # Generators before the runtime's `validate::Pattern` wrote code naming `regex`.
            grep -q '::regex::' "$WS/codegen/src/emit/validate.rs" && echo 'regex = "1"'
            [ "$name" = types ] || echo 'synth-api-types = { path = "../types" }'
            echo
            echo '[build-dependencies]'
            echo 'codegen = { path = "../../codegen" }'
        } >"$api/$name/Cargo.toml"
        if [ "$name" = types ]; then
            echo 'fn main() -> Result<(), codegen::BuildError> { codegen::Config::new().compile() }'
        else
            echo 'fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new().extern_specs("../types/spec", "synth_api_types").compile()
}'
        fi >"$api/$name/build.rs"
        echo 'client_runtime::include_client!();' >"$api/$name/src/lib.rs"
    done
    grep -q '"api/\*"' "$WS/Cargo.toml" ||
        sed -i 's|^members = \[\(.*\)\]|members = [\1, "api/*"]|' "$WS/Cargo.toml"
}

mkdir -p "$SCRATCH/logs"
SCRATCH=$(cd "$SCRATCH" && pwd)
start=$(now)
echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB; $(rustc --version)"
echo "== load when starting: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: wall times are noisy)"

if has_side progenitor; then
    if [ ! -x "$TOOLS/bin/cargo-progenitor" ]; then
        echo "== installing cargo-progenitor into $TOOLS"
        cargo install -q --locked cargo-progenitor --root "$TOOLS" \
            ${PROGENITOR_VERSION:+--version "$PROGENITOR_VERSION"}
    fi
    export PATH="$TOOLS/bin:$PATH"
    echo "== $(cargo install --list --root "$TOOLS" | grep '^cargo-progenitor ')"
fi

echo "== synth-specs from $ROOT"
CARGO_TARGET_DIR=$SCRATCH/target-synth cargo build -q --manifest-path "$ROOT/Cargo.toml" \
    -p codegen-cli --bin synth-specs
SYNTH=$SCRATCH/target-synth/debug/synth-specs

WORKTREE=
cleanup() {
    if [ -n "$WORKTREE" ]; then
        git -C "$ROOT" worktree remove --force "$WORKTREE" || true
    fi
}
trap cleanup EXIT

if has_side ours; then
    SRC=$ROOT
    if [ -n "$OURS_REV" ]; then
        WORKTREE=$SCRATCH/ours-rev
        rm -rf "$WORKTREE"
        git -C "$ROOT" worktree prune
        git -C "$ROOT" worktree add -q --detach "$WORKTREE" "$OURS_REV"
        SRC=$WORKTREE
    fi
    echo "== this project's side from $SRC (revision $(git -C "$SRC" rev-parse --short HEAD)$(
        [ -z "$OURS_REV" ] && [ -n "$(git -C "$ROOT" status --porcelain -- codegen generated-client)" ] &&
            echo ", with uncommitted changes"))"
    WS=$SCRATCH/ours-ws
    rm -rf "$WS"
    mkdir -p "$WS"
    cp "$SRC/Cargo.toml" "$SRC/Cargo.lock" "$WS/"
    sed -i 's/^members = .*/members = ["codegen", "codegen\/cli", "generated-client", "generated-client\/runtime"]/' "$WS/Cargo.toml"
    sed -i '/^exclude = /d' "$WS/Cargo.toml"
    cp -r "$SRC/codegen" "$SRC/generated-client" "$SRC/spec" "$WS/"
    rm -rf "$WS/codegen/fuzz" "$WS/codegen/target" "$WS/generated-client/fuzz" \
        "$WS/generated-client/target" "$WS/generated-client/runtime/target" \
        "$WS/generated-client/runtime/fuzz"
    echo "== building this project's dependencies, generator (release CLI) and client (debug)"
    t0=$(now)
    (cd "$WS" && CARGO_TARGET_DIR=$SCRATCH/target-ours cargo build -q --release -p codegen-cli --bin codegen)
    (cd "$WS" && CARGO_TARGET_DIR=$SCRATCH/target-ours cargo build -q -p generated-client)
    echo "   $(elapsed "$t0" "$(now)") s"
    OURS_CLI=$SCRATCH/target-ours/release/codegen
fi

PROG_DIR=$SCRATCH/progenitor-crate
if has_side progenitor; then
    echo "== building progenitor's dependencies (a one-endpoint crate)"
    t0=$(now)
    rm -rf "$SCRATCH/input-1" "$PROG_DIR"
    "$SYNTH" --count 1 --json-only --out "$SCRATCH/input-1/spec" --openapi "$SCRATCH/input-1/api.json" >/dev/null
    cargo progenitor -i "$SCRATCH/input-1/api.json" -o "$PROG_DIR" -n "$PROG_CRATE" -v 0.1.0 >/dev/null
    (cd "$PROG_DIR" && CARGO_TARGET_DIR=$SCRATCH/target-progenitor cargo build -q)
    echo "   $(elapsed "$t0" "$(now)") s"
fi

rows=""
row() { # what, progenitor, ours
    rows="$rows
| $n | $1 | $2 | $3 | $(ratio "$2" "$3") |"
}

for n in $COUNTS; do
    IN=$SCRATCH/input-$n
    rm -rf "$IN"
    "$SYNTH" --count "$n" --json-only --out "$IN/spec" --openapi "$IN/api.json"
    edited=$(ls "$IN"/spec/dingtalk/*_0000.yaml)
    pg_wall="" pg_peak="" pb_wall="" pb_peak="" pb_crate="" pe_wall=""
    og_wall="" og_peak="" ob_wall="" ob_peak="" ob_crate="" oe_wall=""
    sb_wall="" sb_peak="" sb_crates="" se_wall=""

    if has_side progenitor; then
        echo "== progenitor, $n endpoints"
        export CARGO_TARGET_DIR=$SCRATCH/target-progenitor
        timed cargo progenitor -i "$IN/api.json" -o "$PROG_DIR" -n "$PROG_CRATE" -v 0.1.0 \
            >"$SCRATCH/logs/progenitor-$n.log"
        pg_wall=$T_WALL pg_peak=$(mb "$T_PEAK")
        echo "generation: $pg_wall s, $pg_peak MB; $(cat "$PROG_DIR"/src/*.rs | wc -l) lines"
        cd "$PROG_DIR"
        build_from_clean "$PROG_CRATE" "${PROG_CRATE//-/_}"
        pb_wall=$B_WALL pb_peak=$(mb "$B_PEAK") pb_crate=$B_CRATE
        echo "debug build from clean: $pb_wall s (crate's rustc $pb_crate s)," \
            "peak $pb_peak MB (cargo tree); sampled rustc peak $(mb "$B_RUSTC_PEAK") MB"
        # The same edit as on this project's side: endpoint 0's title, here its summary.
        python3 - "$IN/api.json" <<'PY'
import json, sys
path = sys.argv[1]
doc = json.load(open(path, encoding="utf-8"))
op = next(o["post"] for o in doc["paths"].values() if o["post"]["operationId"].endswith("_0000"))
op["summary"] += " (edited)"
open(path, "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
PY
        t0=$(now)
        cargo progenitor -i "$IN/api.json" -o "$PROG_DIR" -n "$PROG_CRATE" -v 0.1.0 >/dev/null
        cargo build -q
        pe_wall=$(elapsed "$t0" "$(now)")
        echo "edit one operation, regenerate, rebuild: $pe_wall s"
        cd "$ROOT"
    fi

    if has_side ours; then
        echo "== this project, $n endpoints"
        export CARGO_TARGET_DIR=$SCRATCH/target-ours
        rm -rf "$WS/spec" "$SCRATCH/ours-generated"
        cp -r "$IN/spec" "$WS/spec"
        timed "$OURS_CLI" generate --spec "$WS/spec" --out "$SCRATCH/ours-generated" \
            >"$SCRATCH/logs/ours-$n.log"
        og_wall=$T_WALL og_peak=$(mb "$T_PEAK")
        echo "generation: $og_wall s, $og_peak MB;" \
            "$(find "$SCRATCH/ours-generated" -name '*.rs' -print0 | xargs -0 cat | wc -l) lines"
        cd "$WS"
        build_from_clean generated-client generated_client
        ob_wall=$B_WALL ob_peak=$(mb "$B_PEAK") ob_crate=$B_CRATE
        echo "debug build from clean (build script included): $ob_wall s (crate's rustc $ob_crate s)," \
            "peak $ob_peak MB (cargo tree); sampled rustc peak $(mb "$B_RUSTC_PEAK") MB"
        sed -i 's/^title: "\(.*\)"$/title: "\1 (edited)"/' "$WS/spec/dingtalk/$(basename "$edited")"
        t0=$(now)
        cargo build -q -p generated-client
        oe_wall=$(elapsed "$t0" "$(now)")
        echo "edit one operation, rebuild (the build script regenerates): $oe_wall s"
        if [ "$PARTS" -gt 1 ]; then
            echo "== this project, $n endpoints over $PARTS crates and a crate of shared types"
            write_split "$IN/spec"
            # Dependencies and build scripts built once, as for the one crate.
            cargo build -q "${SPLIT_PACKAGES[@]/#/--package=}"
            split_build_from_clean
            sb_wall=$S_WALL sb_peak=$(mb "$S_PEAK") sb_crates=$S_CRATES
            echo "debug build of the $((PARTS + 1)) crates from clean: $sb_wall s (their rustc," \
                "summed: $sb_crates s); peak of their rustc processes' summed memory $sb_peak MB"
            part=$(find "$WS/api" -name '*_0000.yaml' | head -n1)
            sed -i 's/^title: "\(.*\)"$/title: "\1 (edited)"/' "$part"
            t0=$(now)
            cargo build -q "${SPLIT_PACKAGES[@]/#/--package=}"
            se_wall=$(elapsed "$t0" "$(now)")
            echo "edit one operation in $(basename "$(dirname "$(dirname "$(dirname "$part")")")")," \
                "rebuild the crates: $se_wall s"
        fi
        cd "$ROOT"
    fi

    row "generation, wall (s)" "$pg_wall" "$og_wall"
    row "generation, peak memory (MB)" "$pg_peak" "$og_peak"
    row "debug build of the generated crate from clean, wall (s)" "$pb_wall" "$ob_wall"
    row "of which the crate's own rustc (s)" "$pb_crate" "$ob_crate"
    row "debug build, peak memory (MB)" "$pb_peak" "$ob_peak"
    row "edit one operation, regenerate and rebuild, wall (s)" "$pe_wall" "$oe_wall"
    if [ "$PARTS" -gt 1 ]; then
        row "split over $PARTS crates: debug build from clean, wall (s)" "$pb_wall" "$sb_wall"
        row "split: the crates' rustc, summed (s)" "$pb_crate" "$sb_crates"
        row "split: peak memory of the rustc processes at once (MB)" "$pb_peak" "$sb_peak"
        row "split: edit one operation and rebuild, wall (s)" "$pe_wall" "$se_wall"
    fi
done

echo
echo "Whole run: $(elapsed "$start" "$(now)") s; load when done: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| N | what | progenitor | this project | ratio |"
echo "|---|---|---:|---:|---:|"
echo "${rows#?}"
