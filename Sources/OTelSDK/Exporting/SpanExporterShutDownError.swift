/// An export after the exporter was shut down.
public struct SpanExporterShutDownError: Error, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    public var description: String { "the span exporter has been shut down" }
}
