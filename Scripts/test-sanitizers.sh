#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, then under ThreadSanitizer, each in a build
# folder of its own (.build-asan, .build-tsan) so that the normal build is kept. Exits non-zero
# on the first error a sanitizer reports. Needs what Scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export ROTEL_AGENT="${ROTEL_AGENT:-$(Scripts/rotel-agent-path.sh)}"
export LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt"
for sanitizer in address thread; do
  scratch=.build-asan
  [ "$sanitizer" = thread ] && scratch=.build-tsan
  echo "== swift test --sanitize=$sanitizer"
  swift test --scratch-path "$scratch" --sanitize="$sanitizer"
done
