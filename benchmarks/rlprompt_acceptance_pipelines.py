#!/usr/bin/env python3
"""Writes the pipelines of one (dataset, seed) of benchmarks/rlprompt_acceptance.sh.

Four runs share the task, backend, seed and budget:
  rlprompt.json       task prompt = the hand-written prompt (so the host scores it as the baseline),
                      one org.hone.rlprompt stage (default settings: token features, selection on train+dev);
  rlprompt_reference_loss.json  the same with the reference code's loss (value_offset "none"), an ablation;
  rlprompt_free_output.json  without token features (free per-token output weights) and with the
                      reference loss, the other ablation;
  random_search.json  task prompt = "" (the host scores the empty prompt as the baseline),
                      org.hone.random-search over RLPrompt's default vocabulary, 5 tokens;
  single_token.json   the same search restricted to 1-token prompts: the best single vocabulary token.

The files are read where they are (`DATA`): the host's TSV reader takes CRLF line ends and
finds the input column as "sentence" or "text" (agnews' train and dev files say "text").
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA", "../shared/data/fsc")
OUT = os.environ.get("OUT", "runs/rlprompt-acceptance")
BUDGET = int(os.environ.get("BUDGET", "2000"))
TEST_SAMPLE = os.environ.get("TEST_SAMPLE", "")
RLPROMPT_CONFIG = json.loads(os.environ.get("RLPROMPT_CONFIG", '{"train_batch_size": 8, "eval_every": 5}'))
# Two ablations, both with the reference code's loss (value_offset "none"):
# the default policy with that loss, and free per-token output weights (no token features) at
# the learning rate chosen for them before (3e-3).
RLPROMPT_REFERENCE_LOSS_CONFIG = dict(RLPROMPT_CONFIG, value_offset="none")
RLPROMPT_FREE_CONFIG = json.loads(os.environ.get(
    "RLPROMPT_FREE_CONFIG",
    '{"train_batch_size": 8, "eval_every": 5, "token_features": "none", "learning_rate": 0.003, "value_offset": "none"}'))

TASKS = {
    # Verbalizers as in the RLPrompt paper; hand-written prompts fixed before any measurement.
    "sst-2": {"labels": ["terrible", "great"], "handwritten": "Sentiment of this movie review:"},
    "agnews": {"labels": ["World", "Sports", "Business", "Tech"], "handwritten": "Topic of this news article:"},
}


def default_vocabulary():
    """RLPrompt's default word list, read from the plugin's source so both methods share it."""
    with open(os.path.join(ROOT, "Plugins", "RLPrompt", "DefaultWordList.swift"), encoding="utf-8") as f:
        body = re.search(r'"""\n(.*?)\n"""', f.read(), re.S).group(1)
    return body.split()


def main():
    dataset, seed = sys.argv[1], sys.argv[2]
    spec = TASKS[dataset]
    data = os.path.abspath(os.path.join(DATA, dataset))
    dataset_config = {"format": "tsv", "train": f"{data}/{seed}/train.tsv", "dev": f"{data}/{seed}/dev.tsv",
                      "test": f"{data}/test.tsv"}
    if TEST_SAMPLE:
        dataset_config["test_sample"] = int(TEST_SAMPLE)
    seed_number = int(seed.split("-")[1])
    vocabulary = default_vocabulary()
    search = {"candidates_per_round": 16, "rounds": 1000000, "dev_top_k": 4, "vocab_size": len(vocabulary),
              "vocabulary": vocabulary}

    def pipeline(name, prompt, plugin, config):
        return {
            "name": f"{dataset}-{seed}-{name}", "seed": seed_number,
            "task": {"dataset": dataset_config, "template": "{prompt} {input}", "prompt": prompt,
                     "labels": [{"name": str(i), "verbalizer": v} for i, v in enumerate(spec["labels"])],
                     "metric": "accuracy"},
            "backend": {"type": "e5", "temperature": 0.01},
            "stages": [{"plugin": plugin, "config": config, "budget": {"calls": BUDGET}}],
        }

    runs = {
        "rlprompt": pipeline("rlprompt", spec["handwritten"], "org.hone.rlprompt", RLPROMPT_CONFIG),
        "rlprompt_reference_loss": pipeline("rlprompt_reference_loss", spec["handwritten"], "org.hone.rlprompt",
                                            RLPROMPT_REFERENCE_LOSS_CONFIG),
        "rlprompt_free_output": pipeline("rlprompt_free_output", spec["handwritten"], "org.hone.rlprompt", RLPROMPT_FREE_CONFIG),
        "random_search": pipeline("random_search", "", "org.hone.random-search", dict(search, prompt_length=5)),
        "single_token": pipeline("single_token", "", "org.hone.random-search", dict(search, prompt_length=1)),
    }
    folder = os.path.join(OUT, dataset, seed)
    os.makedirs(folder, exist_ok=True)
    for name, config in runs.items():
        with open(os.path.join(folder, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=1)


if __name__ == "__main__":
    main()
