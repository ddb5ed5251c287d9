#!/usr/bin/env bash
# Metric and loader benchmarks (not part of the test suite; figures go to docs/performance.md).
#
# 1. ROUGE-L (stemmed F-measure) over all 500 CNN/DailyMail pairs of cnndm_val500.json,
#    lead-3 sentences vs reference highlights: Hone (release build) and Google's rouge-score
#    on the very same pairs, both including tokenization and stemming, both cold.
# 2. Loading the few-shot AG News task (7,600-row test file plus 16-shot train and dev).
#
# Times are CPU time of the process (the machine is shared; wall time would measure the load).
#
# Usage: benchmarks/metrics_bench.sh [repetitions]   (needs python3 with rouge-score installed;
#        scripts/setup.sh --with-test-tools installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-20}"
DATA="$(cd .. && pwd)/shared/data"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 -c "import rouge_score" 2>/dev/null || python3 -m pip install -q rouge-score
swift build -c release --product hone-bench-metrics >/dev/null
BIN="$(swift build -c release --show-bin-path)/hone-bench-metrics"

echo "== ROUGE-L over 500 CNN/DailyMail pairs (median of $REPS runs)"
hone_line="$("$BIN" rouge-l "$DATA/summarization/cnndm_val500.json" "$WORK/pairs.json" "$REPS")"
echo "hone:        $hone_line"
py_line="$(python3 - "$WORK/pairs.json" "$REPS" <<'PY'
import json, statistics, sys, time
from rouge_score import rouge_scorer
d = json.load(open(sys.argv[1])); reps = int(sys.argv[2])
times, mean = [], 0.0
for _ in range(max(3, reps // 4)):
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    start = time.process_time()
    total = sum(scorer.score(r, p)["rougeL"].fmeasure for p, r in zip(d["predictions"], d["references"]))
    times.append((time.process_time() - start) * 1000)
    mean = total / len(d["predictions"])
print(f"pairs={len(d['predictions'])} repetitions={len(times)} median_ms={statistics.median(times):.3f} min_ms={min(times):.3f} mean_rougeL_f={mean:.6f}")
PY
)"
echo "rouge-score: $py_line"
hone_ms="$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$hone_line")"
py_ms="$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$py_line")"
python3 -c "print(f'speed-up: {float($py_ms) / float($hone_ms):.1f}x')"

echo "== Loading few-shot AG News (median of $REPS runs)"
echo "hone:        $("$BIN" load "$DATA/fsc/agnews" "$REPS")"
