#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Prints each log record as a line, for local development (and `OTEL_LOGS_EXPORTER=console`).
///
/// ```
/// 2026-12-07T10:15:30.123Z INFO  checkout: order accepted  order.id=42 code.line.number=17  trace 0af7...319c span 1a2b...
/// ```
public final class ConsoleLogRecordExporter: LogRecordExporter {
    private let write: @Sendable (String) -> Void
    private let isShutDown = LockedValue(false)

    /// Creates the exporter.
    /// - Parameter write: where each line goes; defaults to standard output.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    public func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult {
        guard !isShutDown.withLock({ $0 }) else { return .failure(ExporterShutDownError()) }
        write(batch.map(Self.line).joined())
        return .success
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        isShutDown.withLock { $0 = true }
        return .success
    }

    /// One record as text, ending in a newline.
    static func line(_ record: LogRecordData) -> String {
        let time = Date(timeIntervalSince1970: Double(record.timeUnixNano) / 1e9)
        var line =
            "\(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))"
            + " \(record.severity.text.uppercased())"
            + "  \(record.instrumentationScope.name): \(record.body?.description ?? "")"
        if !record.attributes.isEmpty {
            line += "  " + record.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        if let span = record.spanContext {
            line += "  trace \(span.traceID) span \(span.spanID)"
        }
        return line + "\n"
    }
}
