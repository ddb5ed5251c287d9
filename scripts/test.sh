#!/usr/bin/env bash
# Sets everything up, builds Hone with its tests and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-test-tools
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
# The DocC catalogs of Hone and HoneSDK, with warnings as errors (seconds, on the build above).
bash scripts/docs.sh
# The embedding example (docs/embedding.md): a separate package that depends on this one by
# path, so the guide cannot rot. It runs a pipeline built in code on the embedded model with a
# small budget; it is killed (SIGKILL) once its stage has scored a candidate, and resumed from
# its ledger to the end.
bash scripts/embedding_example.sh
