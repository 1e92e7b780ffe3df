#!/usr/bin/env bash
# Request preparation in instructions per request: the generated client's path beside the
# hand-written baseline, for the four endpoints of the `prepare` bench (edu_period_create and
# industry_studentpool_batchadd on oapi, corp_extcontact_update on TOP with hmac-sha256,
# add_course_student_multiple on ClassIn). Instruction counts, unlike the criterion wall times,
# repeat from run to run on a shared machine.
#
# Builds the `prepare_count` bench target of generated-client with the `bench` profile (the
# functions are the `prepare` bench's, in benches/common/prepare.rs), then runs each path under
# `valgrind --tool=callgrind` twice, preparing the request 0 and N times; the difference of the
# two totals divided by N is the cost of one request without the process's setup. Prints a
# markdown table: endpoint, client instructions per request, baseline instructions per request,
# and their ratio (client / baseline).
#
# Usage: tests/bench/prepare-instructions.sh
#        N=10000 tests/bench/prepare-instructions.sh
# Environment: N (default 1000), CARGO_TARGET_DIR (Cargo's default if unset).
# Needs valgrind (apt-get install valgrind) and python3 (to read Cargo's JSON messages).
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/tests/bench/lib.sh"
N=${N:-1000}
export CARGO_TERM_COLOR=never

need_valgrind
[[ $N =~ ^[1-9][0-9]*$ ]] || fail "N must be a positive count, got '$N'"

# Build, and take the executable from Cargo's own report of the artifact it built.
cd "$ROOT"
BIN=$(bench_executable prepare_count)

# Instructions callgrind collected for one run of `prepare_count WHICH COUNT`.
instructions() {
    local out
    if ! out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$2" 2>&1); then
        echo "prepare-instructions.sh: '$BIN $1 $2' failed under callgrind:" >&2
        echo "$out" >&2
        exit 1
    fi
    out=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' <<<"$out")
    if [[ -z $out ]]; then
        echo "prepare-instructions.sh: no 'Collected' line from callgrind for $1 $2" >&2
        exit 1
    fi
    echo "$out"
}

# Instructions per request along one path.
per_request() {
    local zero many
    zero=$(instructions "$1" 0)
    many=$(instructions "$1" "$N")
    echo $(((many - zero) / N))
}

echo "| endpoint | client (instr/request) | hand-written (instr/request) | client / hand-written |"
echo "|---|---:|---:|---:|"
for row in "period:edu_period_create (oapi)" \
    "pool:industry_studentpool_batchadd (oapi)" \
    "ext:corp_extcontact_update (TOP, hmac-sha256)" \
    "classin:add_course_student_multiple (ClassIn)"; do
    which=${row%%:*}
    client=$(per_request "$which-client")
    base=$(per_request "$which-base")
    ratio=$(awk -v c="$client" -v b="$base" 'BEGIN { printf "%.2f", c / b }')
    echo "| ${row#*:} | $client | $base | $ratio |"
done
