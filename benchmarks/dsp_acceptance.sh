#!/usr/bin/env bash
# Acceptance measurement of the DSP plugin (issue 11); not part of CI.
#
# cnndm_val500 is shuffled with a fixed seed and cut into a training part, a selection part (the
# runs' dev split) and a report part (the test split, never used for training or selection).
# With the offline extractive-e5 generator it reports ROUGE-1/2/L F (stemmed, rouge_score) and
# their mean on the report part for: lead-3, no hint, TextRank top-k hint, random hint, the
# supervised policy, supervised + RL, best-of-N (same generator calls as RL) and the oracle hint.
#
#   benchmarks/dsp_acceptance.sh            # defaults below; sizes and steps via the environment
#   N_TRAIN=40 N_SELECT=10 N_REPORT=60 STEPS=12 BATCH=8 HINTS=4 benchmarks/dsp_acceptance.sh
#
# Tuning without the report part: TUNE_POOL=P keeps only the first P shuffled articles (for the
# final run's N_TRAIN + N_SELECT, exactly its training and selection parts) and cuts all three
# parts from them. METHODS limits the trained rows (default "supervised rl best_of_n"; rows not
# run are left out of the table); EXTRA is a JSON object merged into every trained stage's config.
set -euo pipefail
cd "$(dirname "$0")/.."
N_TRAIN=${N_TRAIN:-40}; N_SELECT=${N_SELECT:-10}; N_REPORT=${N_REPORT:-60}; SEED=${SEED:-11}
STEPS=${STEPS:-12}; BATCH=${BATCH:-8}; HINTS=${HINTS:-4}; K=${K:-6}
OUT=${OUT:-/tmp/dsp-acceptance}; TUNE_POOL=${TUNE_POOL:-0}; EXTRA=${EXTRA:-'{}'}
METHODS=${METHODS:-supervised rl best_of_n}
DATA=../shared/data/summarization
swift build -c release --product hone >&2
swift build -c release --product HonePluginDirectionalStimulus >&2
swift build -c release --product dsp-bench >&2
BIN=.build/release
mkdir -p "$OUT"

rm -f "$OUT"/*.outputs.jsonl
python3 - "$DATA" "$OUT" "$N_TRAIN" "$N_SELECT" "$N_REPORT" "$SEED" "$STEPS" "$BATCH" "$HINTS" "$K" "$TUNE_POOL" "$EXTRA" <<'PY'
import json, random, sys
data, out, n_train, n_select, n_report, seed, steps, batch, hints, k, pool, extra = sys.argv[1:]
n_train, n_select, n_report, steps, batch, hints, k, pool = map(int, (n_train, n_select, n_report, steps, batch, hints, k, pool))
records = json.load(open(f"{data}/cnndm_val500.json"))
keys = sorted(records, key=int)
random.Random(int(seed)).shuffle(keys)
if pool:
    keys = keys[:pool]
    assert n_train + n_select + n_report <= pool, "TUNE_POOL must hold the three parts"
parts = {"train": keys[:n_train], "select": keys[n_train:n_train + n_select],
         "report": keys[n_train + n_select:n_train + n_select + n_report]}
for name, part in parts.items():
    json.dump({key: records[key] for key in part}, open(f"{out}/{name}.json", "w"))
with open(f"{out}/report_inputs.jsonl", "w") as f:
    for key in parts["report"]:
        f.write(json.dumps({"input": records[key]["article"], "id": key}) + "\n")
hint_instruction = open(f"{data}/cnndm_hint_fs.txt").read().split("\n\n")[0].strip()
plain_instruction = open(f"{data}/cnndm_fs.txt").read().split("\n\n")[0].strip()
template = hint_instruction + "\nKeywords: [[HINT]]"
def pipeline(name, stage):
    return {"name": name, "seed": int(seed),
            "task": {"type": "generation",
                     "dataset": {"format": "json-records", "input_column": "article", "label_column": "reference",
                                 "train": f"{out}/train.json", "dev": f"{out}/select.json", "test": f"{out}/report.json"},
                     "template": "{prompt}\n\nArticle: {input}\n\nSummary:", "prompt": hint_instruction,
                     "metric": "rougeL", "generation": {"max_tokens": 120}},
            "backend": {"type": "extractive-e5", "sentences": 3},
            "stages": [stage]}
common = dict({"prompt_template": template, "batch_size": batch, "hints_per_input": hints, "eval_every": max(1, steps // 3)}, **json.loads(extra))
stages = {"supervised": dict(common, training="none"),
          "rl": dict(common, training="rl", rl_steps=steps),
          "best_of_n": dict(common, training="best_of_n", rl_steps=steps)}
for name, config in stages.items():
    json.dump(pipeline(f"dsp-{name}", {"plugin": "org.hone.dsp", "config": config, "budget": {"calls": 1000000}, "keep_if_worse": True}),
              open(f"{out}/{name}.pipeline.json", "w"), indent=1)
def rendered(selector):
    return {"kind": "rendered", "text": hint_instruction + "\nKeywords: ", "method": "org.hone.dsp", "method_version": "1.0.0",
            "data": {"selector": selector, "k": k, "candidates": 40, "max_words": 3, "prompt_template": template, "seed": int(seed)}}
json.dump(rendered("textrank"), open(f"{out}/textrank.artifact.json", "w"))
json.dump(rendered("random"), open(f"{out}/random.artifact.json", "w"))
json.dump({"text": plain_instruction}, open(f"{out}/no_hint.artifact.json", "w"))
json.dump({"text": hint_instruction}, open(f"{out}/oracle.artifact.json", "w"))
PY

for method in $METHODS; do
    echo "== training: $method" >&2
    rm -rf "$OUT/run-$method"
    $BIN/hone run "$OUT/$method.pipeline.json" --plugin-path $BIN --out "$OUT/run-$method" -q
    cp "$OUT/run-$method/best_prompt.json" "$OUT/$method.artifact.json"
done

$BIN/dsp-bench lead3 "$OUT/report.json" "$OUT/lead3.outputs.jsonl"
$BIN/dsp-bench oracle "$OUT/report.json" "$OUT/oracle_inputs.jsonl"
for method in no_hint textrank random $METHODS oracle; do
    echo "== applying: $method" >&2
    inputs="$OUT/report_inputs.jsonl"; [ "$method" = oracle ] && inputs="$OUT/oracle_inputs.jsonl"
    $BIN/hone apply --artifact "$OUT/$method.artifact.json" --input "$inputs" --pipeline "$OUT/supervised.pipeline.json" \
        --plugin-path $BIN --generate -o "$OUT/$method.outputs.jsonl"
done
python3 benchmarks/dsp_acceptance_summary.py "$OUT"
