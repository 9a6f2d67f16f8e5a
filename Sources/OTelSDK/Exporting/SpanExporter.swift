/// Sends finished, sampled spans somewhere: a collector, the console, memory.
///
/// Span processors call ``export(_:timeout:)`` from one thread at a time, never concurrently, and
/// may block in it (it runs on a worker thread, not an app thread).
public protocol SpanExporter: Sendable {
    /// Exports one batch.
    /// - Parameters:
    ///   - batch: sampled spans.
    ///   - timeout: how long the export may take, retries included; an exporter should give
    ///     up and return a failure when it passes. Zero means no limit.
    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult

    /// Exports one batch and reports how it ended through `completion`, which an exporter
    /// that keeps several requests in flight may call later, from another thread. The batch
    /// must be read (encoded) before this returns: its spans' recorders are reused afterwards.
    /// ``forceFlush(timeout:)`` and ``shutdown(timeout:)`` wait for pending completions.
    ///
    /// The default calls ``export(_:timeout:)`` and completes at once.
    /// - Parameters:
    ///   - batch: sampled spans.
    ///   - timeout: how long the export may take, retries included.
    ///   - completion: called exactly once with the outcome.
    func export(_ batch: [SpanData], timeout: Duration, completion: @escaping @Sendable (ExportResult) -> Void)

    /// Exports anything the exporter itself buffers, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// Releases the exporter's resources; later exports fail. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> CompletionResult
}

extension SpanExporter {
    /// Nothing to flush: the default for exporters that do not buffer.
    public func forceFlush(timeout: Duration) -> CompletionResult { .success }

    /// Exports synchronously and completes at once: the default for exporters that finish
    /// each batch before returning.
    public func export(
        _ batch: [SpanData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        completion(export(batch, timeout: timeout))
    }
}

/// How an export ended.
public enum ExportResult: Sendable {
    /// The receiver accepted the batch.
    case success
    /// The receiver accepted the batch but refused `rejected` of its spans (OTLP's
    /// `partial_success`), explaining why in `message`.
    case partialSuccess(rejected: Int, message: String)
    /// Part of the batch was not delivered: `failed` spans (for example those of one request
    /// of several that failed, `error` says why); of the rest, `rejected` were refused by the
    /// receiver and the others delivered.
    case partialFailure(failed: Int, rejected: Int, error: any Error)
    /// The batch was not delivered.
    case failure(any Error)
}
