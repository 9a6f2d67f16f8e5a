#!/usr/bin/env python3
"""run.sh's helper: completes each run's JSON line, and prints the comparison table.

    report.py record --system S --round R [--received N]   (a JSON line on stdin)
    report.py table RAW.jsonl [--rounds N]

Any python3 (3.8 or newer) runs it; it needs no package.
"""

import argparse
import json
import statistics
import sys

SYSTEMS = [
    ("swift-otlp-exporter", "this project"),
    ("swift-otel", "swift-otel"),
    ("python", "python"),
]
PEERS = SYSTEMS[1:]

MIB = 1 << 20


def delivered(run):
    return run.get("exported")


def dropped_percent(run):
    if run.get("dropped") is None or not run.get("spans"):
        return None
    return run["dropped"] * 100.0 / run["spans"]


def cpu_per_100k(run):
    if not delivered(run):
        return None
    return run["cpu_s"] * 100_000 / delivered(run)


# (workload, figure, the better direction, how to read it off a run, decimals)
FIGURES = [
    ("W1", "ns per span (producer)", "lower", lambda run: run["ns_per_span"], 0),
    ("W2", "delivered spans/s", "higher", lambda run: run.get("spans_per_s"), 0),
    ("W2", "dropped %", "lower", dropped_percent, 1),
    ("W2", "peak RSS MiB", "lower", lambda run: run["peak_rss_bytes"] / MIB, 0),
    ("W2g", "delivered spans/s", "higher", lambda run: run.get("spans_per_s"), 0),
    ("W2g", "dropped %", "lower", dropped_percent, 1),
    ("W2g", "peak RSS MiB", "lower", lambda run: run["peak_rss_bytes"] / MIB, 0),
    ("W3", "CPU s per 100k delivered", "lower", cpu_per_100k, 2),
    ("W3", "dropped %", "lower", dropped_percent, 1),
]


def record(arguments):
    text = sys.stdin.read().strip()
    run = json.loads(text)
    line = {"system": arguments.system, "round": arguments.round}
    line.update({key: value for key, value in run.items() if key != "system"})
    if arguments.received is not None:
        # Networked workloads: what the shared receiver counted during the run, for every
        # system alike; the system's own figure, if it has one, is kept as self_exported.
        line["self_exported"] = run.get("exported")
        line["exported"] = arguments.received
        line["dropped"] = run["spans"] - arguments.received
        line["spans_per_s"] = round(arguments.received / run["wall_s"]) if run["wall_s"] > 0 else None
        line["exported_source"] = "receiver"
    else:
        line["exported_source"] = "self"
    print(json.dumps(line, separators=(",", ":")))


def cell(value, decimals):
    if value is None:
        return "-"
    return f"{value:,.{decimals}f}"


def table(arguments):
    runs = []
    header = {}
    with open(arguments.raw) as raw:
        for text in raw:
            text = text.strip()
            if not text:
                continue
            line = json.loads(text)
            if line.get("kind") == "header":
                header = line
            elif "workload" in line:
                runs.append(line)

    versions = header.get("versions", {})
    print()
    print("Peers: median of {} round(s) per system; ratio = this project / peer".format(header.get("rounds", "?")))
    print("  this project: swift-otlp-exporter (otlp-bench), {}".format(versions.get("swift-otlp-exporter", "")))
    print("  swift-otel:   swift-otel {}".format(versions.get("swift-otel", "")))
    print("  python:       OpenTelemetry Python SDK {}".format(versions.get("python", "")))
    print()

    columns = ["workload", "figure", "better", "this project", "swift-otel", "python",
               "vs swift-otel", "vs python"]
    rows = []
    workloads = header.get("workloads")
    for workload, figure, better, read, decimals in FIGURES:
        if workloads is not None and workload not in workloads:
            continue
        medians = {}
        counts = {}
        for system, _ in SYSTEMS:
            values = [read(run) for run in runs
                      if run["system"] == system and run["workload"] == workload and not run.get("error")]
            values = [value for value in values if value is not None]
            counts[system] = len(values)
            medians[system] = statistics.median(values) if values else None
        if not any(counts.values()):
            continue
        ours = medians["swift-otlp-exporter"]
        row = [workload, figure, better]
        for system, _ in SYSTEMS:
            text = cell(medians[system], decimals)
            expected = header.get("rounds")
            if medians[system] is not None and expected and counts[system] < expected:
                text += f" (n={counts[system]})"
            row.append(text)
        for system, _ in PEERS:
            peer = medians[system]
            if ours is None or peer is None or peer == 0:
                row.append("-")
            else:
                row.append(f"{ours / peer:.2f}x")
        rows.append(row)

    widths = [max(len(str(row[index])) for row in rows + [columns]) for index in range(len(columns))]
    left = {0, 1, 2}

    def render(row):
        return "  ".join(
            str(value).ljust(widths[index]) if index in left else str(value).rjust(widths[index])
            for index, value in enumerate(row)
        )

    print(render(columns))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(render(row))
    failures = [run for run in runs if run.get("error")]
    print()
    print("Each system's 'delivered' is what the shared receiver counted during its run (W2, W2g, W3);")
    print("W1 has no network: ns per span is the producer's wall time / N.")
    if failures:
        print(f"{len(failures)} run(s) failed: see the raw file's \"error\" lines.")


def main():
    parser = argparse.ArgumentParser(prog="report.py")
    commands = parser.add_subparsers(dest="command", required=True)
    record_parser = commands.add_parser("record")
    record_parser.add_argument("--system", required=True)
    record_parser.add_argument("--round", type=int, required=True)
    record_parser.add_argument("--received", type=int)
    table_parser = commands.add_parser("table")
    table_parser.add_argument("raw")
    arguments = parser.parse_args()
    if arguments.command == "record":
        record(arguments)
    else:
        table(arguments)


if __name__ == "__main__":
    main()
