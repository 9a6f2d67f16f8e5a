#!/usr/bin/env bash
# Runs the benchmark workloads (Benchmarks/README.md: W1, W2, W2g, W3; L1, L2 for logs; M1, M2
# for metrics) on
# this project's otlp-bench, on swift-otel 1.6.0 (swift-otel-bench) and on the OpenTelemetry
# Python SDK (python_bench.py; spans only), all against one receiver (`otlp-bench receive`), and
# prints a comparison table: each system's median of the rounds, and this project's ratio to
# each peer.
#
#   Benchmarks/Peers/run.sh
#
# Environment (all optional):
#   ROUNDS=3                   rounds per workload; each round runs every system once, in an
#                              order that rotates from round to round
#   WORKLOADS="W1 W2 W2g W3 L1 L2 M1 M2"  the workloads to run
#   SPANS_SCALE=1              scales N for W1 (1,000,000), W2/W2g (500,000) and L1
#                              (1,000,000 records); W3 always runs 10 s at 50,000 spans/s,
#                              L2 10 s at 100,000 records/s; M1 records 10,000,000 of each
#                              kind (scaled too), M2 always exports 2,000 series 10 times
#   SKIP_BUILD=1               do not build otlp-bench and swift-otel-bench (use the last build)
#   OUT=FILE.jsonl             the raw JSON lines (default results/peers-<UTC time>.jsonl here);
#                              the log (standard error of every run) goes beside it as .log,
#                              the table as .txt, the README's table as .md
#   CHART=FILE.svg             the bar chart of the README's figures (default comparison.svg
#                              here, the one the README shows)
#   PYTHON=python3             the interpreter that makes the venv (.venv here)
#   OTEL_PYTHON_VERSION=1.45.2 the opentelemetry-sdk / -exporter-otlp-proto-* version to install
#
# Quick check: ROUNDS=1 SPANS_SCALE=0.1 Benchmarks/Peers/run.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCHMARKS=$(dirname "$HERE")
REPOSITORY=$(dirname "$BENCHMARKS")
ROUNDS=${ROUNDS:-3}
WORKLOADS=${WORKLOADS:-"W1 W2 W2g W3 L1 L2 M1 M2"}
SPANS_SCALE=${SPANS_SCALE:-1}
PYTHON=${PYTHON:-python3}
OTEL_PYTHON_VERSION=${OTEL_PYTHON_VERSION:-1.45.2}
VENV="$HERE/.venv"
SYSTEMS=(swift-otlp-exporter swift-otel python)

fail() {
    echo "run.sh: $*" >&2
    exit 1
}

# MARK: - Checks

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || fail "ROUNDS=$ROUNDS: expected a positive whole number"
[[ "$SPANS_SCALE" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || fail "SPANS_SCALE=$SPANS_SCALE: expected a positive number"
for workload in $WORKLOADS; do
    case $workload in
        W1 | W2 | W2g | W3 | L1 | L2 | M1 | M2) ;;
        *) fail "WORKLOADS: unknown workload $workload (expected W1, W2, W2g, W3, L1, L2, M1, M2)" ;;
    esac
done
command -v swift >/dev/null || fail "swift is not on PATH: install a Swift 6.1 (or newer) toolchain"
command -v "$PYTHON" >/dev/null ||
    fail "$PYTHON is not on PATH: install Python 3.9 or newer (or set PYTHON=/path/to/python3)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    fail "$PYTHON is $("$PYTHON" --version 2>&1); the OpenTelemetry Python SDK needs 3.9 or newer"

# The workloads' configuration is the tools' own: no OTEL_* variable may override it.
for variable in $(compgen -e | grep '^OTEL_' || true); do
    unset "$variable"
done

# MARK: - Build

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    echo "== building otlp-bench (release) in $BENCHMARKS"
    swift build -c release --package-path "$BENCHMARKS" --product otlp-bench
    echo "== building swift-otel-bench (release) in $HERE (a first build of swift-otel takes minutes)"
    swift build -c release --package-path "$HERE"
