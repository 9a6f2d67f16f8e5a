import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where and how the OTLP exporter sends spans.
///
/// Each setting is taken from, in order: the initializer's argument, the signal-specific
/// environment variable (`OTEL_EXPORTER_OTLP_TRACES_*`), the generic one
/// (`OTEL_EXPORTER_OTLP_*`), the default. "Empty environment variables are treated as unset"
/// (OpenTelemetry specification).
///
/// An environment value of the wrong form (protocol, compression, insecure, timeout, headers)
/// is logged once, naming the variable and the value (a header list's withheld), and the
/// default is used, as the specification asks; ``ignoredEnvironmentValues`` lists them.
/// What cannot work at all stays an error when the configuration is made: an endpoint that is
/// not an http(s) URL with a host, a certificate or key file that cannot be read, and a
/// negative timeout passed in code.
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

        /// Creates a header.
        /// - Parameters:
        ///   - name: the header name.
        ///   - value: its value.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The URL requests go to: for OTLP/HTTP the full traces URL (ending in `/v1/traces` when
    /// it came from the generic endpoint), for gRPC the server's base URL. Environment:
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (as is), `OTEL_EXPORTER_OTLP_ENDPOINT` (with
    /// `/v1/traces` appended for HTTP). Default: `http://localhost:4318/v1/traces`, or
    /// `http://localhost:4317` for gRPC.
    public let endpoint: URL
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`.
    /// Default: `http/protobuf`.
    public let transportProtocol: TransportProtocol
    /// Environment: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, `OTEL_EXPORTER_OTLP_HEADERS`
    /// (`key=value,...`, percent-encoded values). Default: none.
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

    /// Creates a configuration.
    /// - Parameters:
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
    ///   host, a certificate or key file that cannot be read, or a negative `timeout`.
    public init(
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
        func variable(_ suffix: String) -> (name: String, value: String)? {
            for name in ["OTEL_EXPORTER_OTLP_TRACES_\(suffix)", "OTEL_EXPORTER_OTLP_\(suffix)"] {
                if let value = environment[name] { return (name, value) }
            }
            return nil
        }

        // "The SDK MUST NOT fail on an invalid value: it SHOULD log a warning and use the
        // default" (OpenTelemetry environment variable specification).
        var ignored: [OTLPConfigurationError] = []
        func environmentValue<Value>(
            _ suffix: String,
            expected: String,
            withholdingValue: Bool = false,
            _ parse: (String) -> Value?
        ) -> Value? {
            guard let (name, value) = variable(suffix) else { return nil }
            if let parsed = parse(value) { return parsed }
            // Headers often carry credentials: their value is never shown.
            let shown = withholdingValue ? "(withheld)" : value
            environment.reportInvalid(name, shown, expected: expected)
            ignored.append(.invalidValue(setting: name, value: shown, expected: expected))
            return nil
        }

        let transportProtocol =
            transportProtocol
            ?? environmentValue("PROTOCOL", expected: "grpc, http/protobuf or http/json") {
                TransportProtocol(rawValue: $0.lowercased())
            } ?? .httpProtobuf
        self.transportProtocol = transportProtocol

        let insecure =
            insecure
            ?? environmentValue("INSECURE", expected: "true or false") { value -> Bool? in
                switch value.lowercased() {
                case "true": true
                case "false": false
                default: nil
                }
            } ?? false
        self.insecure = insecure

        var endpointText: String
        if let endpoint {
            endpointText = endpoint
        } else if let specific = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] {
            endpointText = specific
        } else if let generic = environment["OTEL_EXPORTER_OTLP_ENDPOINT"] {
            endpointText = transportProtocol == .grpc ? generic : Self.appendingTracesPath(to: generic)
        } else {
            endpointText = transportProtocol == .grpc ? "http://localhost:4317" : "http://localhost:4318/v1/traces"
        }
        if transportProtocol == .grpc, !endpointText.contains("://") {
            endpointText = (insecure ? "http://" : "https://") + endpointText
        }
        self.endpoint = try Self.validatedURL(endpointText)

        self.headers =
            headers
            ?? environmentValue("HEADERS", expected: "key=value pairs separated by commas", withholdingValue: true) {
                OTelEnvironment.keyValueList($0)?.map { Header(name: $0.key, value: $0.value) }
            } ?? []

        self.compression =
            compression
            ?? environmentValue("COMPRESSION", expected: "gzip or none") { Compression(rawValue: $0.lowercased()) }
            ?? Compression.none

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
            } ?? .seconds(10)
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

    /// The generic endpoint with the traces path: `http://host:4318` and `http://host:4318/`
    /// both become `http://host:4318/v1/traces`; a path is kept (`/otlp` -> `/otlp/v1/traces`).
    static func appendingTracesPath(to base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
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
    }
}
