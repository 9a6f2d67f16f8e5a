import OTelSDK
import Tracing

/// Received spans drawn as trace waterfalls: one per trace, spans as an indented tree in
/// start order, each with its kind, duration and a bar placed on the trace's time line, and
/// under it the log records made in it.
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
        /// The log records made in the span, in time order.
        public let logRecords: [LogRecordData]
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

    /// Arranges `spans` into waterfalls, each span with the log records made in it.
    /// - Parameters:
    ///   - spans: spans of any number of traces, in any order.
    ///   - logRecords: log records of any spans, in any order; those of no span in `spans` are
    ///     left out. Default none.
    public init(spans: [SpanData], logRecords: [LogRecordData] = []) {
        let logsBySpan = Dictionary(grouping: logRecords.filter { $0.spanContext != nil }) { record in
            SpanKey(traceID: record.spanContext!.traceID, spanID: record.spanContext!.spanID)
        }
        let byTrace = Dictionary(grouping: spans, by: \.context.traceID)
        traces = byTrace.map { traceID, spans in
            let ids = Set(spans.map(\.context.spanID))
            let children = Dictionary(grouping: spans) { span -> SpanID? in
                span.parentSpanID.flatMap { ids.contains($0) ? $0 : nil }
            }
            var rows: [Row] = []
            func visit(_ parent: SpanID?, depth: Int) {
                for span in (children[parent] ?? []).sorted(by: Self.startOrder) {
                    let logs = logsBySpan[SpanKey(traceID: traceID, spanID: span.context.spanID)] ?? []
                    rows.append(
                        Row(span: span, depth: depth, logRecords: logs.sorted { $0.timeUnixNano < $1.timeUnixNano })
                    )
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

    private struct SpanKey: Hashable {
        let traceID: TraceID
        let spanID: SpanID
    }

    private static func startOrder(_ lhs: SpanData, _ rhs: SpanData) -> Bool {
        (lhs.startTimeUnixNano, lhs.context.spanID.hexString) < (rhs.startTimeUnixNano, rhs.context.spanID.hexString)
    }

    // MARK: Formatting

    static func kindName(_ kind: SpanKind) -> String {
        switch kind {
        case .server: "SERVER"
        case .client: "CLIENT"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        case .internal: "INTERNAL"
        }
    }

    /// Nanoseconds as milliseconds with one decimal: "100.3 ms".
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }

    /// A percentage for CSS with two decimals: "12.34%".
    static func percent(_ value: Double) -> String {
        let hundredths = Int((min(max(value, 0), 100) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

extension SpanData {
    var durationNanoseconds: UInt64 {
        endTimeUnixNano > startTimeUnixNano ? endTimeUnixNano - startTimeUnixNano : 0
    }

    var serviceName: String? {
        resource.attributes.first { $0.key == "service.name" }.flatMap {
            if case .string(let name) = $0.value { name } else { nil }
        }
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadded(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
