#!/usr/bin/env bash
# RLPrompt acceptance measurement (issue 5). Not part of the test suite: it runs the embedded
# e5 model for a long time.
#
# For each dataset and data seed, at one fixed budget of backend scorings per optimizing
# method, it reports the held-out TEST accuracy of:
#   empty         the empty prompt
#   handwritten   a hand-written prompt (fixed below, written before any result was seen)
#   single_token  the best single vocabulary token (random search over 1-token prompts, same budget)
#   random_search random search, same vocabulary (RLPrompt's default word list), length 5, same budget
#   rlprompt      RLPrompt (org.hone.rlprompt), default settings
#   rlprompt_reference_loss  RLPrompt with the reference code's loss (value_offset "none"), an ablation
#   rlprompt_free_output  RLPrompt without token features and with the reference loss, an ablation
# Every prompt is picked on train/dev only; test is scored once per picked prompt, by the host.
#
# Usage (from the project root):
#   benchmarks/rlprompt_acceptance.sh
# Environment (defaults in brackets):
#   DATASETS ["sst-2 agnews"]   SEEDS ["16-13 16-42 16-100"]   BUDGET [2000]
#   TEST_SAMPLE [full test set]  seeded sample of test rows, to shorten the run
#   RLPROMPT_CONFIG ['{"train_batch_size": 8, "eval_every": 5}']  JSON object for the RLPrompt stage
#   RLPROMPT_FREE_CONFIG  the same for the ablation without token features (see the pipelines script)
#   RUNS ["rlprompt rlprompt_reference_loss rlprompt_free_output random_search single_token"]  which pipelines to run
#   DATA [../shared/data/fsc]   OUT [runs/rlprompt-acceptance]   HONE [.build/debug/hone]
# Writes OUT/<dataset>/<seed>/<run>/ (each a run directory) and, from `hone compare` over them,
# OUT/summary.md (the methods x datasets table: test accuracy mean and spread over the seeds,
# budgets, and one line per run), OUT/summary.json and OUT/compare.html (with the curves).
# The empty and hand-written prompts are the rows `prompt ""` and `prompt "<hand-written>"`:
# the host's baseline scores of the random-search and RLPrompt runs, once per seed.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${DATASETS:-"sst-2 agnews"}
SEEDS=${SEEDS:-"16-13 16-42 16-100"}
BUDGET=${BUDGET:-2000}
TEST_SAMPLE=${TEST_SAMPLE:-}
RLPROMPT_CONFIG=${RLPROMPT_CONFIG:-'{"train_batch_size": 8, "eval_every": 5}'}
DATA=${DATA:-../shared/data/fsc}
OUT=${OUT:-runs/rlprompt-acceptance}
HONE=${HONE:-.build/debug/hone}
RUNS=${RUNS:-"rlprompt rlprompt_reference_loss rlprompt_free_output random_search single_token"}

if [ ! -x "$HONE" ]; then swift build; fi
mkdir -p "$OUT"
export BUDGET TEST_SAMPLE RLPROMPT_CONFIG DATA OUT

for dataset in $DATASETS; do
  for seed in $SEEDS; do
    # Write the three pipelines of this (dataset, seed).
    python3 benchmarks/rlprompt_acceptance_pipelines.py "$dataset" "$seed"
    for run in $RUNS; do
      dir="$OUT/$dataset/$seed/$run"
      if [ -f "$dir/result.json" ]; then echo "== $dataset $seed $run: done before, kept"; continue; fi
      echo "== $dataset $seed $run"
      "$HONE" run "$OUT/$dataset/$seed/$run.json" --out "$dir" -q | tee "$dir.log"
    done
  done
done
"$HONE" compare "$OUT" --per-run | tee "$OUT/summary.md"
"$HONE" compare "$OUT" --json > "$OUT/summary.json"
"$HONE" compare "$OUT" --html -o "$OUT/compare.html"
