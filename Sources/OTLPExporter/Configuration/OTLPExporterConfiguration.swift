import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where and how an OTLP exporter sends one signal: spans (``OTLPSignal/traces``, the default)
/// or log records (``OTLPSignal/logs``).
///
/// Each setting is taken from, in order: the initializer's argument, the signal-specific
/// environment variable (`OTEL_EXPORTER_OTLP_TRACES_*`, `OTEL_EXPORTER_OTLP_LOGS_*`), the generic one
/// (`OTEL_EXPORTER_OTLP_*`), the default. "Empty environment variables are treated as unset"
/// (OpenTelemetry specification).
///
/// An environment value of the wrong form (protocol, compression, insecure, timeout, headers)
/// is logged once, naming the variable and the value (a header list's withheld), and treated
/// as unset, as the specification asks: a generic value, or else the default, applies.
/// ``ignoredEnvironmentValues`` lists them. A header from the environment that cannot be sent
/// as it is (a name that is not an HTTP token, a value with a control character such as CR,
/// LF or NUL) is left out, warned about by name, and the rest of the list kept. What cannot
/// work at all stays an error when the configuration is made: an endpoint that is not an
/// http(s) URL with a host, a certificate or key file that cannot be read, and a negative
/// timeout or an unsendable header passed in code.
public struct OTLPExporterConfiguration: Sendable, Equatable {
    /// The wire protocol.
    public enum TransportProtocol: String, Sendable, Equatable, CaseIterable {
        /// OTLP/gRPC.
        case grpc
        /// OTLP/HTTP with protobuf bodies (the default).
        case httpProtobuf = "http/protobuf"
        /// OTLP/HTTP with JSON bodies.
        case httpJSON = "http/json"
    }

    /// Request body compression.
    public enum Compression: String, Sendable, Equatable, CaseIterable {
        case none
        case gzip
    }

    /// One header sent with every request.
    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String

