/// A configuration the exporter cannot use, reported when it is given.
public enum OTLPConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The endpoint is not a URL the exporter can send to.
    case invalidEndpoint(String, reason: String)

    public var description: String {
        switch self {
        case .invalidEndpoint(let endpoint, let reason): "invalid OTLP endpoint \"\(endpoint)\": \(reason)"
        }
    }
}
