/// A configuration the exporter cannot use, reported when it is given.
public enum OTLPConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The endpoint is not a URL the exporter can send to.
    case invalidEndpoint(String, reason: String)
    /// A setting has a value the exporter does not know. For headers the value is withheld,
    /// since it may hold a credential.
    case invalidValue(setting: String, value: String, expected: String)
    /// A certificate or key file cannot be read.
    case unreadableFile(setting: String, path: String)
    /// A header that cannot be sent as it is: its name is not an HTTP token, or its value holds
    /// a control character such as CR, LF or NUL, which could end the header line and start
    /// another. `setting` is the environment variable, or `headers` for headers given in code;
    /// the name is shown escaped, the value never.
    case invalidHeader(setting: String, name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidEndpoint(let endpoint, let reason):
            "invalid OTLP endpoint \"\(endpoint)\": \(reason)"
        case .invalidValue(let setting, let value, let expected):
            "invalid \(setting) \"\(value)\": expected \(expected)"
        case .unreadableFile(let setting, let path):
            "\(setting): cannot read the file \"\(path)\""
        case .invalidHeader(let setting, let name, let reason):
            "invalid header \(name.debugDescription) in \(setting) (value withheld): \(reason)"
        }
    }
}
