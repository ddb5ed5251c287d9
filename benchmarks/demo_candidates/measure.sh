#!/usr/bin/env bash
# Measures demo candidates cold: each pipeline runs with a fresh, empty HONE_CACHE_DIR (so every
# text is embedded), and prints wall time, engine time (the e5 engine's summed latency from
# result.json), the CPU time of the process (user + system: robust when other jobs share the
# cores, where wall time is not; on an idle 2-core machine wall time is about CPU time / 2 while
# the engine runs), backend calls, the baseline and best test scores and the gain line.
#   HONE=/path/to/release/hone bash benchmarks/demo_candidates/measure.sh PIPELINE.json...
set -euo pipefail
hone=${HONE:-.build/release/hone}
for pipeline in "$@"; do
    name=$(basename "$pipeline" .json)
    cache=$(mktemp -d)
    out=$(mktemp -d)/run
    start=$(date +%s.%N)
    HONE_CACHE_DIR=$cache /usr/bin/time -f "%U %S" -o "$out.time" "$hone" run "$pipeline" --out "$out" > "$out.summary" 2> "$out.log" || { echo "$name: failed (see $out.log)"; continue; }
    end=$(date +%s.%N)
    python3 - "$out/result.json" "$name" "$start" "$end" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cat "$out.time")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["scores"]
cpu = sum(float(x) for x in sys.argv[6].split())
print(f'{sys.argv[2]}: wall {float(sys.argv[4]) - float(sys.argv[3]):.0f} s, engine {r.get("latency_seconds", 0):.0f} s, cpu {cpu:.0f} s, '
      f'calls {r["backend_calls"]}, texts embedded {r.get("items_computed")}, load {sys.argv[5]}; '
      f'baseline test {s["baseline"]["test"]:.4f}, best test {s["best"]["test"]:.4f} ({r["split_sizes"]["test"]} rows), '
      f'best "{r["best_prompt_text"]}"')
PY
    grep "test gain" "$out.summary" || true
    rm -rf "$cache"
done
