#!/usr/bin/env bash
# Builds Hone and its test suite with a sanitizer into a scratch path of its own and runs the tests.
#
#   scripts/sanitize.sh address [swift-test options]   # AddressSanitizer, in .build-asan
#   scripts/sanitize.sh thread  [swift-test options]   # ThreadSanitizer, in .build-tsan
#
# Extra options go to `swift test`, e.g. `--filter 'ResponseCacheTests|RunLedgerTests'`; with
# none, the whole XCTest suite runs. A sanitizer report fails the run (halt_on_error). See
# docs/reliability.md ("Fuzzing and sanitizers") for what was run and what it found.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-}
case "$kind" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "usage: scripts/sanitize.sh address|thread [swift test options, e.g. --filter REGEX]" >&2; exit 2 ;;
esac
shift

# Swift's own crash backtracer would race the sanitizer's report; the sanitizer prints the stack.
export SWIFT_BACKTRACE=enable=no
# A report stops the run at the first error. Leaks are not checked here: XCTest on Linux keeps its
# test-case objects (and everything they hold) past exit, so LeakSanitizer would list them all;
# the fuzzer checks leaks per input instead (scripts/fuzz.sh).
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
# A known leak in the toolchain's Foundation, not Hone's (see the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt}

# Plugin libraries are built with the sanitizer too, and its runtime lives in the executables:
# export its symbols so a `dlopen`ed plugin resolves them (else "undefined symbol: __tsan_...").
swift build --build-tests --scratch-path "$scratch" --sanitize="$kind" -Xlinker --export-dynamic
swift test --skip-build --scratch-path "$scratch" --sanitize="$kind" --disable-swift-testing "$@"
