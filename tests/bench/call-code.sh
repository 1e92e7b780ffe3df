#!/usr/bin/env bash
# How much machine code a whole call on loopback runs: the generated client beside bare reqwest,
# for both vendors of the `call` bench, one thread, and the functions whose code the client's
# call runs beyond bare reqwest's.
#
# The companion of call-cache.sh: that script finds how much cache a call needs; this one names
# where the code part of it is. It runs each side under `valgrind --tool=callgrind
# --dump-instr=yes` twice (`CALL_PROFILE`, `CALL_RUNTIME=current-thread`), making N and 2N calls,
# and counts the 64-byte lines of code holding an instruction whose count grew by at least N
# between the two runs: code the calls run on average at least once each, without the process's
# setup. Lines are told apart by object (the executable, libc, ...), since callgrind writes each
# address relative to its object. The loopback server runs on the same thread
# (`CALL_SERVER=shared`, set here) and is counted on both sides alike. Data (the heap, the
# stacks) is not counted here.
#
# Usage: tests/bench/call-code.sh
#        N=500 TOP=40 tests/bench/call-code.sh
# Environment: N (calls, default 1000), TOP (functions listed per vendor, default 25),
# CARGO_TARGET_DIR (Cargo's default if unset).
# Needs valgrind (apt-get install valgrind) and python3.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/tests/bench/lib.sh"
N=${N:-1000}
TOP=${TOP:-25}
export CARGO_TERM_COLOR=never

need_valgrind
[[ $N =~ ^[1-9][0-9]*$ ]] || fail "N must be a positive count of calls, got '$N'"
[[ $TOP =~ ^[0-9]+$ ]] || fail "TOP must be a count of functions, got '$TOP'"

cd "$ROOT"
BIN=$(bench_executable call)

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Callgrind's per-instruction counts for `CALL_PROFILE=$1 CALL_N=$2`, in $OUT/$1.$2.
profile() {
    valgrind_call "$1" "$2" --tool=callgrind --dump-instr=yes --callgrind-out-file="$OUT/$1.$2"
}

# The two runs of a side side by side (valgrind keeps to one core).
for side in oapi-client oapi-bare classin-client classin-bare; do
    profile "$side" "$N" &
    few=$!
    profile "$side" "$((2 * N))" &
    many=$!
    wait_all "$few" "$many" || exit 1
done

python3 - "$OUT" "$N" "$TOP" <<'PY'
import collections, re, sys

out, n, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
NAMED = re.compile(r"c?(fn|ob)=\((\d+)\)(?: (.*))?")


def number(text):
    return int(text, 16) if text.startswith("0x") else int(text)


def counts(path):
    """Each instruction's count, keyed by (object, address), and the function it is in.

    Reads callgrind's format with `positions: instr line`: a cost line starts with the
    instruction's address, absolute (0x...), relative to the previous one (+k, -k) or the same
    (*); the cost line after `calls=` is the callee's inclusive cost, not this instruction's.
    `ob=`/`cob=` and `fn=`/`cfn=` name objects and functions, by number after the first time."""
    names = {"ob": {}, "fn": {}}
    obj, function, address, after_call = "?", "?", 0, False
    runs, owner = collections.Counter(), {}
    with open(path) as f:
        for line in f:
            if line.startswith(("fn=", "cfn=", "ob=", "cob=")):
                m = NAMED.match(line.rstrip("\n"))
                if m is None:
                    sys.exit(f"call-code.sh: unreadable name line in {path}: {line!r}")
                kind, number_, name = m.groups()
                if name is not None:
                    names[kind][number_] = name
                if line.startswith("fn="):
                    function = names["fn"].get(number_, "?")
                elif line.startswith("ob="):
                    obj = names["ob"].get(number_, "?")
            elif line.startswith("calls="):
                after_call = True
            elif line[:1] in "0123456789+-*":
                fields = line.split()
                head = fields[0]
                if head == "*":
                    pass
                elif head[0] == "+":
                    address += number(head[1:])
                elif head[0] == "-":
                    address -= number(head[1:])
                else:
                    address = number(head)
                if after_call:
                    after_call = False
                elif len(fields) >= 3:
                    runs[(obj, address)] += int(fields[2])
                    owner[(obj, address)] = function
    return runs, owner


def lines_run_per_call(side):
    """The 64-byte code lines, by function, holding an instruction whose count grew by at least
    `n` from the run of `n` calls to the run of `2n`."""
    few, _ = counts(f"{out}/{side}.{n}")
    many, owner = counts(f"{out}/{side}.{2 * n}")
    by_function = collections.defaultdict(set)
    for key, count in many.items():
        if count - few.get(key, 0) >= n:
            obj, address = key
            by_function[owner[key]].add((obj, address >> 6))
    return by_function


def kib(by_function):
    return len(set().union(*by_function.values())) * 64 / 1024


for vendor in ["oapi", "classin"]:
    client = lines_run_per_call(f"{vendor}-client")
    bare = lines_run_per_call(f"{vendor}-bare")
    c, b = kib(client), kib(bare)
    print(f"{vendor}: code run per call: client {c:.1f} KiB, bare reqwest {b:.1f} KiB, "
          f"difference {c - b:+.1f} KiB")
    rows = []
    for function in set(client) | set(bare):
        x, y = len(client.get(function, ())), len(bare.get(function, ()))
        rows.append((x - y, x, y, function))
    rows.sort(key=lambda r: (-r[0], r[3]))
    more = [r[0] for r in rows if r[0] > 0]
    fewer = [r[0] for r in rows if r[0] < 0]
    print(f"  functions running more lines in the client: {len(more)} ({sum(more)} lines), "
          f"fewer: {len(fewer)} ({-sum(fewer)} lines); a line two functions share counts in each")
    if top:
        print()
        print("| extra lines | client | bare reqwest | function |")
        print("|---:|---:|---:|---|")
        for extra, x, y, function in rows[:top]:
            shown = function if len(function) <= 110 else function[:107] + "..."
            print(f"| {extra:+} | {x} | {y} | `{shown}` |")
    print()
PY
