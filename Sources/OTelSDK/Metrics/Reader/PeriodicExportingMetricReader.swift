import Logging

/// Collects a ``MeterProvider``'s metrics every ``Configuration/exportInterval`` and hands them
/// to an exporter, on a thread of its own: the specification's periodic exporting reader.
///
/// One thread both collects and exports, so a collection never overlaps the previous export:
/// an export that outlasts the interval delays the next collection instead of running beside
/// it. ``forceFlush(timeout:)`` and ``shutdown(timeout:)`` ask that thread for one more
/// collection and export and wait for it, at most their timeout.
///
/// A reader serves one provider: pass it to ``MeterProvider/init(resource:reader:exemplarFilter:cardinalityLimit:units:environment:shutdownTimeout:logger:)``,
/// which starts it.
public final class PeriodicExportingMetricReader: Sendable {
    private struct State {
        var provider: MeterProviderCore?
        /// Collections asked for by flushes and shutdown, and those done: a flush waits until
        /// a collection that began after it asked has finished.
        var requested: UInt64 = 0
        var completed: UInt64 = 0
        var lastResult: CompletionResult = .success
        var isStopping = false
    }

    /// What the reader runs with.
    public let configuration: Configuration
    /// Where the metrics go.
    public let exporter: any MetricExporter
    private let state = ConditionLock(State())
    private let logger: Logger

    /// Creates a reader; the provider it is given to starts it.
    /// - Parameters:
    ///   - exporter: where each collection's metrics go.
    ///   - configuration: default from `OTEL_METRIC_EXPORT_INTERVAL` and
    ///     `OTEL_METRIC_EXPORT_TIMEOUT`, else 60 s and 30 s.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        exporter: any MetricExporter,
        configuration: Configuration = Configuration(environment: OTelEnvironment()),
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        self.exporter = exporter
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts the collecting thread for `provider`.
    func start(collecting provider: MeterProviderCore) {
        let isFirst = state.withLock { state in
            guard state.provider == nil else { return false }
            state.provider = provider
            return true
        }
        precondition(isFirst, "a PeriodicExportingMetricReader serves one MeterProvider")
        PosixThread.start(name: "otel-metrics") { [self] in run() }
    }

    private func run() {
        var nextCollection = ContinuousClock.now + configuration.exportInterval
        while true {
            let (request, isStopping, provider) = state.wait(
                until: { $0.requested > $0.completed || $0.isStopping },
                deadline: nextCollection
            ) { state, _ in (state.requested, state.isStopping, state.provider) }
            nextCollection = ContinuousClock.now + configuration.exportInterval
            let result = provider.map(collectAndExport) ?? .success
            state.withLock { state in
                state.completed = max(state.completed, request)
                state.lastResult = result
                if isStopping { state.provider = nil }
            }
            state.broadcast()
            if isStopping { return }
        }
    }

    private func collectAndExport(_ provider: MeterProviderCore) -> CompletionResult {
        let metrics = provider.collect()
        guard !metrics.isEmpty else { return .success }
        switch exporter.export(metrics, timeout: configuration.exportTimeout) {
        case .success, .partialSuccess:
            return .success
        case .failure(let error), .partialFailure(_, _, let error):
            logger.debug("Metric export failed", metadata: ["error": "\(error)"])
            return .failure
        }
    }

    /// Collects and exports now, then flushes the exporter, waiting at most `timeout` for both
    /// (the collection may have to wait for an export already under way). The export is not
    /// cut short at the deadline: it finishes on the reader's thread, within its own timeout.
    /// - Parameter timeout: how long to wait; zero or less returns at once; default 30 s.
    /// - Returns: the export's result, or `.timeout`.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        let target: UInt64? = state.withLock { state in
            guard state.provider != nil, !state.isStopping else { return nil }
            state.requested += 1
            return state.requested
        }
        let result = wait(for: target, timeout: timeout)
        guard target != nil, result != .timeout else { return result }
        return .combined([result, exporter.forceFlush(timeout: deadline.remaining)])
    }

    /// Collects and exports a last time, stops the thread and shuts the exporter down, all
    /// within `timeout`. Only the first call does anything.
    /// - Parameter timeout: the deadline for both; zero or less gives the export no time to
    ///   finish (the thread still stops after it); default 30 s.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        // Stopping and the last request in one step: the thread that sees the one sees the other.
        let target: UInt64?? = state.withLock { state in
            guard !state.isStopping else { return .none }
            state.isStopping = true
            guard state.provider != nil else { return .some(nil) }
            state.requested += 1
            return state.requested
        }
        guard let target else { return .success }
        let result = wait(for: target, timeout: timeout)
        return .combined([result, exporter.shutdown(timeout: deadline.remaining)])
    }

    /// Stops the thread without collecting again: its provider is gone, so nothing more is
    /// recorded for it. The exporter is left as it is.
    func abandon() {
        state.withLock { state in
            state.isStopping = true
            state.provider = nil
        }
        state.broadcast()
    }

    /// Waits until collection `target` (nil: none asked) is exported.
    private func wait(for target: UInt64?, timeout: Duration) -> CompletionResult {
        guard let target else { return .success }
        state.broadcast()
        // Zero or less is no time at all, as for the batch processors: a caller sharing one
        // deadline between providers passes what is left of it.
        return state.wait(
            until: { $0.completed >= target },
            deadline: ContinuousClock.now + timeout
        ) { state, isDone in isDone ? state.lastResult : .timeout }
    }
}
