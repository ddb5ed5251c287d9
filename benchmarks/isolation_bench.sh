#!/usr/bin/env bash
# What crash isolation costs: the built-in random search on the SST-2 demo excerpt with a warm
# cache (so a backend call is a cache lookup and the cost of the process boundary shows), run
# with "isolation": "in-process" and "process", for a 1-round and a 10-round stage.
#
#   per evaluate call = (extra stage time at 10 rounds - extra at 1 round) / (requests10 - requests1)
#   per stage         = extra at 1 round - per call * requests1   (start, load, exit)
#
# Usage: benchmarks/isolation_bench.sh [REPEATS]   (HONE=path/to/hone, default .build/debug/hone)
# Prints one line per run and the medians; docs/performance.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
HONE=${HONE:-.build/debug/hone}
REPEATS=${1:-5}
WORK=$(mktemp -d /tmp/hone-isolation-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DATA=$PWD/examples/data/sst2

config() { # rounds isolation
  cat > "$WORK/p-$1-$2.json" <<JSON
{"name": "isolation-bench", "seed": 42,
 "task": {"dataset": {"train": "$DATA/train.tsv", "dev": "$DATA/dev.tsv", "test": "$DATA/test.tsv", "test_sample": 40},
          "template": "{prompt} {input}", "prompt": "",
          "labels": [{"name": "0", "verbalizer": "terrible"}, {"name": "1", "verbalizer": "great"}]},
 "backend": {"type": "e5"}, "cache": {"path": "$WORK/cache.sqlite"},
 "stages": [{"plugin": "org.hone.random-search", "isolation": "$2",
             "config": {"prompt_length": 5, "candidates_per_round": 8, "rounds": $1, "dev_top_k": 4, "vocab_size": 2000},
             "budget": {"calls": 100000}}]}
JSON
  echo "$WORK/p-$1-$2.json"
}

run() { # rounds isolation -> "stage_seconds evaluate_requests"
  local file out
  file=$(config "$1" "$2"); out="$WORK/run-$1-$2"
  rm -rf "$out"
  "$HONE" run "$file" --out "$out" > /dev/null 2>&1
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stages"][0]["wall_seconds"])' "$out/result.json" | tr '\n' ' '
  sqlite3 "$out/ledger.sqlite" "SELECT count(*) FROM backend_calls WHERE stage = 0 AND op = 'evaluate'"
}

# Warm the cache with both stages once.
run 10 in-process > /dev/null; run 1 in-process > /dev/null
declare -A times; declare -A requests
for r in 1 10; do
  for mode in in-process process; do
    list=""
    for _ in $(seq "$REPEATS"); do
      read -r seconds count < <(run "$r" "$mode")
      echo "rounds=$r $mode stage=${seconds}s evaluate_requests=$count"
      list="$list $seconds"; requests[$r]=$count
    done
    times[$r-$mode]=$(python3 -c 'import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))' $list)
  done
done
python3 - "${times[1-in-process]}" "${times[1-process]}" "${times[10-in-process]}" "${times[10-process]}" "${requests[1]}" "${requests[10]}" <<'PY'
import sys
in1, pr1, in10, pr10 = map(float, sys.argv[1:5]); q1, q10 = map(int, sys.argv[5:7])
extra1, extra10 = pr1 - in1, pr10 - in10
per_call = (extra10 - extra1) / (q10 - q1)
print(f"median stage seconds: 1 round {in1:.3f} in-process / {pr1:.3f} process ({q1} evaluate requests); "
      f"10 rounds {in10:.3f} / {pr10:.3f} ({q10} requests)")
print(f"per evaluate call: {per_call * 1e3:.3f} ms; per stage (start, load, exit): {(extra1 - per_call * q1) * 1e3:.1f} ms")
PY
