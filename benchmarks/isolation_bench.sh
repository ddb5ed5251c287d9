#!/usr/bin/env bash
# What crash isolation costs, "isolation": "in-process" against "process", with a warm cache
# (so a backend call is a cache lookup and the cost of the process boundary shows).
#
#   benchmarks/isolation_bench.sh calls [REPEATS] [N]
#     The test fixture Tests/HoneTests/Fixtures/misbehaving_plugin.c ("normal") makes N evaluate
#     requests of one prompt on 2 train rows, and a stage of 0 requests:
#       per evaluate call = (extra stage time with N requests - extra with 0) / N
#       per stage         = extra stage time with 0 requests (start, load, exit of the process)
#     Also the CPU time (user + system) of hone and its children per run.
#   benchmarks/isolation_bench.sh stage [REPEATS]
#     The built-in random search on the SST-2 demo excerpt, a 1-round and a 10-round stage.
#
# HONE=path/to/hone (default .build/debug/hone). Prints one line per run and the medians;
# docs/performance.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
HONE=${HONE:-.build/debug/hone}
MODE=${1:-calls}
REPEATS=${2:-5}
WORK=$(mktemp -d /tmp/hone-isolation-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DATA=$PWD/examples/data/sst2

if [ "$MODE" = calls ]; then
  N=${3:-1000}
  mkdir -p "$WORK/plugins"
  cc -shared -fPIC -fvisibility=hidden -O2 -I SDK/include Tests/HoneTests/Fixtures/misbehaving_plugin.c -o "$WORK/plugins/libfixture.so"
  printf 'sentence\tlabel\na joy to watch\t1\nthe plot is a mess\t0\n' > "$WORK/train.tsv"
  cp "$WORK/train.tsv" "$WORK/dev.tsv"; cp "$WORK/train.tsv" "$WORK/test.tsv"
  for n in 0 "$N"; do
    for mode in in-process process; do
      cat > "$WORK/f-$n-$mode.json" <<JSON
{"name": "isolation-bench", "plugin_paths": ["$WORK/plugins"],
 "task": {"dataset": {"train": "$WORK/train.tsv", "dev": "$WORK/dev.tsv", "test": "$WORK/test.tsv"},
          "template": "{prompt} {input}", "prompt": "",
          "labels": [{"name": "0", "verbalizer": "terrible"}, {"name": "1", "verbalizer": "great"}]},
 "backend": {"type": "e5"}, "cache": {"path": "$WORK/cache.sqlite"},
 "stages": [{"plugin": "org.hone.test.misbehaving", "isolation": "$mode",
             "config": {"behaviour": "normal", "evaluations": $n, "misbehave_after": 1000000}}]}
JSON
    done
  done
  python3 - "$HONE" "$WORK" "$N" "$REPEATS" <<'PY'
import json, resource, statistics, subprocess, sys
hone, work, n, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def run(count, mode):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = f"{work}/run-{count}-{mode}"
    subprocess.run(["rm", "-rf", out], check=True)
    subprocess.run([hone, "run", f"{work}/f-{count}-{mode}.json", "--out", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stage = json.load(open(f"{out}/result.json"))["stages"][0]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return stage["wall_seconds"], cpu, stage["used_calls"]
run(n, "in-process")  # warm the cache
medians = {}
for count in (0, n):
    for mode in ("in-process", "process"):
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu, calls = run(count, mode)
            walls.append(wall); cpus.append(cpu)
            print(f"requests={count} {mode}: stage {wall:.3f} s, hone+children CPU {cpu:.3f} s, {calls} calls")
        medians[(count, mode)] = (statistics.median(walls), statistics.median(cpus))
extra0 = medians[(0, "process")][0] - medians[(0, "in-process")][0]
extraN = medians[(n, "process")][0] - medians[(n, "in-process")][0]
cpu0 = medians[(0, "process")][1] - medians[(0, "in-process")][1]
cpuN = medians[(n, "process")][1] - medians[(n, "in-process")][1]
print(f"median stage seconds, 0 requests: {medians[(0, 'in-process')][0]:.3f} in-process / {medians[(0, 'process')][0]:.3f} process; "
      f"{n} requests: {medians[(n, 'in-process')][0]:.3f} / {medians[(n, 'process')][0]:.3f}")
print(f"per evaluate call: {(extraN - extra0) / n * 1e6:.0f} us wall, {(cpuN - cpu0) / n * 1e6:.0f} us CPU; "
      f"per stage: {extra0 * 1e3:.1f} ms wall, {cpu0 * 1e3:.1f} ms CPU")
PY
  exit 0
fi

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
