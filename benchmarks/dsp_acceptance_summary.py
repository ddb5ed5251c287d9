"""Scores the outputs of benchmarks/dsp_acceptance.sh: ROUGE-1/2/L F (stemmed, rouge_score) and
their mean on the report part, one row per method, plus each trained run's generator calls."""
import json
import os
import sys

from rouge_score import rouge_scorer

out = sys.argv[1]
references = {key: record["reference"] for key, record in json.load(open(f"{out}/report.json")).items()}
scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
rows = [("lead-3", "lead3"), ("no hint", "no_hint"), ("TextRank top-k hint", "textrank"), ("random hint", "random"),
        ("supervised policy", "supervised"), ("supervised + RL", "rl"), ("best-of-N (RL's generator calls)", "best_of_n"),
        ("oracle hint (upper bound)", "oracle")]
print(f"report part: {len(references)} articles\n")
print("| method | ROUGE-1 | ROUGE-2 | ROUGE-L | mean |")
print("| --- | ---: | ---: | ---: | ---: |")
means = {}
for label, name in rows:
    if not os.path.exists(f"{out}/{name}.outputs.jsonl"):
        continue
    lines = [json.loads(line) for line in open(f"{out}/{name}.outputs.jsonl") if line.strip()]
    totals = [0.0, 0.0, 0.0]
    for line in lines:
        s = scorer.score(references[str(line["id"])], line.get("output", ""))
        for i, key in enumerate(["rouge1", "rouge2", "rougeL"]):
            totals[i] += s[key].fmeasure
    r = [t / len(lines) for t in totals]
    means[name] = sum(r) / 3
    hints = [line.get("input" if name == "oracle" else "prompt", "").rsplit("Keywords: ", 1) for line in lines]
    keywords = sum(len([k for k in h[1].split("; ") if k.strip()]) if len(h) == 2 else 0 for h in hints) / len(lines)
    label = f"{label} ({keywords:.1f} keywords)" if name not in ("lead3", "no_hint") else label
    print(f"| {label} | {r[0]:.4f} | {r[1]:.4f} | {r[2]:.4f} | {means[name]:.4f} |")
for name in ["supervised", "rl", "best_of_n"]:
    if name in means:
        print(f"\n{name} vs no hint: {100 * (means[name] / means['no_hint'] - 1):+.1f}% relative ROUGE mean, "
              f"vs TextRank: {100 * (means[name] / means['textrank'] - 1):+.1f}%")
for name in ["supervised", "rl", "best_of_n"]:
    if name not in means:
        continue
    result = json.load(open(f"{out}/run-{name}/result.json"))
    stage = result["stages"][0]
    summary = stage.get("summary", {})
    print(f"{name}: best step {summary.get('best_step')}, selection {summary.get('best_selection', 0):.4f}, "
          f"plugin s/step {summary.get('plugin_seconds_per_step', 0):.3f}, generator s/step {summary.get('generator_seconds_per_step', 0):.3f}, "
          f"feature s {summary.get('feature_seconds', 0):.2f}, curve {[round(p.get('reward', 0), 2) for p in stage.get('curve', []) if 'reward' in p]}")
