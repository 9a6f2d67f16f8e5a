#!/usr/bin/env python3
"""run.sh's helper: completes each run's JSON line, and prints the comparison table.

    report.py record --system S --round R [--received N]   (a JSON line on stdin)
    report.py table RAW.jsonl
    report.py markdown RAW.jsonl            (the README's table)
    report.py chart RAW.jsonl --output FILE.svg

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


def items(run):
    """What the run made: spans, or log records for L1 and L2 (M2 reports what arrived only)."""
    return run.get("spans", run.get("records"))


def dropped_percent(run):
    if run.get("dropped") is None or not items(run):
        return None
    return run["dropped"] * 100.0 / items(run)


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
    ("L1", "ns per log call (caller)", "lower", lambda run: run.get("ns_per_record"), 0),
    ("L1", "swift-log's own cost, ns", "lower", lambda run: run.get("floor_ns_per_record"), 0),
    ("L2", "CPU s per 100k delivered", "lower", cpu_per_100k, 2),
    ("L2", "dropped %", "lower", dropped_percent, 1),
    ("M1", "ns per counter increment", "lower", lambda run: run.get("counter_ns"), 1),
    ("M1", "ns per Timer record", "lower", lambda run: run.get("timer_ns"), 1),
    ("M1", "counter, trace_based exemplars", "lower", lambda run: run.get("counter_exemplars_ns"), 1),
    ("M1", "Timer, trace_based exemplars", "lower", lambda run: run.get("timer_exemplars_ns"), 1),
    ("M1", "counter, 2 threads at once", "lower", lambda run: run.get("counter_2threads_ns"), 1),
    ("M1", "Timer, 2 threads at once", "lower", lambda run: run.get("timer_2threads_ns"), 1),
    ("M1", "swift-metrics NOOP counter", "lower", lambda run: run.get("noop_counter_ns"), 1),
    ("M1", "swift-metrics NOOP Timer", "lower", lambda run: run.get("noop_timer_ns"), 1),
    ("M2", "CPU ms per export, 2,000 series", "lower", lambda run: run.get("cpu_ms_per_export"), 2),
    ("M2", "points received (10 exports + shutdown)", "higher", lambda run: run.get("exported"), 0),
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
        if items(run) is not None:
            line["dropped"] = items(run) - arguments.received
            rate = "records_per_s" if "records" in run else "spans_per_s"
            line[rate] = round(arguments.received / run["wall_s"]) if run["wall_s"] > 0 else None
        line["exported_source"] = "receiver"
    else:
        line["exported_source"] = "self"
    print(json.dumps(line, separators=(",", ":")))


def cell(value, decimals):
    if value is None:
        return "-"
    return f"{value:,.{decimals}f}"


def read_raw(path):
    """The header line and the runs of a raw results file."""
    runs = []
    header = {}
    with open(path) as raw:
        for text in raw:
            text = text.strip()
            if not text:
                continue
            line = json.loads(text)
            if line.get("kind") == "header":
                header = line
            elif "workload" in line:
                runs.append(line)
    return header, runs


def medians(runs, workload, read):
    """Each system's median of `read` over its runs of `workload`, and how many runs counted."""
    result = {}
    counts = {}
    for system, _ in SYSTEMS:
        values = [read(run) for run in runs
                  if run["system"] == system and run["workload"] == workload and not run.get("error")]
        values = [value for value in values if value is not None]
        counts[system] = len(values)
        result[system] = statistics.median(values) if values else None
    return result, counts


def table(arguments):
    header, runs = read_raw(arguments.raw)
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
        values, counts = medians(runs, workload, read)
        if not any(counts.values()):
            continue
        ours = values["swift-otlp-exporter"]
        row = [workload, figure, better]
        for system, _ in SYSTEMS:
            text = cell(values[system], decimals)
            expected = header.get("rounds")
            if values[system] is not None and expected and counts[system] < expected:
                text += f" (n={counts[system]})"
            row.append(text)
        for system, _ in PEERS:
            peer = values[system]
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
    print("Each system's 'delivered' is what the shared receiver counted during its run (W2, W2g, W3, L2);")
    print("W1 has no network: ns per span is the producer's wall time / N. L1 times only the log calls,")
    print("in bursts alternating with the same calls on a handler that does nothing (swift-log's own cost).")
    print("M1 times a counter increment and a Timer record in a sampled span, each system's round alternating")
    print("with swift-metrics' NOOP handler; M2 exports 2,000 Timer series every second for 10 s.")
    if failures:
        print(f"{len(failures)} run(s) failed: see the raw file's \"error\" lines.")


# The README's figures: (workload, what, read, decimals, unit)
SUMMARY = [
    ("W1", "producer's cost per span", lambda run: run["ns_per_span"], 0, "ns"),
    ("W2", "delivered per second, OTLP/HTTP", lambda run: run.get("spans_per_s"), 0, "spans/s"),
    ("W3", "CPU per 100k spans delivered", cpu_per_100k, 2, "s"),
    ("W2", "peak resident memory", lambda run: run["peak_rss_bytes"] / MIB, 0, "MiB"),
    ("L1", "caller's cost per log call", lambda run: run.get("ns_per_record"), 0, "ns"),
    ("L2", "CPU per 100k log records delivered", cpu_per_100k, 2, "s"),
    ("M1", "a counter increment", lambda run: run.get("counter_ns"), 1, "ns"),
    ("M1", "a Timer record", lambda run: run.get("timer_ns"), 1, "ns"),
    ("M2", "CPU per export of 2,000 series", lambda run: run.get("cpu_ms_per_export"), 2, "ms"),
]


