/// Sends collected metrics somewhere: a collector, the console, memory.
///
/// A metric reader calls ``export(_:timeout:)`` from one thread at a time, never concurrently,
/// and may block in it (it runs on the reader's thread, not an app thread).
public protocol MetricExporter: Sendable {
    /// Exports one collection's metrics.
    /// - Parameters:
    ///   - batch: the metrics.
    ///   - timeout: how long the export may take, retries included; zero means no limit.
    func export(_ batch: [MetricData], timeout: Duration) -> ExportResult

    /// Exports anything the exporter itself buffers, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// Releases the exporter's resources; later exports fail. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> CompletionResult
}

extension MetricExporter {
    /// Nothing to flush: the default for exporters that do not buffer.
    public func forceFlush(timeout: Duration) -> CompletionResult { .success }
}
