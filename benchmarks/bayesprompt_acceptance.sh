#!/usr/bin/env bash
# BayesPrompt acceptance measurement (issue 12). Not part of the test suite: it runs the
# embedded e5 model over SemEval's 6,507-sentence pool and full test sets for a long time.
#
# For each (dataset, k, data seed) it runs four `org.hone.bayesprompt` stages at one budget
# (the same stage budget for all; calls used are reported), in embedding mode on the
# embedded e5 model:
#   none              demonstrations only (k-shot prototypes, no domain particles)
#   random_unlabeled  demonstrations + the same number of random unlabeled sentences (the key control)
#   gmm_means         demonstrations + GMM component means, without SVGD
#   svgd              full BayesPrompt: k-shot features moved toward the GMM by SVGD
# Every artifact is selected on train+dev by the plugin. Test scores are of the full test sets;
# embedding_head artifacts are scored by the harness with the host's formula on the host's e5
# embeddings (see benchmarks/bayesprompt_bench/main.swift), text artifacts by the host.
#
# Usage (from the project root):
#   benchmarks/bayesprompt_acceptance.sh
# Environment (defaults in brackets):
#   JOBS ["semeval:1 semeval:5 semeval:16 sst-5:16 trec:16"]  dataset:k pairs
#   SEMEVAL_SEEDS ["1 2 3"]  FSC_SEEDS ["13 21 42"]  CONDITIONS ["none,random_unlabeled,gmm_means,svgd"]
#   DATA [../shared/data]  OUT [runs/bayesprompt-acceptance]
# Writes OUT/results.jsonl (one line per run; finished runs are kept on a rerun) and
# OUT/summary.md (the table of docs/methods/bayesprompt.md).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-"semeval:1 semeval:5 semeval:16 sst-5:16 trec:16"}
SEMEVAL_SEEDS=${SEMEVAL_SEEDS:-"1 2 3"}
FSC_SEEDS=${FSC_SEEDS:-"13 21 42"}
CONDITIONS=${CONDITIONS:-"none,random_unlabeled,gmm_means,svgd"}
DATA=${DATA:-../shared/data}
OUT=${OUT:-runs/bayesprompt-acceptance}
BENCH=.build/debug/hone-bench-bayesprompt
PLUGIN=.build/debug/libHonePluginBayesPrompt.so

swift build --product hone-bench-bayesprompt
swift build --product HonePluginBayesPrompt
mkdir -p "$OUT"
touch "$OUT/results.jsonl"

for job in $JOBS; do
  dataset=${job%%:*}; k=${job##*:}
  if [ "$dataset" = semeval ]; then seeds=$SEMEVAL_SEEDS; else seeds=$FSC_SEEDS; fi
  for seed in $seeds; do
    todo=$(python3 benchmarks/bayesprompt_acceptance_summary.py --missing "$OUT/results.jsonl" "$dataset" "$k" "$seed" "$CONDITIONS")
    if [ -z "$todo" ]; then echo "== $dataset k=$k seed=$seed: done before, kept"; continue; fi
    echo "== $dataset k=$k seed=$seed: $todo"
    "$BENCH" "$dataset" "$k" "$seed" "$PLUGIN" "$DATA" "$OUT/results.jsonl" "$todo" 2>>"$OUT/log.txt"
  done
done
python3 benchmarks/bayesprompt_acceptance_summary.py "$OUT/results.jsonl" | tee "$OUT/summary.md"
