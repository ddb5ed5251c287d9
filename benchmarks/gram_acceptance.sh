#!/usr/bin/env bash
# GRAM acceptance measurement (issue 13). Not part of the test suite: it embeds a few thousand
# texts with the embedded e5 model (cached in ~/.cache/hone, so a second run is fast) and
# meta-learns 3 variants per seed.
#
# At an equal number of target tuning steps (TUNE_STEPS), on agnews and trec (../shared/data/fsc)
# and intent_recognition (../shared/data/bigbench), for each data seed it reports TEST accuracy of
#   zero_shot  class prototypes (e5 passages of the class names), no tuning
#   from_zero  the soft prompt trained from the zero-shot identity with plain SGD
#   meta_init  from the meta-learned initialization, plain SGD
#   regulator  from the identity, with the meta-learned gradient regulator
#   gram       meta-learned initialization and regulator (full GRAM)
# in two settings: base-to-new (tune on the first half of the classes; base, new, harmonic mean)
# and cross-dataset (one meta-learned pool, tune and test on each set). Every tuned head is
# picked on dev; test is scored once per picked head with the host's embedding_head formula
# (HeadScoring), see benchmarks/gram-bench/main.swift.
#
# Usage (from the project root):
#   benchmarks/gram_acceptance.sh
# Environment (defaults in brackets):
#   DATASETS ["agnews trec intent_recognition"]  SEEDS ["16-13 16-21 16-42"]
#   TEST_SAMPLE [1000]  seeded sample of each test set (trec has 500 rows; intent keeps every row not in train/dev)
#   TUNE_STEPS [50]  EVAL_EVERY [5]
#   GRAM_CONFIG ['{}']  the plugin's stage config (pool_files, pool_size, meta_steps, learning_rate, ...);
#                       empty pool_files means sst-5, cr and subj test texts and SemEval train sentences
#   METHODS, SETTINGS   subsets of the lists above
#   DATA [../shared/data]  OUT [runs/gram-acceptance]
# Writes OUT/results.jsonl (one row per setting, dataset, seed and method) and OUT/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/gram-acceptance}
mkdir -p "$OUT"
swift build --product hone-bench-gram >&2
OUT="$OUT/results.jsonl" .build/debug/hone-bench-gram | tee "$OUT/summary.md"
