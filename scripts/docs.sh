#!/usr/bin/env bash
# Builds the DocC documentation of the Hone and HoneSDK modules into .build/docs/<Module>/
# (static HTML), failing on any DocC warning (an unresolved ``symbol`` link, a missing topic...).
#
# Symbol graphs are extracted from the modules of the debug build (swift-symbolgraph-extract on
# .build/debug/Modules), so run it after `swift build` (scripts/test.sh does); it builds nothing
# and takes seconds of CPU. docc is the toolchain's own: no package plugin, no dependency.
#
#   scripts/docs.sh            # both modules
#   scripts/docs.sh Hone       # one
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(dirname "$(readlink -f "$(command -v swift)")")"
DOCC="$(command -v docc || echo "$bin/docc")"
EXTRACT="$(command -v swift-symbolgraph-extract || echo "$bin/swift-symbolgraph-extract")"
for tool in "$DOCC" "$EXTRACT"; do
    [ -x "$tool" ] || { echo "docs.sh: $(basename "$tool") not found next to swift; use a Swift 6 toolchain that ships it" >&2; exit 1; }
done
modules_dir="$(swift build --show-bin-path)/Modules"
[ -f "$modules_dir/Hone.swiftmodule" ] || { echo "docs.sh: no $modules_dir/Hone.swiftmodule; run swift build first" >&2; exit 1; }
triple="$(swift -print-target-info | sed -n 's/.*"triple": "\(.*\)".*/\1/p' | head -1)"

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(Hone HoneSDK)
mkdir -p .build/docs
for module in "${modules[@]}"; do
    case "$module" in
        Hone) catalog=Sources/Hone/Hone.docc ;;
        HoneSDK) catalog=SDK/swift/HoneSDK/HoneSDK.docc ;;
        *) echo "docs.sh: unknown module $module (Hone or HoneSDK)" >&2; exit 2 ;;
    esac
    graphs="$(mktemp -d)"
    trap 'rm -rf "$graphs"' EXIT
    # The C modules the Swift modules import (CHoneABI, CSQLite, CFFI, CCurl) by their module maps.
    "$EXTRACT" -module-name "$module" -target "$triple" -minimum-access-level public \
        -I "$modules_dir" -I SDK/include -I Sources/CSQLite -I Sources/CFFI -I Sources/CCurl \
        -output-dir "$graphs"
    out=".build/docs/$module"
    rm -rf "$out"
    "$DOCC" convert "$catalog" \
        --additional-symbol-graph-dir "$graphs" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.hone.$module" \
        --output-path "$out" \
        --warnings-as-errors
    rm -rf "$graphs"
    echo "docs: $out"
done
