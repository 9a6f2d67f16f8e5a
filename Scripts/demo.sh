#!/usr/bin/env bash
# Sets up a fresh machine (apt packages), builds, and runs the demo: a message goes through the
# three-handler pipeline (first -> second -> third), its spans are exported over OTLP/gRPC to
# the embedded receiver, and the trace that arrived is drawn as a waterfall.
# Arguments go to otlp-demo (--endpoint URL, --protocol, --messages N, --html FILE, --help).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh
swift build --product otlp-demo
exec .build/debug/otlp-demo "$@"
