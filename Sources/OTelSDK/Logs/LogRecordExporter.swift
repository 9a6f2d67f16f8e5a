/// Sends log records somewhere: a collector, the console, memory.
///
/// Log record processors call ``export(_:timeout:)`` from one thread at a time, never
/// concurrently, and may block in it (it runs on a worker thread, not an app thread).
public protocol LogRecordExporter: Sendable {
    /// Exports one batch.
    /// - Parameters:
    ///   - batch: the log records.
    ///   - timeout: how long the export may take, retries included; zero means no limit.
    func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult

    /// Exports one batch and reports how it ended through `completion`, which an exporter
    /// that keeps several requests in flight may call later, from another thread. The batch
    /// must be read (encoded) before this returns.
    ///
    /// The default calls ``export(_:timeout:)`` and completes at once.
    /// - Parameters:
    ///   - batch: the log records.
    ///   - timeout: how long the export may take, retries included.
    ///   - completion: called exactly once with the outcome.
    func export(
        _ batch: [LogRecordData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    )

    /// Exports anything the exporter itself buffers, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// Releases the exporter's resources; later exports fail. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> CompletionResult
}

extension LogRecordExporter {
    /// Nothing to flush: the default for exporters that do not buffer.
    public func forceFlush(timeout: Duration) -> CompletionResult { .success }

    /// Exports synchronously and completes at once: the default for exporters that finish
    /// each batch before returning.
    public func export(
        _ batch: [LogRecordData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        completion(export(batch, timeout: timeout))
    }
}
