#!/usr/bin/env bash
# Fuzzes the parsers that read what others send (propagation headers, environment lists,
# gRPC answers, OTLP protobuf and JSON, the receiver's request path) with libFuzzer, each
# harness for a bounded time: Scripts/fuzz.sh [seconds per harness, default 60] [harness...].
# Seeds are in Fuzz/Corpus/<harness> (inputs that once crashed stay there as regression-*, so
# every run tries them first); new inputs go to Fuzz/.build/corpus; a crash leaves its input in
# Fuzz/Crashes and makes the script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz-propagation fuzz-environment fuzz-grpc-response fuzz-otlp-decoding)

# libFuzzer and AddressSanitizer report a crash; the Swift runtime's backtracer would get in the way.
export SWIFT_BACKTRACE=enable=no
mkdir -p Crashes
status=0
for harness in "${harnesses[@]}"; do
  swift build --product "$harness" -Xswiftc -sanitize=fuzzer,address
  mkdir -p ".build/corpus/$harness"
  echo "== $harness: $seconds s"
  if ! ".build/debug/$harness" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="Crashes/$harness-" ".build/corpus/$harness" "Corpus/$harness"; then
    echo "== $harness found a crash; its input is in Fuzz/Crashes" >&2
    status=1
  fi
done
exit $status
