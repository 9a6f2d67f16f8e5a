/// A metric whose request would exceed the byte limit even with nothing else in it.
///
/// The encoder leaves such a metric out and reports it, so that its data points can be counted
/// as rejected instead of sending a request the collector would refuse.
public struct OTLPMetricTooLargeError: Error, Equatable, CustomStringConvertible {
    /// The metric's position in the batch given to the encoder.
    public let metricIndex: Int
    /// Its data points.
    public let dataPoints: Int
    /// The size of a request holding just this metric.
    public let requestBytes: Int
    /// The limit it exceeds.
    public let maximumRequestBytes: Int

    public var description: String {
        "metric \(metricIndex) of its batch (\(dataPoints) data points) needs a \(requestBytes)-byte OTLP request, "
            + "over the \(maximumRequestBytes)-byte limit"
    }
}
