#!/usr/bin/env bash
# Builds examples/embedding, starts its run (a pipeline built in code, a Swift optimizer, the
# embedded e5 model), kills it with SIGKILL once its stage has scored a candidate, resumes it
# from the ledger with `--resume`, and checks that the run ended `done`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --package-path examples/embedding
example="$(swift build --package-path examples/embedding --show-bin-path)/hone-embedding-example"
run="$(mktemp -d)/run"

"$example" "$run" &
pid=$!
for _ in $(seq 3000); do
    if grep -q '"candidate_scored"' "$run/events.jsonl" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
done
if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    echo "embedding example: killed (SIGKILL) after its stage scored a candidate; resuming from $run"
else
    wait "$pid"
    echo "embedding example: finished before it could be killed" >&2
fi

"$example" --resume "$run"
if ! grep -Eq '"status": *"done"' "$run/result.json"; then
    echo "embedding example: $run/result.json does not say the run is done" >&2
    exit 1
fi
echo "embedding example: resumed to done ($run)"
