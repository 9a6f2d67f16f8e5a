/// Keeps exported spans in memory, for tests of instrumented code.
public final class InMemorySpanExporter: SpanExporter {
    private let state = LockedValue<(spans: [SpanData], isShutDown: Bool)>(([], false))

    /// Creates an empty exporter.
    public init() {}

    /// The spans exported so far, in export order.
    public var finishedSpans: [SpanData] {
        state.withLock { $0.spans }
    }

    /// Forgets the spans exported so far.
    public func reset() {
        state.withLock { $0.spans.removeAll() }
    }

    public func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
        state.withLock { state in
            guard !state.isShutDown else { return .failure(ExporterShutDownError()) }
            state.spans += batch
            return .success
        }
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        state.withLock { $0.isShutDown = true }
        return .success
    }
}
