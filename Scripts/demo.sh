#!/usr/bin/env bash
# Sets up a fresh machine (apt packages, rotel), builds, and runs the demo: a sample trace of
# the three-handler message pipeline is encoded and sent to a local rotel collector, and
# what rotel received is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh
swift build --product otlp-demo

agent=$(Scripts/rotel-agent-path.sh)
port=${OTLP_DEMO_PORT:-4318}
log=$(mktemp)
"$agent" start --exporter blackhole --debug-log traces --debug-log-verbosity detailed \
  --otlp-http-endpoint "127.0.0.1:$port" --otlp-grpc-endpoint "127.0.0.1:$((port - 1))" \
  --log-file "$log.agent" >"$log" 2>&1 &
rotel_pid=$!
trap 'kill -INT $rotel_pid 2>/dev/null; sleep 1; kill -KILL $rotel_pid 2>/dev/null; rm -f "$log" "$log.agent"' EXIT

for _ in $(seq 100); do
  grep -q "Starting Rotel" "$log" && break
  sleep 0.1
done

.build/debug/otlp-demo --endpoint "http://127.0.0.1:$port" "$@"
sleep 1
echo
echo "--- what rotel received ---"
grep -v "Starting Rotel" "$log"
