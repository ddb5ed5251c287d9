#!/usr/bin/env bash
# Builds Hone's libFuzzer harness (fuzz/, with -sanitize=fuzzer,address) and runs each target for a
# fixed time, starting from the seed corpus in fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh [seconds-per-target] [target ...]     # default: 60 s, every target
#
# Targets: json config dataset http-answer wire host-table (fuzz/Sources/hone-fuzz/FuzzTarget.swift).
# New inputs that reach new code go to .build-fuzz/corpus/<target>/ (not in git); an input that
# crashes, trips AddressSanitizer, breaks a checked property or runs longer than 10 s is saved as
# fuzz/crashers/<target>-crash-<sha1> (or -timeout-, -oom-). Replay one with
#   .build-fuzz/debug/hone-fuzz --target=<target> fuzz/crashers/<file>
# Exits 1 when any target found something; prints executions and coverage per target.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(json config dataset http-answer wire host-table); fi

scratch=.build-fuzz
# SwiftPM keeps the fuzz package's build plan when only the Hone sources it depends on by path
# moved (it then fails on "missing inputs"); dropping the plan makes it plan again (seconds).
rm -f "$scratch/debug.yaml" "$scratch"/*/debug/description.json
(cd fuzz && swift build -c debug --scratch-path "../$scratch" -Xswiftc -sanitize=fuzzer,address --product hone-fuzz 2>&1 \
    | grep -v "Cannot export local symbol")
binary="$scratch/debug/hone-fuzz"

# Swift's crash backtracer would hold the process while libFuzzer waits; ASan prints the stack.
export SWIFT_BACKTRACE=enable=no
# A known 4 KiB leak in the toolchain's Foundation when an empty file is read (see the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt}
mkdir -p fuzz/crashers "$scratch/logs"
failed=()
printf '%-12s %10s %8s %8s %s\n' target executions cov ft result
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus"
    log="$scratch/logs/$target.log"
    status=0
    "$binary" --target="$target" "$corpus" "fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="fuzz/crashers/$target-" >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$status" -eq 0 ]; then result=ok; else result="FOUND (exit $status; see $log)"; failed+=("$target"); fi
    printf '%-12s %10s %8s %8s %s\n' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "findings in: ${failed[*]}; inputs saved in fuzz/crashers/" >&2
    exit 1
fi
