#!/usr/bin/env bash
# How much cache a whole call on loopback needs: the generated client beside bare reqwest, for
# both vendors of the `call` bench (edu_period_create on oapi, add_course_student_multiple on
# ClassIn), one thread. Counts, unlike the bench's wall times, repeat from run to run on a
# shared machine.
#
# A call's code and data are touched again on every call. When they fit in the core's
# second-level cache (512 KiB here) the next call finds them there; what does not fit is fetched
# again from the shared third level, dozens of cycles a line. The script simulates a last level
# of several sizes, each highly associative (128 sets, one way per 8 KiB): misses then fall to
# nothing once the size holds what a call touches, and the size at which they do is the call's
# footprint. An 8-way cache the size of this machine's (`LL=524288,8,64`) adds conflict misses
# that depend on where the linker put each function: their count moves by half from one build
# to the next with no change to the call, so it is not the default.
#
# Builds the `call` bench of generated-client with the `bench` profile, then runs each side
# under `valgrind --tool=cachegrind` twice per size (`CALL_PROFILE`,
# `CALL_RUNTIME=current-thread`), making N1 and N2 calls; the difference of the two counts
# divided by N2 - N1 is one call without the process's setup and warm-up. The counts include
# the loopback server, which runs on the same thread (`CALL_SERVER=shared`, set here) and
# answers both sides alike, so its code and data are part of each side's footprint; the kernel's
# work (the TCP round trip, which takes cache of its own) is not simulated. Prints markdown
# tables: instructions and first-level misses per call, then last-level misses per call at each
# size, client beside bare reqwest.
#
# Usage: tests/bench/call-cache.sh
#        SIZES="256 384 512" N2=5000 tests/bench/call-cache.sh
#        LL=524288,8,64 tests/bench/call-cache.sh     # one last level, as given
# Environment: N1 (default 1000), N2 (default 3000), SIZES (last-level sizes in KiB, multiples
# of 8; default "320 352 384 416 448"), LL (one last level as size,ways,line in bytes, instead
# of SIZES), CARGO_TARGET_DIR (Cargo's default if unset).
# Needs valgrind (apt-get install valgrind) and python3.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/tests/bench/lib.sh"
N1=${N1:-1000}
N2=${N2:-3000}
SIZES=${SIZES:-320 352 384 416 448}
export CARGO_TERM_COLOR=never

need_valgrind
if ! [[ $N1 =~ ^[1-9][0-9]*$ && $N2 =~ ^[1-9][0-9]*$ ]] || ((N2 <= N1)); then
    fail "N1 and N2 must be counts of calls with N2 > N1, got '$N1' and '$N2'"
fi
# Each last level as size,ways,line in bytes.
LEVELS=()
if [[ -n ${LL:-} ]]; then
    [[ $LL =~ ^[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*$ ]] ||
        fail "LL is size,ways,line in bytes (524288,8,64), got '$LL'"
    LEVELS+=("$LL")
else
    read -r -a kib <<<"$SIZES"
    ((${#kib[@]} > 0)) || fail "SIZES names no size"
    for k in "${kib[@]}"; do
        if ! [[ $k =~ ^[1-9][0-9]*$ ]] || ((k % 8 != 0)); then
            fail "SIZES are sizes in KiB, multiples of 8, got '$k'"
        fi
        LEVELS+=("$((k * 1024)),$((k / 8)),64")
    done
fi

# Build, and take the executable from Cargo's own report of the artifact it built.
cd "$ROOT"
BIN=$(bench_executable call)

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Cachegrind's counts for `CALL_PROFILE=$1 CALL_N=$2` with last level $3, in $OUT/$1.$2.$3.
simulate() {
    valgrind_call "$1" "$2" --tool=cachegrind --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 \
        --LL="$3" --cachegrind-out-file="$OUT/$1.$2.$3"
}

# The two runs of a side side by side (valgrind keeps to one core).
for level in "${LEVELS[@]}"; do
    for side in oapi-client oapi-bare classin-client classin-bare; do
        simulate "$side" "$N1" "$level" &
        few=$!
        simulate "$side" "$N2" "$level" &
        many=$!
        wait_all "$few" "$many" || exit 1
    done
done

python3 - "$OUT" "$N1" "$N2" "${LEVELS[@]}" <<'EOF'
import sys

out, n1, n2, levels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
VENDORS = ["oapi", "classin"]


def counts(side, n, level):
    """The totals of one run, by event name."""
    events = summary = None
    with open(f"{out}/{side}.{n}.{level}") as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("summary:"):
                summary = [int(v) for v in line.split()[1:]]
    if events is None or summary is None:
        sys.exit(f"call-cache.sh: no events or summary in cachegrind's output for {side}, "
                 f"{n} calls, last level {level}")
    return dict(zip(events, summary))


def per_call(side, level, events):
    """One call's count of `events`: the difference of the two runs over their calls. Shown as
    it comes, negative included: a negative count means the two runs' noise outweighs what the
    added calls cost, and more calls (a larger N2) are needed to read it."""
    few, many = counts(side, n1, level), counts(side, n2, level)
    return sum(many[e] - few[e] for e in events) / (n2 - n1)


def row(what, vendor, level, events):
    c = per_call(f"{vendor}-client", level, events)
    b = per_call(f"{vendor}-bare", level, events)
    ratio = f"{c / b:.3f}" if b >= 0.5 else "-"
    print(f"| {what} | {vendor} | {c:,.0f} | {b:,.0f} | {c - b:+,.0f} | {ratio} |")


# Instructions and first-level misses do not depend on the last level: the first level's run.
print("| per call | vendor | client | bare reqwest | difference | client / bare |")
print("|---|---|---:|---:|---:|---:|")
for vendor in VENDORS:
    row("instructions", vendor, levels[0], ["Ir"])
    row("first-level instruction misses", vendor, levels[0], ["I1mr"])
    row("first-level data misses", vendor, levels[0], ["D1mr", "D1mw"])

print()
print("| last-level misses per call | vendor | client | bare reqwest | difference | client / bare |")
print("|---|---|---:|---:|---:|---:|")
for level in levels:
    size, ways, _ = (int(v) for v in level.split(","))
    for vendor in VENDORS:
        row(f"{size // 1024} KiB, {ways}-way", vendor, level, ["ILmr", "DLmr", "DLmw"])
EOF
