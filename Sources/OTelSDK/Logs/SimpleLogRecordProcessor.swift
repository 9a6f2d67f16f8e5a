/// Exports each log record as soon as it is emitted, on the thread that logged.
///
/// Meant for tests and local development: the logging thread waits for the export. Use the
/// batch log record processor in production. Exports are serialized, as the exporter
/// contract requires.
public final class SimpleLogRecordProcessor: LogRecordProcessor {
    private let exporter: any LogRecordExporter
    /// Held across each export, so a mutex that sleeps while waiting; true once shut down.
    private let exportLock = ConditionLock(false)
    private let exportTimeout: Duration

    /// Creates the processor.
    /// - Parameters:
    ///   - exporter: where each record goes.
    ///   - exportTimeout: how long one export may take; default 30 s; zero for no limit.
    public init(exporter: any LogRecordExporter, exportTimeout: Duration = .seconds(30)) {
        self.exporter = exporter
        self.exportTimeout = exportTimeout
    }

    public func onEmit(_ record: consuming LogRecord) {
        let data = record.makeLogRecordData()
        exportLock.withLock { isShutDown in
            guard !isShutDown else { return }
            _ = exporter.export([data], timeout: exportTimeout)
        }
    }

    public func forceFlush(timeout: Duration) -> CompletionResult {
        exporter.forceFlush(timeout: timeout)
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        let first = exportLock.withLock { isShutDown in
            defer { isShutDown = true }
            return !isShutDown
        }
        guard first else { return .success }
        let deadline = ContinuousClock.now + timeout
        let flushed = exporter.forceFlush(timeout: timeout)
        return .combined([flushed, exporter.shutdown(timeout: deadline.remaining)])
    }
}
