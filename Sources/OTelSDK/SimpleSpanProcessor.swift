
/// Exports each sampled span as soon as it ends, on the thread that ended it.
///
/// Meant for tests and local development: the app thread waits for the export. Use the batch
/// span processor in production. Exports are serialized, as the exporter contract requires.
public final class SimpleSpanProcessor: SpanProcessor {
    private let exporter: any SpanExporter
    private let exportLock = LockedValue(false)  // true once shut down

    /// Creates the processor.
    /// - Parameter exporter: where each sampled span goes.
    public init(exporter: any SpanExporter) {
        self.exporter = exporter
    }

    public func onEnd(_ span: FinishedSpan) {
        guard span.spanContext.isSampled else { return }
        let data = span.spanData
        exportLock.withLock { isShutDown in
            guard !isShutDown else { return }
            _ = exporter.export([data])
        }
    }

    public func forceFlush(timeout: Duration) -> SpanProcessorResult {
        exporter.forceFlush(timeout: timeout)
    }

    public func shutdown(timeout: Duration) -> SpanProcessorResult {
        let first = exportLock.withLock { isShutDown in
            defer { isShutDown = true }
            return !isShutDown
        }
        return first ? exporter.shutdown(timeout: timeout) : .success
    }
}
