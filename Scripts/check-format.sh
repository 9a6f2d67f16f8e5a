#!/usr/bin/env bash
# Checks that every tracked Swift file is formatted as .swift-format says (swift format lint
# --strict: a warning fails). With --fix, formats them in place instead.
#
#   Scripts/check-format.sh          the check CI runs
#   Scripts/check-format.sh --fix    format the files
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || { echo "check-format: swift is not on PATH" >&2; exit 1; }
swift format --version >/dev/null 2>&1 ||
    { echo "check-format: this toolchain has no swift-format (Swift 6 toolchains include it)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.swift')
if [[ "${1:-}" == --fix ]]; then
    swift format --in-place --parallel "${files[@]}"
else
    swift format lint --strict --parallel "${files[@]}" ||
        { echo "check-format: run Scripts/check-format.sh --fix" >&2; exit 1; }
fi
