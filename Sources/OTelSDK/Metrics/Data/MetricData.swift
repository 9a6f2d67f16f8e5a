/// One metric as a metric exporter receives it: its name, description and unit, the points of
/// its series at a collection, and where it comes from.
public struct MetricData: Sendable, Equatable {
    /// The points of a metric, by the kind of aggregation that made them.
    public enum Points: Sendable, Equatable {
        /// The last value of each series.
        case gauge([NumberDataPoint])
        /// The sum of each series; monotonic for counters.
        case sum([NumberDataPoint], temporality: AggregationTemporality, isMonotonic: Bool)
        /// Explicit-bucket histograms.
        case histogram([HistogramDataPoint], temporality: AggregationTemporality)
        /// Base-2 exponential histograms.
        case exponentialHistogram([ExponentialHistogramDataPoint], temporality: AggregationTemporality)

        /// How many points: what a receiver counts as data points.
        public var count: Int {
            switch self {
            case .gauge(let points), .sum(let points, _, _): points.count
            case .histogram(let points, _): points.count
            case .exponentialHistogram(let points, _): points.count
            }
        }
    }

    /// The instrument's name, for example `messaging.process.duration`.
    public let name: String
    /// What it measures.
    public let description: String
    /// Its unit, as UCUM writes it (`s`, `By`, `{message}`).
    public let unit: String
    /// The points of its series.
    public let points: Points
    /// The entity that produced it.
    public let resource: Resource
    /// The library that made the instrument.
    public let instrumentationScope: InstrumentationScope

    /// Creates a metric.
    /// - Parameters:
    ///   - name: the instrument's name.
    ///   - description: what it measures; default empty.
    ///   - unit: its unit; default empty.
    ///   - points: the points of its series.
    ///   - resource: the entity that produced it.
    ///   - instrumentationScope: the library that made the instrument.
    public init(
        name: String,
        description: String = "",
        unit: String = "",
        points: Points,
        resource: Resource,
        instrumentationScope: InstrumentationScope
    ) {
        self.name = name
        self.description = description
        self.unit = unit
        self.points = points
        self.resource = resource
        self.instrumentationScope = instrumentationScope
    }
}
