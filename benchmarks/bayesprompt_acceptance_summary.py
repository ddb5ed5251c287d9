#!/usr/bin/env python3
"""Summarizes benchmarks/bayesprompt_acceptance.sh's results.jsonl as a Markdown table.

  bayesprompt_acceptance_summary.py results.jsonl [more.jsonl ...]
      mean and standard deviation over seeds of each (dataset, k, condition) test score, the
      per-seed difference full BayesPrompt - random control with its mean and spread, calls.
  bayesprompt_acceptance_summary.py --missing results.jsonl dataset k seed conditions
      prints the comma-separated conditions of that (dataset, k, seed) not yet in the file.
"""
import json
import statistics
import sys

CONDITIONS = ["none", "random_unlabeled", "gmm_means", "svgd"]
NAMES = {"none": "demonstrations only", "random_unlabeled": "+ random unlabeled (control)",
         "gmm_means": "+ GMM means, no SVGD", "svgd": "BayesPrompt (GMM + SVGD)"}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def main():
    if sys.argv[1] == "--missing":
        _, _, path, dataset, k, seed, conditions = sys.argv
        done = {(r["dataset"], r["k"], r["seed"], r["condition"]) for r in load(path)}
        print(",".join(c for c in conditions.split(",") if (dataset, k, seed, c) not in done))
        return
    rows = [r for path in sys.argv[1:] for r in load(path)]
    groups = {}
    for r in rows:
        groups.setdefault((r["dataset"], int(r["k"])), {}).setdefault(r["condition"], {})[r["seed"]] = r
    print("| dataset | k | metric | zero-shot | " + " | ".join(NAMES[c] for c in CONDITIONS) + " | BayesPrompt - control (per seed) | calls (control / BayesPrompt) |")
    print("|---|---|---|---|" + "---|" * len(CONDITIONS) + "---|---|")
    for (dataset, k) in sorted(groups):
        g = groups[(dataset, k)]
        metric = "micro-F1 w/o Other" if dataset == "semeval" else "accuracy"
        cells = []
        for c in CONDITIONS:
            scores = [100 * r["test"] for r in g.get(c, {}).values()]
            if not scores:
                cells.append("-")
            elif len(scores) == 1:
                cells.append(f"{scores[0]:.1f} (1 seed)")
            else:
                cells.append(f"{statistics.mean(scores):.1f} ± {statistics.stdev(scores):.1f}")
        zero = [100 * r["zero_shot_test"] for c in g.values() for r in c.values()]
        seeds = sorted(set(g.get("svgd", {})) & set(g.get("random_unlabeled", {})))
        diffs = [100 * (g["svgd"][s]["test"] - g["random_unlabeled"][s]["test"]) for s in seeds]
        if len(diffs) > 1:
            spread = statistics.stdev(diffs)
            diff = f"{statistics.mean(diffs):+.1f} ± {spread:.1f} ({', '.join(f'{d:+.1f}' for d in diffs)})"
        elif diffs:
            diff = f"{diffs[0]:+.1f} (1 seed)"
        else:
            diff = "-"
        calls = "/".join(str(int(statistics.mean(r["used_calls"] for r in g.get(c, {}).values()))) if g.get(c) else "-"
                         for c in ["random_unlabeled", "svgd"])
        print(f"| {dataset} | {k} | {metric} | {statistics.mean(zero):.1f} | " + " | ".join(cells) + f" | {diff} | {calls} |")


if __name__ == "__main__":
    main()
