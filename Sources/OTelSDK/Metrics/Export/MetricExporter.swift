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

    /// The temporality the exporter wants per instrument kind (the specification's
    /// `AggregationTemporality` selector); default ``MetricTemporalityPreference/cumulative``.
    var temporalityPreference: MetricTemporalityPreference { get }

    /// How the exporter wants histograms aggregated (the specification's default aggregation
    /// selector); default ``HistogramAggregation/explicitBucket``.
    var histogramAggregation: HistogramAggregation { get }
}

extension MetricExporter {
    /// Nothing to flush: the default for exporters that do not buffer.
    public func forceFlush(timeout: Duration) -> CompletionResult { .success }

    /// Cumulative for every kind: the default.
    public var temporalityPreference: MetricTemporalityPreference { .cumulative }

    /// Explicit buckets: the default.
    public var histogramAggregation: HistogramAggregation { .explicitBucket }
}