def summary_rows(runs):
    for workload, what, read, decimals, unit in SUMMARY:
        values, counts = medians(runs, workload, read)
        if any(counts.values()):
            yield workload, what, values, decimals, unit


def markdown(arguments):
    header, runs = read_raw(arguments.raw)
    names = [name for _, name in SYSTEMS]
    print("| workload | figure | " + " | ".join(names) + " |")
    print("|---|---|" + "---:|" * len(names))
    for workload, what, values, decimals, unit in summary_rows(runs):
        cells = [cell(values[system], decimals) for system, _ in SYSTEMS]
        print(f"| {workload} | {what} ({unit}) | " + " | ".join(cells) + " |")
    print()
    print("Medians of {} rounds; this project at {}, swift-otel {}, the Python SDK {}; {}, {}.".format(
        header.get("rounds", "?"), header.get("versions", {}).get("swift-otlp-exporter", "?"),
        header.get("versions", {}).get("swift-otel", "?"),
        header.get("versions", {}).get("python", "?").split(" on ")[0], header.get("machine", "?"),
        header.get("date", "?")[:10]))


def chart(arguments):
    """One panel per README figure, a bar per system, each panel scaled to its largest bar."""
    header, runs = read_raw(arguments.raw)
    rows = list(summary_rows(runs))
    colors = {"swift-otlp-exporter": "#2f6fdf", "swift-otel": "#f08a24", "python": "#8a8f98"}
    panel_width, bar_height, gap, label_width, left = 290, 18, 6, 110, 10
    bars_width = panel_width - label_width - 70
    panel_height = 30 + len(SYSTEMS) * (bar_height + gap)
    width = left + 2 * panel_width
    height = 40 + ((len(rows) + 1) // 2) * (panel_height + 10) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="22" font-size="14" font-weight="bold">The same workloads on three '
        f'OpenTelemetry SDKs (medians of {header.get("rounds", "?")} rounds each)</text>',
    ]
    for index, (workload, what, values, decimals, unit) in enumerate(rows):
        x = left + (index % 2) * panel_width
        y = 40 + (index // 2) * (panel_height + 10)
        better = "higher is better" if workload == "W2" and unit == "spans/s" else "lower is better"
        parts.append(f'<text x="{x}" y="{y + 14}" font-weight="bold">{workload}: {escape(what)}</text>')
        parts.append(f'<text x="{x}" y="{y + 26}" fill="#666" font-size="10">{unit}, {better}</text>')
        largest = max((value for value in values.values() if value is not None), default=0) or 1
        for row, (system, name) in enumerate(SYSTEMS):
            bar_y = y + 32 + row * (bar_height + gap)
            value = values[system]
            parts.append(f'<text x="{x + label_width - 6}" y="{bar_y + 13}" text-anchor="end">{escape(name)}</text>')
            if value is None:
                parts.append(f'<text x="{x + label_width}" y="{bar_y + 13}" fill="#666">not run</text>')
                continue
            length = max(1.0, bars_width * value / largest)
            parts.append(f'<rect x="{x + label_width}" y="{bar_y}" width="{length:.1f}" '
                         f'height="{bar_height}" fill="{colors[system]}"/>')
            parts.append(f'<text x="{x + label_width + length + 4:.1f}" y="{bar_y + 13}">'
                         f'{cell(value, decimals)}</text>')
    versions = header.get("versions", {})
    parts.append(f'<text x="{left}" y="{height - 8}" fill="#666" font-size="10">'
                 f'{escape(versions.get("swift-otlp-exporter", ""))}, swift-otel {escape(versions.get("swift-otel", ""))}, '
                 f'Python SDK {escape(versions.get("python", "").split(" on ")[0])}; '
                 f'{escape(header.get("machine", ""))}; {escape(header.get("date", "")[:10])}</text>')
    parts.append("</svg>")
    with open(arguments.output, "w") as output:
        output.write("\n".join(parts) + "\n")


def escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    parser = argparse.ArgumentParser(prog="report.py")
    commands = parser.add_subparsers(dest="command", required=True)
    record_parser = commands.add_parser("record")
    record_parser.add_argument("--system", required=True)
    record_parser.add_argument("--round", type=int, required=True)
    record_parser.add_argument("--received", type=int)
    table_parser = commands.add_parser("table")
    table_parser.add_argument("raw")
    markdown_parser = commands.add_parser("markdown")
    markdown_parser.add_argument("raw")
    chart_parser = commands.add_parser("chart")
    chart_parser.add_argument("raw")
    chart_parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    {"record": record, "table": table, "markdown": markdown, "chart": chart}[arguments.command](arguments)


if __name__ == "__main__":
    main()
