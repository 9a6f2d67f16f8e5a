#!/usr/bin/env python3
"""The workloads of Benchmarks/README.md (W1, W2, W2g, W3) through the OpenTelemetry Python SDK.

otlp-bench's command line and JSON line, with "system": "python", so that
Benchmarks/Peers/run.sh can compare this project with the Python SDK:

    python_bench.py --workload W1|W2|W2g|W3 [--spans N] [--endpoint URL]

The SDK reports no export statistics, so for W2, W2g and W3 "exported", "dropped" and
"spans_per_s" are null: run.sh fills them from the receiver's count.
"""

import argparse
import json
import logging
import resource
import sys
import time

from opentelemetry.propagators.textmap import DefaultGetter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
ATTRIBUTES = {
    "messaging.system": "kafka",
    "messaging.destination.name": "orders",
    "messaging.operation.type": "process",
    "messaging.consumer.group.name": "billing",
    "messaging.kafka.partition": 3,
    "messaging.message.body.size": 1024,
}


class DiscardingExporter(SpanExporter):
    """W1's exporter: counts each batch and discards it."""

    def __init__(self):
        self.exported = 0

    def export(self, spans):
        self.exported += len(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self):
        pass

    def force_flush(self, timeout_millis=30000):
        return True


def positive_count(text):
    count = int(text.replace("_", ""))
    if count <= 0:
        raise argparse.ArgumentTypeError(f"{text}: expected a positive number")
    return count


def parse_arguments():
    parser = argparse.ArgumentParser(
        prog="python_bench.py",
        description="Runs one workload of Benchmarks/README.md through the OpenTelemetry Python SDK.",
    )
    parser.add_argument("--workload", required=True, choices=["W1", "W2", "W2g", "W3"])
    parser.add_argument("--spans", type=positive_count,
                        help="spans to produce (W1 default 1,000,000; W2/W2g 500,000); W3 runs 10 s")
    parser.add_argument("--endpoint",
                        help="the OTLP receiver's base URL (required for W2, W2g, W3): OTLP/HTTP protobuf "
                             "to URL/v1/traces for W2 and W3, OTLP/gRPC to URL for W2g")
    arguments = parser.parse_args()
    if arguments.workload != "W1" and not arguments.endpoint:
        parser.error(f"{arguments.workload} needs --endpoint URL (an OTLP receiver)")
    return arguments


def make_exporter(workload, endpoint):
    if workload == "W1":
        return DiscardingExporter()
    base = endpoint.rstrip("/")
    if workload == "W2g":
        import grpc
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        target = base.split("://", 1)[-1]
        return OTLPSpanExporter(endpoint=target, insecure=True, compression=grpc.Compression.NoCompression,
                                timeout=10)
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(endpoint=base + "/v1/traces", compression=Compression.NoCompression, timeout=10)


def process_usage():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # Linux reports ru_maxrss in kibibytes.
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main():
    arguments = parse_arguments()
    workload = arguments.workload
    # The processor logs a warning for every span it drops ("Queue full"); without a handler
    # Python prints each one on standard error, which would measure the terminal, not the SDK.
    logging.getLogger("opentelemetry").setLevel(logging.ERROR)

    exporter = make_exporter(workload, arguments.endpoint)
    provider = TracerProvider(sampler=ALWAYS_ON, resource=Resource({"service.name": "bench"}),
                              shutdown_on_exit=False)
    provider.add_span_processor(BatchSpanProcessor(
        exporter,
        max_queue_size=8192,
        max_export_batch_size=512,
        schedule_delay_millis=10 if workload == "W1" else 100,
    ))
    tracer = provider.get_tracer("bench")

    parent = TraceContextTextMapPropagator().extract({"traceparent": TRACEPARENT}, getter=DefaultGetter())
    carrier = {}
    TraceContextTextMapPropagator().inject(carrier, context=parent)
    if carrier.get("traceparent") != TRACEPARENT:
        sys.exit(f"python_bench.py: the remote parent was not extracted (inject gives {carrier})")

    rate = 50_000 if workload == "W3" else None
    span_count = rate * 10 if rate else (arguments.spans or (1_000_000 if workload == "W1" else 500_000))

    consumer = SpanKind.CONSUMER
    cpu_before, _ = process_usage()
    clock = time.perf_counter_ns
    start = clock()
    for index in range(span_count):
        if rate and index % 64 == 0:
            due = start + index * 1_000_000_000 // rate
            now = clock()
            if now < due:
                time.sleep((due - now) / 1e9)
        span = tracer.start_span("process orders", context=parent, kind=consumer)
        span.set_attributes(ATTRIBUTES)
        span.add_event("ack")
        span.end()
    produced = clock() - start
    # Shutdown flushes the batch span processor and shuts the exporter down.
    provider.shutdown()
    wall = clock() - start
    cpu_after, peak_rss = process_usage()

    wall_s = wall / 1e9
    cpu_s = cpu_after - cpu_before
    ns_per_span = produced / span_count
    exported = exporter.exported if workload == "W1" else None
    line = {
        "system": "python",
        "workload": workload,
        "spans": span_count,
        "ns_per_span": round(ns_per_span, 1),
        "exported": exported,
        "dropped": span_count - exported if exported is not None else None,
        "cpu_s": round(cpu_s, 3),
        "wall_s": round(wall_s, 3),
        "peak_rss_bytes": peak_rss,
        "spans_per_s": round(exported / wall_s) if exported is not None else None,
        "shutdown": "success",
    }
    print(json.dumps(line, separators=(",", ":")), flush=True)
    print(f"python {workload}: {span_count} spans, {ns_per_span:.0f} ns/span on the producer, "
          f"{wall_s:.2f} s to shutdown, {cpu_s:.2f} CPU s, peak RSS {peak_rss >> 20} MiB")


if __name__ == "__main__":
    main()
