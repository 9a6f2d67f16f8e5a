/// Prints each span as a readable block, for local development.
///
/// ```
/// process orders  CONSUMER  0.123 ms  trace 0af7...319c  span 1a2b...  parent b7ad...3331 (remote)
///   messaging.system = kafka
///   event ack +0.050 ms
/// ```
public final class ConsoleSpanExporter: SpanExporter {
    private let write: @Sendable (String) -> Void
    private let isShutDown = LockedValue(false)

    /// Creates the exporter.
    /// - Parameter write: where each block goes; defaults to standard output.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    public func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
        guard !isShutDown.withLock({ $0 }) else { return .failure(ExporterShutDownError()) }
        write(batch.map(Self.block).joined())
        return .success
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        isShutDown.withLock { $0 = true }
        return .success
    }

    /// One span as text, ending in a newline.
    static func block(_ span: SpanData) -> String {
        let duration = Double(span.endTimeUnixNano - span.startTimeUnixNano) / 1_000_000
        var lines = [
            "\(span.name)  \(String(describing: span.kind).uppercased())  \(milliseconds(duration))"
                + "  trace \(span.context.traceID)  span \(span.context.spanID)"
                + (span.parentSpanID.map { "  parent \($0)\(span.parentIsRemote ? " (remote)" : "")" } ?? "")
        ]
        if let status = span.status {
            lines.append("  status \(status.code)\(status.message.map { ": \($0)" } ?? "")")
        }
        lines += span.attributes.map { "  \($0.key) = \($0.value)" }
        for event in span.events {
            let offset = Double(Int64(bitPattern: event.timeUnixNano &- span.startTimeUnixNano)) / 1_000_000
            lines.append("  event \(event.name) +\(milliseconds(offset))")
            lines += event.attributes.map { "    \($0.key) = \($0.value)" }
        }
        lines += span.links.map { "  link trace \($0.context.traceID) span \($0.context.spanID)" }
        let dropped = [
            ("attributes", span.droppedAttributeCount), ("events", span.droppedEventCount),
            ("links", span.droppedLinkCount),
        ].filter { $0.1 > 0 }
        if !dropped.isEmpty {
            lines.append("  dropped " + dropped.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
        }
        lines.append("  resource \(span.resource)")
        return lines.joined(separator: "\n") + "\n\n"
    }

    private static func milliseconds(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(abs(thousandths) % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }
}
