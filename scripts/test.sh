#!/usr/bin/env bash
# Sets everything up, builds Hone with its tests and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-test-tools
swift build --build-tests
swift test --skip-build --disable-swift-testing "$@"
# The DocC catalogs of Hone and HoneSDK, with warnings as errors (seconds, on the build above).
bash scripts/docs.sh
