/// Sends finished, sampled spans somewhere: a collector, the console, memory.
///
/// Span processors call ``export(_:)`` from one thread at a time, never concurrently, and
/// may block in it (it runs on a worker thread, not an app thread).
public protocol SpanExporter: Sendable {
    /// Exports one batch.
    /// - Parameters:
    ///   - batch: sampled spans.
    ///   - timeout: how long the export may take, retries included; an exporter should give
    ///     up and return a failure when it passes.
    func export(_ batch: [SpanData], timeout: Duration) -> SpanExportResult

    /// Exports anything the exporter itself buffers, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> SpanProcessorResult

    /// Releases the exporter's resources; later exports fail. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> SpanProcessorResult
}

extension SpanExporter {
    /// Nothing to flush: the default for exporters that do not buffer.
    public func forceFlush(timeout: Duration) -> SpanProcessorResult { .success }
}

/// How an export ended.
public enum SpanExportResult: Sendable {
    /// The receiver accepted the batch.
    case success
    /// The receiver accepted the batch but refused `rejected` of its spans (OTLP's
    /// `partial_success`), explaining why in `message`.
    case partialSuccess(rejected: Int, message: String)
    /// The batch was not delivered.
    case failure(any Error)
}
