/// Receives log records as they are emitted: the hook between the log handler and exporters.
///
/// `onEmit` runs on the thread that logged, so it must be fast and must not block.
public protocol LogRecordProcessor: Sendable {
    /// Called once for each log record emitted.
    ///
    /// The processor owns `record`: one that keeps it (a queue) moves it rather than copying it.
    /// - Parameter record: the record as it was logged; its ``LogRecord/makeLogRecordData()``
    ///   is the exportable record.
    func onEmit(_ record: consuming LogRecord)

    /// Exports everything received so far, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// Flushes, then stops: later records are ignored. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> CompletionResult
}
