#!/usr/bin/env bash
# Builds Examples/hummingbird-service (a package of its own, with its own .build) once and runs
# its test: the service with Hummingbird's TracingMiddleware, exporting to an embedded OTLP
# receiver, driven with curl and stopped with SIGTERM. Needs what Scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/../Examples/hummingbird-service"
for tool in swift curl; do
    if ! command -v "$tool" >/dev/null; then
        echo "test-example.sh: '$tool' is not on PATH: install a Swift 6.1+ toolchain, then run Scripts/install-dependencies.sh --tests" >&2
        exit 1
    fi
done
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Only the closing lines when it passes; all of it when it does not.
if swift test --skip-build >"$log" 2>&1; then
    tail -n 3 "$log"
else
    cat "$log"
    echo "test-example.sh: the hummingbird-service example's test failed" >&2
    exit 1
fi
