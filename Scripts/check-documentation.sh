#!/usr/bin/env bash
# Builds the DocC documentation of the three libraries with the toolchain's own `docc` (no
# plugin dependency for users of the package) and fails on any warning: a broken symbol link,
# an ambiguous one, or a public type its landing page does not list.
#   Scripts/check-documentation.sh [--output DIR]   (the archives go to DIR, default .build/docs)
set -euo pipefail
cd "$(dirname "$0")/.."

output=.build/docs
if [[ "${1:-}" == "--output" ]]; then output="$2"; fi
command -v docc >/dev/null || { echo "check-documentation: docc not found (it ships with the Swift toolchain)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "check-documentation: python3 not found" >&2; exit 1; }

# Extension blocks, so that links to what the SDK adds to swift-log's and
# swift-distributed-tracing's types resolve.
build_log=$(mktemp)
if ! swift package dump-symbol-graph --minimum-access-level public --emit-extension-block-symbols \
    --skip-synthesized-members >"$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
fi
rm -f "$build_log"
graphs="$(swift build --show-bin-path)/../symbolgraph"
mkdir -p "$output"

status=0
for module in OTelSDK OTLPExporter OTLPReceiver; do
    module_graphs=$(mktemp -d)
    cp "$graphs/$module.symbols.json" "$module_graphs/"
    cp "$graphs/$module"@*.symbols.json "$module_graphs/" 2>/dev/null || true
    if ! docc convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$module_graphs" \
        --output-dir "$output/$module.doccarchive" --fallback-display-name "$module" \
        --fallback-bundle-identifier "otlp-exporter.$module" --warnings-as-errors >"$module_graphs/log" 2>&1; then
        echo "check-documentation: $module has documentation warnings:" >&2
        grep -A4 -E "warning:|error:" "$module_graphs/log" >&2 || cat "$module_graphs/log" >&2
        status=1
    fi
    # Every public type, protocol and top-level function is listed on the module's landing page.
    if ! python3 - "$module_graphs/$module.symbols.json" "Sources/$module/$module.docc/$module.md" <<'EOF'; then
import json, re, sys
graph, landing_page = sys.argv[1], sys.argv[2]
public = {symbol["pathComponents"][0] for symbol in json.load(open(graph))["symbols"]
          if len(symbol["pathComponents"]) == 1 and symbol["accessLevel"] in ("public", "open")}
listed = set(re.findall(r"^- ``([A-Za-z0-9_]+)", open(landing_page).read(), re.MULTILINE))
missing = sorted(public - listed)
if missing:
    print(f"check-documentation: {landing_page} does not list {', '.join(missing)}", file=sys.stderr)
    sys.exit(1)
EOF
        status=1
    fi
    rm -rf "$module_graphs"
done
[[ $status -eq 0 ]] && echo "check-documentation: OTelSDK, OTLPExporter and OTLPReceiver build without warnings"
exit $status
