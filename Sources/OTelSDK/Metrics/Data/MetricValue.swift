/// A measurement or a sum as OTLP carries it: a 64-bit integer or a double.
public enum MetricValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
}
