/// How histograms (swift-metrics' `Timer` and aggregating `Recorder`) are aggregated:
/// `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`.
public enum HistogramAggregation: Sendable, Equatable {
    /// Counts per bucket between fixed boundaries (the specification's default). Recorders use
    /// the specification's default boundaries (``defaultBoundaries``), Timers boundaries in
    /// seconds (``timerBoundaries``).
    case explicitBucket
    /// Base-2 exponential buckets whose scale adapts to the values recorded, at most `maxSize`
    /// buckets for each sign, starting at scale `maxScale`: the specification's defaults are
    /// 160 and 20.
    case base2Exponential(maxSize: Int = 160, maxScale: Int = 20)

    /// The specification's default explicit-bucket boundaries.
    public static let defaultBoundaries: [Double] = [
        0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000,
    ]

    /// A Timer's boundaries, in seconds: the semantic conventions' advice for request and
    /// operation durations (`http.server.request.duration`, `messaging.process.duration`),
    /// from 5 ms to 10 s. The specification's defaults, made for milliseconds, would put every
    /// request under 5 s in the first two buckets.
    public static let timerBoundaries: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]

    /// Reads `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`:
    /// `explicit_bucket_histogram` (the default, also when unset) or
    /// `base2_exponential_bucket_histogram`; an unknown value is reported and the default used.
    /// - Parameter environment: where the variable is read.
    public init(environment: OTelEnvironment) {
        let variable = "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION"
        switch environment[variable]?.lowercased() {
        case nil, "explicit_bucket_histogram": self = .explicitBucket
        case "base2_exponential_bucket_histogram": self = .base2Exponential()
        case let other?:
            environment.reportInvalid(
                variable,
                other,
                expected: "explicit_bucket_histogram or base2_exponential_bucket_histogram"
            )
            self = .explicitBucket
        }
    }
}
