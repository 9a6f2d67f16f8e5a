#!/usr/bin/env bash
# Runs the SDK's tests (spans shared between threads, the ring buffer, processors, log
# handlers, metric recording and the metric reader) and the exporter's delivery lanes, for
# spans, log records and metrics, and the metric fault suite, under
# ThreadSanitizer, in a build folder of its own so that the normal build is kept. Exits
# non-zero on a race.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test --scratch-path .build-tsan --sanitize=thread --filter 'OTelSDKTests|OTLPSpanExporterConcurrencyTests|OTLPLogExporterTests|LogFaultSuiteTests|OTLPMetricExporterTests|MetricFaultSuiteTests'
