import OTelSDK
import Tracing

/// Received spans drawn as trace waterfalls: one per trace, spans as an indented tree in
/// start order, each with its kind, duration and a bar placed on the trace's time line.
///
/// ``text(barWidth:)`` is for terminals; ``html(title:)`` is a self-contained page (inline
/// style, no scripts, no network resources) for people who would rather look than read.
public struct TraceWaterfall: Sendable {
    /// One span in drawing order.
    public struct Row: Sendable {
        /// The span.
        public let span: SpanData
        /// Its depth in the trace tree; roots (and spans whose parent is absent) are 0.
        public let depth: Int
    }

    /// One trace's rows.
    public struct Trace: Sendable {
        /// The trace id.
        public let traceID: TraceID
        /// The spans, parents before children, siblings in start order.
        public let rows: [Row]
        /// The earliest start of its spans, in nanoseconds since the epoch.
        public let startUnixNano: UInt64
        /// The latest end of its spans, in nanoseconds since the epoch.
        public let endUnixNano: UInt64

        /// The trace's duration in nanoseconds.
        public var durationNanoseconds: UInt64 { endUnixNano - startUnixNano }
    }

    /// The traces, in order of their first span's start.
    public let traces: [Trace]

    /// Arranges `spans` into waterfalls.
    /// - Parameter spans: spans of any number of traces, in any order.
    public init(spans: [SpanData]) {
        let byTrace = Dictionary(grouping: spans, by: \.context.traceID)
        traces = byTrace.map { traceID, spans in
            let ids = Set(spans.map(\.context.spanID))
            let children = Dictionary(grouping: spans) { span -> SpanID? in
                span.parentSpanID.flatMap { ids.contains($0) ? $0 : nil }
            }
            var rows: [Row] = []
            func visit(_ parent: SpanID?, depth: Int) {
                for span in (children[parent] ?? []).sorted(by: Self.startOrder) {
                    rows.append(Row(span: span, depth: depth))
                    visit(span.context.spanID, depth: depth + 1)
                }
            }
            visit(nil, depth: 0)
            return Trace(
                traceID: traceID,
                rows: rows,
                startUnixNano: spans.map(\.startTimeUnixNano).min() ?? 0,
                endUnixNano: spans.map { max($0.endTimeUnixNano, $0.startTimeUnixNano) }.max() ?? 0
            )
        }
        .sorted { ($0.startUnixNano, $0.traceID.hexString) < ($1.startUnixNano, $1.traceID.hexString) }
    }

    private static func startOrder(_ lhs: SpanData, _ rhs: SpanData) -> Bool {
        (lhs.startTimeUnixNano, lhs.context.spanID.hexString) < (rhs.startTimeUnixNano, rhs.context.spanID.hexString)
    }

    // MARK: Text

    /// The waterfalls as terminal text: a header line per trace, then a line per span with
    /// the tree, kind, duration and a bar `barWidth` columns wide at full trace length.
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
            }
        }
        return output
    }

    /// The column offset and length (at least 1) of a span's bar.
    private static func bar(_ span: SpanData, in trace: Trace, width: Int) -> (offset: Int, length: Int) {
        let total = max(trace.durationNanoseconds, 1)
        let offset = Int((span.startTimeUnixNano - trace.startUnixNano) * UInt64(width) / total)
        let length = Int(span.durationNanoseconds * UInt64(width) / total)
        let clampedOffset = min(offset, width - 1)
        return (clampedOffset, max(1, min(length, width - clampedOffset)))
    }

    // MARK: HTML

    /// The waterfalls as a self-contained HTML page (well-formed XHTML, inline style, no
    /// scripts or network resources). Each span row carries `data-span-id`, and its
    /// attributes as a tooltip.
    /// - Parameter title: the page title; default "Traces".
    public func html(title: String = "Traces") -> String {
        var page = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <title>\(Self.escaped(title))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2937; background: #ffffff; }
            h1 { font-size: 20px; }
            h2 { font: 600 15px ui-monospace, monospace; margin: 28px 0 8px; }
            .row { display: flex; align-items: center; height: 30px; border-bottom: 1px solid #e5e7eb; }
            .label { box-sizing: border-box; width: 320px; flex: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .kind { font-size: 11px; color: #6b7280; margin-left: 6px; }
            .track { position: relative; flex: 1; height: 18px; background: #f3f4f6; }
            .bar { position: absolute; top: 0; height: 18px; min-width: 3px; border-radius: 3px; }
            .producer { background: #2563eb; }
            .consumer { background: #16a34a; }
            .server, .client, .internal { background: #9333ea; }
            .error { outline: 2px solid #dc2626; }
            .duration { width: 96px; flex: none; text-align: right; font-family: ui-monospace, monospace; }
            .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
            </style>
            </head>
            <body>
            <h1>\(Self.escaped(title))</h1>
            <p class="legend"><span class="producer"></span>producer<span class="consumer"></span>consumer<span class="internal"></span>other</p>

            """
        for trace in traces {
            let total = Double(max(trace.durationNanoseconds, 1))
            page +=
                "<h2>trace \(trace.traceID.hexString) · \(trace.rows.count) spans · \(Self.milliseconds(trace.durationNanoseconds))</h2>\n"
            page += "<div class=\"trace\" data-trace-id=\"\(trace.traceID.hexString)\">\n"
            for row in trace.rows {
                let span = row.span
                let left = Double(span.startTimeUnixNano - trace.startUnixNano) / total * 100
                let width = Double(span.durationNanoseconds) / total * 100
                let kind = Self.kindName(span.kind).lowercased()
                let error = span.status?.code == .error ? " error" : ""
                var tooltip = ""
                span.forEachAttribute { key, value in tooltip += "\(key) = \(value)\n" }
                page +=
                    "<div class=\"row\" data-span-id=\"\(span.context.spanID.hexString)\" title=\"\(Self.escaped(tooltip))\">"
                page += "<div class=\"label\" style=\"padding-left: \(row.depth * 18)px\">\(Self.escaped(span.name))"
                page += "<span class=\"kind\">\(Self.kindName(span.kind))</span></div>"
                page +=
                    "<div class=\"track\"><div class=\"bar \(kind)\(error)\" style=\"left: \(Self.percent(left)); width: \(Self.percent(width))\"></div></div>"
                page += "<div class=\"duration\">\(Self.milliseconds(span.durationNanoseconds))</div></div>\n"
            }
            page += "</div>\n"
        }
        return page + "</body>\n</html>\n"
    }

    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n": result += "&#10;"
            default: result.append(character)
            }
        }
        return result
    }

    // MARK: Formatting

    private static func kindName(_ kind: SpanKind) -> String {
        switch kind {
        case .server: "SERVER"
        case .client: "CLIENT"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        case .internal: "INTERNAL"
        }
    }

    /// Nanoseconds as milliseconds with one decimal: "100.3 ms".
    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }

    /// A percentage for CSS with two decimals: "12.34%".
    private static func percent(_ value: Double) -> String {
        let hundredths = Int((min(max(value, 0), 100) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

extension SpanData {
    fileprivate var durationNanoseconds: UInt64 {
        endTimeUnixNano > startTimeUnixNano ? endTimeUnixNano - startTimeUnixNano : 0
    }

    fileprivate var serviceName: String? {
        resource.attributes.first { $0.key == "service.name" }.flatMap {
            if case .string(let name) = $0.value { name } else { nil }
        }
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    fileprivate func leftPadded(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
