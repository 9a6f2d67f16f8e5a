/// A series as its collector sees it: the handle swift-metrics records into, asked for its
/// point at each collection.
protocol MetricSeries: AnyObject, Sendable {
    /// The series' point for this collection, or nil when it has none to report (a delta
    /// collection with no measurement since the last, a gauge never set).
    func collect(_ collection: SeriesCollection) -> CollectedPoint?
}

/// What one collection asks of a series.
struct SeriesCollection {
    let attributes: [Attribute]
    let startTimeUnixNano: UInt64
    let timeUnixNano: UInt64
    let temporality: AggregationTemporality
}

/// A series' point, of its instrument's aggregation.
enum CollectedPoint {
    case number(NumberDataPoint)
    case histogram(HistogramDataPoint)
    case exponentialHistogram(ExponentialHistogramDataPoint)
}
