/// A request that did not get an HTTP response: connection refused, timeout, TLS failure,
/// or libcurl refusing an option.
public struct OTLPTransportError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, as libcurl describes it.
    public let reason: String

    public var description: String { "OTLP transport error: \(reason)" }
}
