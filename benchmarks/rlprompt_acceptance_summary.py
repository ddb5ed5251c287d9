#!/usr/bin/env python3
"""Summarizes benchmarks/rlprompt_acceptance.sh: test accuracy per method, mean and spread over seeds.

Usage: python3 benchmarks/rlprompt_acceptance_summary.py OUT
Prints a Markdown table and writes OUT/summary.json.
"""
import json
import os
import statistics
import sys

METHODS = [
    ("empty", "random_search", "baseline"),
    ("handwritten", "rlprompt", "baseline"),
    ("single_token", "single_token", "best"),
    ("random_search", "random_search", "best"),
    ("rlprompt", "rlprompt", "best"),
    ("rlprompt_reference_loss", "rlprompt_reference_loss", "best"),
    ("rlprompt_free_output", "rlprompt_free_output", "best"),
]


def main():
    out = sys.argv[1]
    table = {}
    details = []
    for dataset in sorted(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d)) and d != "data"):
        for seed in sorted(os.listdir(os.path.join(out, dataset))):
            folder = os.path.join(out, dataset, seed)
            if not os.path.isdir(folder):
                continue
            for method, run, which in METHODS:
                path = os.path.join(folder, run, "result.json")
                if not os.path.exists(path):
                    continue
                with open(path, encoding="utf-8") as f:
                    result = json.load(f)
                score = result["scores"][which]["test"]
                prompt = result["baseline_prompt"]["text"] if which == "baseline" else result["best_prompt_text"]
                table.setdefault(dataset, {}).setdefault(method, []).append(score)
                stage = result["stages"][0]
                details.append({"dataset": dataset, "seed": seed, "method": method, "test": score,
                                "dev": result["scores"][which]["dev"], "prompt": prompt,
                                "test_rows": result["split_sizes"]["test"],
                                "stage_calls": stage.get("used_calls") if which == "best" else 0,
                                "summary": stage.get("summary") if which == "best" else None})
    lines = ["| dataset | method | seeds | test accuracy mean | spread (population std) | per seed |", "|---|---|---|---|---|---|"]
    for dataset, methods in table.items():
        for method, _, _ in METHODS:
            scores = methods.get(method, [])
            if not scores:
                continue
            spread = f"{100 * statistics.pstdev(scores):.1f}" if len(scores) > 1 else "n/a (1 seed)"
            lines.append(f"| {dataset} | {method} | {len(scores)} | {100 * statistics.mean(scores):.1f} | {spread} | "
                         + ", ".join(f"{100 * s:.1f}" for s in scores) + " |")
    print("\n".join(lines))
    print()
    for d in details:
        print(f"- {d['dataset']} {d['seed']} {d['method']}: test {100 * d['test']:.1f} dev {100 * d['dev']:.1f} "
              f"({d['test_rows']} test rows, {d['stage_calls']} stage calls) \"{d['prompt']}\"")
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"table": table, "runs": details}, f, indent=1)


if __name__ == "__main__":
    main()
