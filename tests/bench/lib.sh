# shellcheck shell=bash
# Helpers the bench scripts share; sourced, not run.

# Print "<script>: $*" on stderr and exit.
fail() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# Exit with a hint unless valgrind and python3 are installed.
need_valgrind() {
    command -v valgrind >/dev/null 2>&1 || fail "valgrind not found; install it (apt-get install valgrind)"
    command -v python3 >/dev/null 2>&1 || fail "python3 not found; install it (apt-get install python3)"
}

# Build generated-client's bench target `$1` with the `bench` profile and print the path of its
# executable, as Cargo reports the artifact it built (its file name changes when the
# dev-dependencies do); fail when Cargo reports none. Run from the workspace root.
bench_executable() {
    local bin
    bin=$(cargo bench -p generated-client --bench "$1" --no-run --message-format=json |
        python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    target = m.get("target", {})
    if m.get("reason") == "compiler-artifact" and target.get("name") == sys.argv[1] \
            and "bench" in target.get("kind", []) and m.get("executable"):
        print(m["executable"])
' "$1")
    [[ -n $bin && -x $bin ]] || fail "no $1 bench executable in cargo's output"
    echo "$bin"
}

# Run the call bench's executable `$BIN` under valgrind as `CALL_PROFILE=$1 CALL_N=$2` on one
# thread, its server on the calling thread, with valgrind's options "${@:3}"; print valgrind's
# log and fail if the run fails.
valgrind_call() {
    local side=$1 calls=$2 log
    shift 2
    if ! log=$(CALL_RUNTIME=current-thread CALL_SERVER=shared CALL_PROFILE=$side CALL_N=$calls \
        valgrind "$@" "$BIN" --bench 2>&1); then
        echo "${0##*/}: CALL_PROFILE=$side CALL_N=$calls failed under valgrind $*:" >&2
        echo "$log" >&2
        return 1
    fi
}

# Wait for every job in "$@", then fail if any failed: none is left running when the caller
# exits and removes what the jobs write to.
wait_all() {
    local ok=true pid
    for pid in "$@"; do
        wait "$pid" || ok=false
    done
    $ok
}
