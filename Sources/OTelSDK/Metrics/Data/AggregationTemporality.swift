/// Whether a metric's points count from the previous collection (delta) or from a fixed start
/// (cumulative): OTLP's `AggregationTemporality`.
public enum AggregationTemporality: Sendable, Equatable {
    /// Each point covers the time since the previous collection.
    case delta
    /// Each point covers the time since the series started.
    case cumulative
}
