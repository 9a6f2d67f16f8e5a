import OTelSDK
import Tracing

/// The waterfall as monospaced text, for a terminal.
extension TraceWaterfall {
    /// The waterfalls as terminal text: a header line per trace, then a line per span with
    /// the tree, kind, duration and a bar `barWidth` columns wide at full trace length, each
    /// followed by a line per log record made in it (its severity and body).
    /// - Parameter barWidth: columns for the time line; default 40.
    public func text(barWidth: Int = 40) -> String {
        var output = ""
        for trace in traces {
            let services = Set(trace.rows.compactMap(\.span.serviceName)).sorted().joined(separator: ", ")
            output +=
                "trace \(trace.traceID.hexString) · \(trace.rows.count) spans · "
                + "\(Self.milliseconds(trace.durationNanoseconds))\(services.isEmpty ? "" : " · service \(services)")\n"
            let labels = trace.rows.map { row in
                (row.depth == 0 ? "" : String(repeating: "  ", count: row.depth - 1) + "└ ") + row.span.name
            }
            let labelWidth = labels.map(\.count).max() ?? 0
            for (row, label) in zip(trace.rows, labels) {
                let (offset, length) = Self.bar(row.span, in: trace, width: barWidth)
                let kind = Self.kindName(row.span.kind).padding(toLength: 8)
                let duration = Self.milliseconds(row.span.durationNanoseconds).leftPadded(toLength: 10)
                let bar = String(repeating: " ", count: offset) + String(repeating: "█", count: length)
                let status = row.span.status?.code == .error ? "  ERROR" : ""
                output +=
                    "\(label.padding(toLength: labelWidth))  \(kind)\(duration)  │\(bar.padding(toLength: barWidth))│\(status)\n"
                let indent = String(repeating: "  ", count: row.depth)
                for record in row.logRecords {
                    output += "\(indent)  · \(record.severity.text.uppercased()) \(record.body?.description ?? "")\n"
                }
            }
        }
        return output
    }

    /// The column offset and length (at least 1) of a span's bar.
    static func bar(_ span: SpanData, in trace: Trace, width: Int) -> (offset: Int, length: Int) {
        let total = max(trace.durationNanoseconds, 1)
        let offset = Int((span.startTimeUnixNano - trace.startUnixNano) * UInt64(width) / total)
        let length = Int(span.durationNanoseconds * UInt64(width) / total)
        let clampedOffset = min(offset, width - 1)
        return (clampedOffset, max(1, min(length, width - clampedOffset)))
    }
}