fi
OTLP_BENCH="$(swift build -c release --package-path "$BENCHMARKS" --show-bin-path)/otlp-bench"
SWIFT_OTEL_BENCH="$(swift build -c release --package-path "$HERE" --show-bin-path)/swift-otel-bench"
[[ -x "$OTLP_BENCH" ]] || fail "$OTLP_BENCH is missing: run without SKIP_BUILD=1"
[[ -x "$SWIFT_OTEL_BENCH" ]] || fail "$SWIFT_OTEL_BENCH is missing: run without SKIP_BUILD=1"

# MARK: - The Python venv

if [[ ! -d "$VENV" ]]; then
    echo "== creating the venv $VENV"
    "$PYTHON" -m venv "$VENV" ||
        fail "$PYTHON cannot create a venv (on Debian/Ubuntu: apt-get install python3-venv); remove $VENV and retry"
fi
[[ -x "$VENV/bin/python" ]] || fail "$VENV has no bin/python: remove it and retry"
"$VENV/bin/python" -m pip --version >/dev/null 2>&1 ||
    fail "the venv has no pip (on Debian/Ubuntu: apt-get install python3-venv python3-pip); remove $VENV and retry"
if ! "$VENV/bin/python" - "$OTEL_PYTHON_VERSION" <<'EOF' 2>/dev/null; then
import sys
from importlib.metadata import version
for name in ("opentelemetry-sdk", "opentelemetry-exporter-otlp-proto-http", "opentelemetry-exporter-otlp-proto-grpc"):
    if version(name) != sys.argv[1]:
        sys.exit(1)
EOF
    echo "== installing the OpenTelemetry Python SDK $OTEL_PYTHON_VERSION into the venv"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "opentelemetry-sdk==$OTEL_PYTHON_VERSION" \
        "opentelemetry-exporter-otlp-proto-http==$OTEL_PYTHON_VERSION" \
        "opentelemetry-exporter-otlp-proto-grpc==$OTEL_PYTHON_VERSION" ||
        fail "pip could not install the OpenTelemetry Python SDK $OTEL_PYTHON_VERSION (is PyPI reachable?)"
fi

# MARK: - Output files

if [[ -z "${OUT:-}" ]]; then
    mkdir -p "$HERE/results"
    OUT="$HERE/results/peers-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
fi
LOG="${OUT%.jsonl}.log"
TABLE="${OUT%.jsonl}.txt"
: >"$OUT"
: >"$LOG"

# MARK: - The shared receiver

