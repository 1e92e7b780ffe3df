# shellcheck shell=bash
# Helpers the bench scripts share; sourced, not run.

# The path of the executable of generated-client's bench target `$1`, built with the `bench`
# profile, as Cargo reports the artifact it built (its file name changes when the
# dev-dependencies do). Run from the workspace root; prints nothing when Cargo reports none.
bench_executable() {
    cargo bench -p generated-client --bench "$1" --no-run --message-format=json |
        python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    target = m.get("target", {})
    if m.get("reason") == "compiler-artifact" and target.get("name") == sys.argv[1] \
            and "bench" in target.get("kind", []) and m.get("executable"):
        print(m["executable"])
' "$1"
}
