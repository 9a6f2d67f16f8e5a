#!/usr/bin/env bash
# Counts the instructions that the batch span processor's worker and the exporter's delivery
# lanes execute per exported span, under valgrind's callgrind. Unlike CPU time, the count
# does not drift with what else the shared machine runs: use it for every A/B of the worker.
#
#   Benchmarks/worker-instructions.sh                          20,000 W2 spans to the embedded receiver
#   Benchmarks/worker-instructions.sh --workload W2g --spans 20000   any otlp-bench arguments
#                                                                    (--blocks-when-full is added)
#
# Prints the otlp-bench line, the instructions of each counted thread, and
# worker_instructions_per_span (their sum over the spans exported).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v valgrind >/dev/null 2>&1; then
  echo "error: valgrind not found; install it with: apt-get install -y valgrind" >&2
  exit 1
fi
swift build -c release --product otlp-bench >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 gives up on the DWARF that Swift 6.3 writes; the symbol table is enough to
# tell the threads apart, so a copy without debug information is counted.
cp .build/release/otlp-bench "$work/otlp-bench"
strip --strip-debug "$work/otlp-bench"
# The producer waits for room rather than dropping: every span is exported, in full batches,
# so that the count does not depend on how valgrind took turns between the threads.
if [ $# -eq 0 ]; then set -- --workload W2 --spans 20000; fi
set -- "$@" --blocks-when-full
# The embedded receiver, started here rather than by otlp-bench: a process that valgrind
# starts cannot re-run its own executable through /proc/self/exe, and the receiver's work is
# not the sender's anyway. It prints its HTTP and gRPC ports and exits when its input closes.
coproc RECEIVER { exec "$work/otlp-bench" receive; }
# Kept now: bash unsets the coprocess's variables once it has exited.
receiver_pid=$RECEIVER_PID
receiver_input=${RECEIVER[1]}
read -r http_port grpc_port <&"${RECEIVER[0]}"
port=$http_port
case " $* " in *" W2g "*) port=$grpc_port ;; esac
(cd "$work" && valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/callgrind.out" \
  ./otlp-bench "$@" --endpoint "http://127.0.0.1:$port" > "$work/result.txt" 2> "$work/valgrind.log") || {
  echo "error: otlp-bench failed under valgrind; its log:" >&2
  tail -20 "$work/valgrind.log" >&2
  exit 1
}
exec {receiver_input}>&-
wait "$receiver_pid" 2>/dev/null || true
line=$(grep '^{' "$work/result.txt")
echo "$line"
exported=$(echo "$line" | sed -n 's/.*"exported":\([0-9]*\).*/\1/p')
# One file per thread; the worker's is the one that runs BatchQueue.runWorker, a
# lane's the one that runs DeliveryLanes.runLane.
total=0
for file in "$work"/callgrind.out-*; do
  role=""
  if grep -q 'BatchQueueC9runWorker' "$file"; then role="worker (otel-span-batch)"; fi
  if grep -q 'DeliveryLanesC7runLane' "$file"; then role="delivery lane (otlp-export-N)"; fi
  [ -n "$role" ] || continue
  count=$(sed -n 's/^summary: //p' "$file")
  echo "$role: $count instructions"
  total=$((total + count))
done
if [ "${exported:-0}" -eq 0 ]; then
  echo "error: no span was exported" >&2
  exit 1
fi
echo "worker_instructions_per_span: $((total / exported)) ($total instructions, $exported spans exported)"
