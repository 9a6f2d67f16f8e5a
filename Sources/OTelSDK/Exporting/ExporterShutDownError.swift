/// An export after the exporter was shut down.
public struct ExporterShutDownError: Error, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    public var description: String { "the exporter has been shut down" }
}
