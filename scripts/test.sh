#!/usr/bin/env bash
# Sets everything up, builds Hone with its tests and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-test-tools
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
# The embedding example (docs/embedding.md): a separate package that depends on this one by
# path, built and run on the embedded model with a small budget, so the guide cannot rot.
swift build --package-path examples/embedding
swift run --skip-build --package-path examples/embedding hone-embedding-example "$(mktemp -d)/run"