        /// Creates a header. The configuration refuses one that cannot be sent as it is (see
        /// ``OTLPConfigurationError/invalidHeader(setting:name:reason:)``).
        /// - Parameters:
        ///   - name: the header name, an HTTP token.
        ///   - value: its value, without control characters other than tab.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// Why this header cannot be sent as it is, or nil when it can: a name that is not an
        /// HTTP token (RFC 9110, section 5.1) or a value with a control character other than
        /// tab (section 5.5), either of which could end the header line and start another.
        var refusal: String? {
            if name.isEmpty { return "the name is empty" }
            if !name.utf8.allSatisfy(Self.isTokenCharacter) {
                return "the name is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
            }
            if value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
                return "the value holds a control character (CR, LF, NUL or another)"
            }
            return nil
        }

        private static func isTokenCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }

    /// The URL requests go to: for OTLP/HTTP the signal's full URL (ending in `/v1/traces` or
    /// `/v1/logs` when it came from the generic endpoint), for gRPC the server's base URL.
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`
    /// (as is), `OTEL_EXPORTER_OTLP_ENDPOINT` (with the signal's path joined for HTTP).
    /// Default: `http://localhost:4318/v1/traces` (or `/v1/logs`), or `http://localhost:4317`
    /// for gRPC.
    public let endpoint: URL
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`.
    /// Default: `http/protobuf`.
    public let transportProtocol: TransportProtocol
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, `OTEL_EXPORTER_OTLP_HEADERS`
    /// (`key=value,...`, percent-encoded values). Default: none. A `User-Agent` among them
    /// follows the exporter's own in one header (see ``userAgent``).
    public let headers: [Header]
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, `OTEL_EXPORTER_OTLP_COMPRESSION`.
    /// Default: none.
    public let compression: Compression
    /// The longest one export may take, retries included; zero is no limit ("0 indicates no
    /// limit", the configuration specification's Timeout type). Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT` (milliseconds).
    /// Default: 10 s.
    public let timeout: Duration
    /// A PEM file of CA certificates to trust for TLS. Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE`, `OTEL_EXPORTER_OTLP_CERTIFICATE`. Default: the
    /// system's trust store.
    public let certificateFile: String?
    /// The client's private key (PEM) for mutual TLS. Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY`, `OTEL_EXPORTER_OTLP_CLIENT_KEY`.
    public let clientKeyFile: String?
    /// The client's certificate (PEM) for mutual TLS. Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE`, `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE`.
    public let clientCertificateFile: String?
    /// "Whether to enable client transport security for the exporter's gRPC connection. This
    /// option only applies to OTLP/gRPC when an endpoint is provided without the http or https
    /// scheme" (OpenTelemetry specification): such an endpoint gets `http://` when true and
    /// `https://` when false. Environment: `OTEL_EXPORTER_OTLP_TRACES_INSECURE`,
    /// `OTEL_EXPORTER_OTLP_INSECURE` (`true` or `false`). Default: false.
    public let insecure: Bool
    /// The environment values that could not be used, each reported in the log once and
    /// replaced by the default (a header list's value withheld): an ``OTLPConfigurationError``
    /// each, to show beside an export that failed.
    public let ignoredEnvironmentValues: [OTLPConfigurationError]
    /// What the exporter sends: its environment variables and paths apply.
    public let signal: OTLPSignal

    /// The `User-Agent` every request carries: the exporter's own,
    /// `OTel-OTLP-Exporter-Swift/<version>`, followed by the value of each `User-Agent` in
    /// ``headers``. "The resulting User-Agent SHOULD include the exporter's default User-Agent
    /// string" (OpenTelemetry OTLP exporter specification).
    public var userAgent: String {
        headers.filter { $0.name.lowercased() == "user-agent" }.reduce(Self.defaultUserAgent) { $0 + " " + $1.value }
    }

    static let defaultUserAgent = "OTel-OTLP-Exporter-Swift/\(Resource.sdkVersion)"

    /// The header lines the configuration adds to a request, for libcurl: the `User-Agent`,
    /// then the other configured headers.
    var headerLines: [String] {
        ["User-Agent: \(userAgent)"]
            + headers.filter { $0.name.lowercased() != "user-agent" }.map { header in
                // libcurl reads `Name:` without a value as "remove this header", and sends
                // `Name;` as the header with an empty value.
                header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            }
    }

    /// Creates a configuration.
    /// - Parameters:
    ///   - signal: what the exporter sends, which picks its environment variables and paths;
    ///     default traces (`OTEL_EXPORTER_OTLP_TRACES_*`, `/v1/traces`).
    ///   - endpoint: the URL, used as is; default from the environment (see ``endpoint``).
    ///   - transportProtocol: default from the environment, else `http/protobuf`.
    ///   - headers: default from the environment, else none.
    ///   - compression: default from the environment, else none.
    ///   - timeout: default from the environment, else 10 s; zero for no limit.
    ///   - certificateFile: default from the environment, else none.
    ///   - clientKeyFile: default from the environment, else none.
    ///   - clientCertificateFile: default from the environment, else none.
    ///   - insecure: default from the environment, else false.
    ///   - environment: where unset settings are read; default the process environment.
    /// - Throws: ``OTLPConfigurationError`` for an endpoint that is not an http(s) URL with a
    ///   host, a certificate or key file that cannot be read, a negative `timeout`, or a header
    ///   in `headers` that cannot be sent as it is.
    public init(
        signal: OTLPSignal = .traces,
        endpoint: String? = nil,
        transportProtocol: TransportProtocol? = nil,
        headers: [Header]? = nil,
        compression: Compression? = nil,
        timeout: Duration? = nil,
        certificateFile: String? = nil,
        clientKeyFile: String? = nil,
        clientCertificateFile: String? = nil,
        insecure: Bool? = nil,
        environment: OTelEnvironment = OTelEnvironment()
    ) throws {
        self.signal = signal
        let names = { (suffix: String) in
            ["OTEL_EXPORTER_OTLP_\(signal.environmentName)_\(suffix)", "OTEL_EXPORTER_OTLP_\(suffix)"]
        }
        func variable(_ suffix: String) -> (name: String, value: String)? {
            for name in names(suffix) {
                if let value = environment[name] { return (name, value) }
            }
            return nil
        }

        // "The SDK MUST NOT fail on an invalid value: it SHOULD log a warning and use the
        // default" (OpenTelemetry environment variable specification). An invalid
        // signal-specific value is treated as unset, so that the generic one applies.
        var ignored: [OTLPConfigurationError] = []
        func environmentValue<Value>(
            _ suffix: String,
            expected: String,
            withholdingValue: Bool = false,
            _ parse: (String) -> Value?
        ) -> (name: String, value: Value)? {
            for name in names(suffix) {
                guard let value = environment[name] else { continue }
                if let parsed = parse(value) { return (name, parsed) }
                // Headers often carry credentials: their value is never shown.
                let shown = withholdingValue ? "(withheld)" : value
                environment.reportInvalid(name, shown, expected: expected)
                ignored.append(.invalidValue(setting: name, value: shown, expected: expected))
            }
            return nil
        }

        let transportProtocol =
            transportProtocol
            ?? environmentValue("PROTOCOL", expected: "grpc, http/protobuf or http/json") {
                TransportProtocol(rawValue: $0.lowercased())
            }?.value ?? .httpProtobuf
        self.transportProtocol = transportProtocol

        let insecure =
            insecure
            ?? environmentValue("INSECURE", expected: "true or false") { value -> Bool? in
                switch value.lowercased() {
                case "true": true
                case "false": false
                default: nil
                }
            }?.value ?? false
        self.insecure = insecure

        var endpointText: String
        if let endpoint {
            endpointText = endpoint
        } else if let specific = environment["OTEL_EXPORTER_OTLP_\(signal.environmentName)_ENDPOINT"] {
            endpointText = specific
        } else if let generic = environment["OTEL_EXPORTER_OTLP_ENDPOINT"] {
            endpointText = transportProtocol == .grpc ? generic : Self.joining(signal.httpPath, to: generic)
        } else {
            endpointText =
                transportProtocol == .grpc ? "http://localhost:4317" : "http://localhost:4318" + signal.httpPath
        }
        if transportProtocol == .grpc, !endpointText.contains("://") {
            endpointText = (insecure ? "http://" : "https://") + endpointText
        }
        self.endpoint = try Self.validatedURL(endpointText)

        if let headers {
            for header in headers {
                if let reason = header.refusal {
                    throw OTLPConfigurationError.invalidHeader(setting: "headers", name: header.name, reason: reason)
                }
            }
            self.headers = headers
        } else if let (name, list) = environmentValue(
            "HEADERS",
            expected: "key=value pairs separated by commas",
            withholdingValue: true,
            OTelEnvironment.keyValueList
        ) {
            // One header that cannot be sent costs only itself.
            self.headers = list.map { Header(name: $0.key, value: $0.value) }.filter { header in
                guard let reason = header.refusal else { return true }
                let error = OTLPConfigurationError.invalidHeader(setting: name, name: header.name, reason: reason)
                environment.logger.warning("Ignoring a header from the environment", metadata: ["error": "\(error)"])
                ignored.append(error)
                return false
            }
        } else {
            self.headers = []
        }

        self.compression =
            compression
            ?? environmentValue("COMPRESSION", expected: "gzip or none") { Compression(rawValue: $0.lowercased()) }?
            .value ?? Compression.none

        if let timeout, timeout < .zero {
            throw OTLPConfigurationError.invalidValue(
                setting: "timeout",
                value: "\(timeout)",
                expected: "zero (no limit) or a positive duration"
            )
        }
        self.timeout =
            timeout
            ?? environmentValue("TIMEOUT", expected: "a non-negative number of milliseconds") { value in
                Int(value).flatMap { $0 >= 0 ? Duration.milliseconds($0) : nil }
            }?.value ?? .seconds(10)
        self.ignoredEnvironmentValues = ignored

        func readableFile(_ explicit: String?, _ suffix: String) throws -> String? {
            let (setting, path): (String, String)
            if let explicit {
                (setting, path) = (suffix.lowercased(), explicit)
            } else if let (name, value) = variable(suffix) {
                (setting, path) = (name, value)
            } else {
                return nil
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw OTLPConfigurationError.unreadableFile(setting: setting, path: path)
            }
            return path
        }
        self.certificateFile = try readableFile(certificateFile, "CERTIFICATE")
        self.clientKeyFile = try readableFile(clientKeyFile, "CLIENT_KEY")
        self.clientCertificateFile = try readableFile(clientCertificateFile, "CLIENT_CERTIFICATE")
    }

    /// The generic endpoint with a signal's path joined to its path: `http://host:4318` and
    /// `http://host:4318/` both become `http://host:4318/v1/traces`; a path is kept (`/otlp`
    /// becomes `/otlp/v1/traces`), and so is a query (`http://host:4318?k=v` becomes
    /// `http://host:4318/v1/traces?k=v`).
    static func joining(_ signalPath: String, to base: String) -> String {
        guard var components = URLComponents(string: base), components.host != nil else {
            // Not a URL: left for the validation to refuse, with the text as given.
            return (base.hasSuffix("/") ? String(base.dropLast()) : base) + signalPath
        }
        var path = components.percentEncodedPath
        if path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path + signalPath
        return components.string ?? base + signalPath
    }

    private static func validatedURL(_ text: String) throws -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw OTLPConfigurationError.invalidEndpoint(
                text,
                reason: "not a URL; expected for example http://localhost:4318"
            )
        }
        guard scheme == "http" || scheme == "https" else {
            throw OTLPConfigurationError.invalidEndpoint(text, reason: "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty, let url = components.url else {
            throw OTLPConfigurationError.invalidEndpoint(text, reason: "no host")
        }
        return url
    }

    public static func == (lhs: OTLPExporterConfiguration, rhs: OTLPExporterConfiguration) -> Bool {
        lhs.endpoint == rhs.endpoint && lhs.transportProtocol == rhs.transportProtocol && lhs.headers == rhs.headers
            && lhs.compression == rhs.compression && lhs.timeout == rhs.timeout
            && lhs.certificateFile == rhs.certificateFile && lhs.clientKeyFile == rhs.clientKeyFile
            && lhs.clientCertificateFile == rhs.clientCertificateFile && lhs.insecure == rhs.insecure
            && lhs.signal == rhs.signal
    }
}
