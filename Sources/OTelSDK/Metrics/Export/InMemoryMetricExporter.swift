/// Keeps exported metrics in memory, for tests of code that records metrics.
public final class InMemoryMetricExporter: MetricExporter {
    private let state = LockedValue<(exports: [[MetricData]], isShutDown: Bool)>(([], false))

    /// The temporality the exporter asks for.
    public let temporalityPreference: MetricTemporalityPreference
    /// The histogram aggregation the exporter asks for.
    public let histogramAggregation: HistogramAggregation

    /// Creates an empty exporter.
    /// - Parameters:
    ///   - temporalityPreference: default cumulative.
    ///   - histogramAggregation: default explicit buckets.
    public init(
        temporalityPreference: MetricTemporalityPreference = .cumulative,
        histogramAggregation: HistogramAggregation = .explicitBucket
    ) {
        self.temporalityPreference = temporalityPreference
        self.histogramAggregation = histogramAggregation
    }

    /// Each export's metrics, in export order.
    public var exports: [[MetricData]] {
        state.withLock { $0.exports }
    }

    /// The metrics of the last export, or none.
    public var lastExport: [MetricData] {
        state.withLock { $0.exports.last ?? [] }
    }

    /// Forgets the exports so far.
    public func reset() {
        state.withLock { $0.exports.removeAll() }
    }

    public func export(_ batch: [MetricData], timeout: Duration) -> ExportResult {
        state.withLock { state in
            guard !state.isShutDown else { return .failure(ExporterShutDownError()) }
            state.exports.append(batch)
            return .success
        }
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        state.withLock { $0.isShutDown = true }
        return .success
    }
}
