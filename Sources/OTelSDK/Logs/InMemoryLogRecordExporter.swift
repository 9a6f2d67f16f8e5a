/// Keeps exported log records in memory, for tests of code that logs.
public final class InMemoryLogRecordExporter: LogRecordExporter {
    private let state = LockedValue<(records: [LogRecordData], isShutDown: Bool)>(([], false))

    /// Creates an empty exporter.
    public init() {}

    /// The records exported so far, in export order.
    public var finishedLogRecords: [LogRecordData] {
        state.withLock { $0.records }
    }

    /// Forgets the records exported so far.
    public func reset() {
        state.withLock { $0.records.removeAll() }
    }

    public func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult {
        state.withLock { state in
            guard !state.isShutDown else { return .failure(ExporterShutDownError()) }
            state.records += batch
            return .success
        }
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        state.withLock { $0.isShutDown = true }
        return .success
    }
}
