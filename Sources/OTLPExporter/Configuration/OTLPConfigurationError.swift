/// A configuration the exporter cannot use, reported when it is given.
public enum OTLPConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The endpoint is not a URL the exporter can send to.
    case invalidEndpoint(String, reason: String)
    /// A setting has a value the exporter does not know. For headers the value is withheld,
    /// since it may hold a credential.
    case invalidValue(setting: String, value: String, expected: String)
    /// A certificate or key file cannot be read.
    case unreadableFile(setting: String, path: String)

    public var description: String {
        switch self {
        case .invalidEndpoint(let endpoint, let reason):
            "invalid OTLP endpoint \"\(endpoint)\": \(reason)"
        case .invalidValue(let setting, let value, let expected):
            "invalid \(setting) \"\(value)\": expected \(expected)"
        case .unreadableFile(let setting, let path):
            "\(setting): cannot read the file \"\(path)\""
        }
    }
}
