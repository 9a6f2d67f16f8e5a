#!/usr/bin/env bash
# Sets up a fresh machine (apt packages, rotel) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh --tests
export ROTEL_AGENT="${ROTEL_AGENT:-$(Scripts/rotel-agent-path.sh)}"
swift build --build-tests
swift test
