#!/usr/bin/env bash
# Sets everything up, builds Hone (release) and runs the demo pipeline on the embedded e5 model:
# RLPrompt for 1,000 scorings on AG News (examples/agnews.json), then the baseline (no prompt)
# and the optimized prompt scored on 500 held-out test articles, with the gain and its
# standard error. DEMO_PIPELINE=examples/sst2.json runs the earlier random search on SST-2.
# DEMO_PIPELINE=examples/agnews-rlprompt.json runs RLPrompt on AG News at 6,000 scorings instead
# (about 10 minutes on 2 cores). Every example's data is in examples/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release 2>&1 | grep -E "error|warning: |Compiling|Build complete" | grep -v "^\[" || true
pipeline=${DEMO_PIPELINE:-examples/agnews.json}
.build/release/hone run "$pipeline" --out "runs/$(basename "$pipeline" .json)-demo" "$@"
