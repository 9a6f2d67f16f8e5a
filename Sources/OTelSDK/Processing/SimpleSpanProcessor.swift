/// Exports each sampled span as soon as it ends, on the thread that ended it.
///
/// Meant for tests and local development: the app thread waits for the export. Use the batch
/// span processor in production. Exports are serialized, as the exporter contract requires.
public final class SimpleSpanProcessor: SpanProcessor {
    private let exporter: any SpanExporter
    /// Held across each export, so a mutex that sleeps while waiting; true once shut down.
    private let exportLock = ConditionLock(false)

    private let exportTimeout: Duration

    /// Creates the processor.
    /// - Parameters:
    ///   - exporter: where each sampled span goes.
    ///   - exportTimeout: how long one export may take; default 30 s; zero for no limit.
    public init(exporter: any SpanExporter, exportTimeout: Duration = .seconds(30)) {
        self.exporter = exporter
        self.exportTimeout = exportTimeout
    }

    /// False: this processor only acts when spans end.
    public var isStartRequired: Bool { false }

    public func onEnd(_ span: FinishedSpan) {
        guard span.isSampled else { return }
        let data = span.makeSpanData()
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
        // "Shutdown MUST include the effects of ForceFlush" (OpenTelemetry trace SDK).
        let deadline = ContinuousClock.now + timeout
        let flushed = exporter.forceFlush(timeout: timeout)
        return .combined([flushed, exporter.shutdown(timeout: deadline.remaining)])
    }
}