TMP=$(mktemp -d)
RECEIVER_PID=
cleanup() {
    exec 7>&- 2>/dev/null || true # its input closes: the receiver exits
    if [[ -n "$RECEIVER_PID" ]]; then wait "$RECEIVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
mkfifo "$TMP/receiver.in" "$TMP/receiver.out"
"$OTLP_BENCH" receive <"$TMP/receiver.in" >"$TMP/receiver.out" 2>>"$LOG" &
RECEIVER_PID=$!
exec 7>"$TMP/receiver.in" 8<"$TMP/receiver.out"
read -r -t 30 -u 8 HTTP_PORT GRPC_PORT || fail "the receiver (otlp-bench receive) did not report its ports; see $LOG"
echo "== receiver: OTLP/HTTP 127.0.0.1:$HTTP_PORT, OTLP/gRPC 127.0.0.1:$GRPC_PORT"

receiver_count() {
    local count
    echo count >&7
    read -r -t 10 -u 8 count || fail "the receiver did not answer 'count'"
    echo "$count"
}

# The receiver's count once two readings 200 ms apart agree (at most about 5 s), so that a
# run's last requests are counted as its own.
settled_count() {
    local previous current attempt
    previous=$(receiver_count)
    current=$previous
    for attempt in $(seq 25); do
        sleep 0.2
        current=$(receiver_count)
        [[ "$current" == "$previous" ]] && break
        previous=$current
    done
    echo "$current"
}

# MARK: - Runs

scaled() {
    awk -v n="$1" -v scale="$SPANS_SCALE" 'BEGIN { value = int(n * scale); printf "%d", value < 1 ? 1 : value }'
}

# run_one SYSTEM WORKLOAD ROUND: runs once and appends its JSON line to $OUT.
run_one() {
    local system=$1 workload=$2 round=$3
    local command=() endpoint= spans= records= before= after= received= status=0 line summary
    case $system in
        swift-otlp-exporter) command=("$OTLP_BENCH") ;;
        swift-otel) command=("$SWIFT_OTEL_BENCH") ;;
        python) command=("$VENV/bin/python" "$HERE/python_bench.py") ;;
    esac
    case $workload in
        W1) spans=$(scaled 1000000) ;;
        W2) spans=$(scaled 500000) endpoint="http://127.0.0.1:$HTTP_PORT" ;;
        W2g) spans=$(scaled 500000) endpoint="http://127.0.0.1:$GRPC_PORT" ;;
        W3 | L2 | M2) endpoint="http://127.0.0.1:$HTTP_PORT" ;;
        L1) records=$(scaled 1000000) ;;
        M1) records=$(scaled 10000000) ;;
    esac
    command+=(--workload "$workload")
    [[ -n "$spans" ]] && command+=(--spans "$spans")
    [[ -n "$records" ]] && command+=(--records "$records")
    [[ -n "$endpoint" ]] && command+=(--endpoint "$endpoint")

    [[ -n "$endpoint" ]] && before=$(settled_count)
    echo "== $workload round $round $system: ${command[*]}" >>"$LOG"
    "${command[@]}" >"$TMP/run.out" 2>>"$LOG" 7>&- 8<&- || status=$?
    if [[ -n "$endpoint" ]]; then
        after=$(settled_count)
        received=$((after - before))
    fi
    line=$(grep -m1 '^{' "$TMP/run.out" || true)
    summary=$(grep -v '^{' "$TMP/run.out" | head -n 1 || true)
    if [[ $status -ne 0 || -z "$line" ]]; then
        printf '{"system":"%s","round":%d,"workload":"%s","error":"exit status %d; see %s"}\n' \
            "$system" "$round" "$workload" "$status" "$(basename "$LOG")" >>"$OUT"
        echo "   $workload round $round $system: FAILED (exit status $status); see $LOG"
        return
    fi
    if [[ -n "$endpoint" ]]; then
        echo "$line" | "$PYTHON" "$HERE/report.py" record --system "$system" --round "$round" --received "$received" >>"$OUT"
        echo "   $workload round $round $system: $summary; the receiver counted $received"
    else
        echo "$line" | "$PYTHON" "$HERE/report.py" record --system "$system" --round "$round" >>"$OUT"
        echo "   $workload round $round $system: $summary"
    fi
}

PYTHON_SDK_VERSION=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("opentelemetry-sdk"))')
"$PYTHON" - "$ROUNDS" "$SPANS_SCALE" "$WORKLOADS" \
    "$(git -C "$REPOSITORY" describe --always --dirty 2>/dev/null || echo unknown)" \
    "$PYTHON_SDK_VERSION on $("$VENV/bin/python" --version 2>&1)" \
    "$(swift --version 2>/dev/null | head -n 1)" "$(nproc 2>/dev/null || echo '?') cores, $(uname -sm)" \
    >>"$OUT" <<'EOF'
import datetime, json, sys
rounds, scale, workloads, commit, python, swift, machine = sys.argv[1:]
print(json.dumps({
    "kind": "header", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "rounds": int(rounds), "spans_scale": float(scale), "workloads": workloads.split(),
    "versions": {"swift-otlp-exporter": "commit " + commit, "swift-otel": "1.6.0",
                 "python": python, "swift": swift},
    "machine": machine,
}, separators=(",", ":")))
EOF

for workload in $WORKLOADS; do
    # The Python peer runs the span workloads only.
    systems=("${SYSTEMS[@]}")
    [[ "$workload" == L* || "$workload" == M* ]] && systems=(swift-otlp-exporter swift-otel)
    for ((round = 1; round <= ROUNDS; round++)); do
        for ((index = 0; index < ${#systems[@]}; index++)); do
            # The order rotates from round to round, so that no system always runs first.
            run_one "${systems[(index + round - 1) % ${#systems[@]}]}" "$workload" "$round"
        done
    done
done

"$PYTHON" "$HERE/report.py" table "$OUT" | tee "$TABLE"
"$PYTHON" "$HERE/report.py" markdown "$OUT" >"${OUT%.jsonl}.md"
"$PYTHON" "$HERE/report.py" chart "$OUT" --output "${CHART:-$HERE/comparison.svg}"
echo
echo "the README's table: ${OUT%.jsonl}.md; its chart: ${CHART:-$HERE/comparison.svg}"
echo "raw JSON lines: $OUT"
echo "log: $LOG"
