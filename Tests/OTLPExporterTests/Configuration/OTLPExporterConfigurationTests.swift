import Foundation
import OTLPExporter
import OTLPTestSupport
import OTelSDK
import Testing

@Suite("OTLP exporter configuration")
struct OTLPExporterConfigurationTests {
    private func configuration(_ variables: [String: String]) throws -> OTLPExporterConfiguration {
        try OTLPExporterConfiguration(environment: OTelEnvironment(variables))
    }

    @Test(
        "defaults",
        arguments: [
            (
                [String: String](), "http://localhost:4318/v1/traces",
                OTLPExporterConfiguration.TransportProtocol.httpProtobuf
            ),
            (["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "http://localhost:4317", .grpc),
            (["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"], "http://localhost:4318/v1/traces", .httpJSON),
        ]
    )
    func defaults(
        variables: [String: String],
        endpoint: String,
        transportProtocol: OTLPExporterConfiguration.TransportProtocol
    ) throws {
        let configuration = try configuration(variables)
        #expect(configuration.endpoint.absoluteString == endpoint)
        #expect(configuration.transportProtocol == transportProtocol)
        #expect(configuration.compression == .none)
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.headers.isEmpty)
        #expect(configuration.certificateFile == nil)
    }

    @Test(
        "endpoints: /v1/traces joins only the generic one, trailing slash safe",
        arguments: [
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"], "http://collector:4318/v1/traces"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"], "http://collector:4318/v1/traces"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector/otlp"], "https://collector/otlp/v1/traces"),
            (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/custom"], "http://collector:4318/custom"),
            (
                ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://a:1/x", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://b:2"],
                "http://a:1/x"
            ),
            (
                ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://b:2"],
                "http://b:2/v1/traces"
            ),
            (
                ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"],
                "http://collector:4317"
            ),
            // The path joins the URL's path; the query stays the query.
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318?k=v"], "http://c:4318/v1/traces?k=v"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/otlp/?k=v&j=w"], "http://c:4318/otlp/v1/traces?k=v&j=w"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/?k=v"], "http://c:4318/v1/traces?k=v"),
        ]
    )
    func endpoints(variables: [String: String], expected: String) throws {
        #expect(try configuration(variables).endpoint.absoluteString == expected)
    }

    @Test(
        "a gRPC endpoint without a scheme is TLS unless insecure is set",
        arguments: [
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"], "https://collector:4317"),
            (
                ["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"],
                "http://collector:4317"
            ),
            (
                [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "TRUE",
                    "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "false",
                ], "https://collector:4317"
            ),
            (
                ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "true"],
                "http://collector:4317"
            ),
            // A scheme in the endpoint wins over the flag.
            (
                ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"],
                "https://collector:4317"
            ),
        ]
    )
    func insecure(variables: [String: String], expected: String) throws {
        var variables = variables
        variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc"
        #expect(try configuration(variables).endpoint.absoluteString == expected)
    }

    @Test("the _TRACES_ form wins over the generic one; arguments win over both")
    func precedence() throws {
        let variables = [
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "1000", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_HEADERS": "a=1", "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "api-key=s%3Dcret, tenant = blue",
        ]
        let fromEnvironment = try configuration(variables)
        #expect(fromEnvironment.transportProtocol == .grpc)
        #expect(fromEnvironment.compression == .gzip)
        #expect(fromEnvironment.timeout == .milliseconds(2_500))
        #expect(
            fromEnvironment.headers == [.init(name: "api-key", value: "s=cret"), .init(name: "tenant", value: "blue")]
        )

        let explicit = try OTLPExporterConfiguration(
            endpoint: "https://example.test:4318/v1/traces",
            transportProtocol: .httpProtobuf,
            headers: [],
            compression: OTLPExporterConfiguration.Compression.none,
            timeout: .seconds(3),
            environment: OTelEnvironment(variables)
        )
        #expect(explicit.endpoint.absoluteString == "https://example.test:4318/v1/traces")
        #expect(explicit.transportProtocol == .httpProtobuf && explicit.compression == .none)
        #expect(explicit.timeout == .seconds(3) && explicit.headers.isEmpty)
    }

    @Test(
        "an invalid signal-specific value does not hide a valid generic one",
        arguments: [
            ("PROTOCOL", "bogus", "grpc"),
            ("TIMEOUT", "soon", "2500"),
            ("COMPRESSION", "zstd", "gzip"),
            ("INSECURE", "maybe", "true"),
            ("HEADERS", "no-equals-sign", "tenant=blue"),
        ]
    )
    func invalidSpecificFallsBackToGeneric(suffix: String, invalid: String, generic: String) throws {
        let log = CapturedLog()
        var variables = [
            "OTEL_EXPORTER_OTLP_TRACES_\(suffix)": invalid, "OTEL_EXPORTER_OTLP_\(suffix)": generic,
        ]
        if suffix == "INSECURE" {
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4317"
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc"
        }
        let configuration = try OTLPExporterConfiguration(environment: OTelEnvironment(variables, logger: log.logger))
        switch suffix {
        case "PROTOCOL": #expect(configuration.transportProtocol == .grpc)
        case "TIMEOUT": #expect(configuration.timeout == .milliseconds(2_500))
        case "COMPRESSION": #expect(configuration.compression == .gzip)
        case "INSECURE": #expect(configuration.endpoint.absoluteString == "http://collector:4317")
        default: #expect(configuration.headers == [.init(name: "tenant", value: "blue")])
        }
        #expect(log.messages.count == 1 && log.messages[0].contains("OTEL_EXPORTER_OTLP_TRACES_\(suffix)"))
        #expect(configuration.ignoredEnvironmentValues.count == 1)
    }

    @Test(
        "settings that cannot work at all are typed errors",
        arguments: [
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4318"], "invalid OTLP endpoint"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://collector"], "scheme must be http or https"),
            (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://"], "no host"),
            (["OTEL_EXPORTER_OTLP_CERTIFICATE": "/nonexistent/ca.pem"], "cannot read the file \"/nonexistent/ca.pem\""),
            (["OTEL_EXPORTER_OTLP_CLIENT_KEY": "/nonexistent/key.pem"], "OTEL_EXPORTER_OTLP_CLIENT_KEY"),
        ]
    )
    func errors(variables: [String: String], message: String) {
        do {
            _ = try configuration(variables)
            Issue.record("no error for \(variables)")
        } catch let error as OTLPConfigurationError {
            #expect(error.description.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(
        "an environment value of the wrong form is warned about once and the default used",
        arguments: [
            ("OTEL_EXPORTER_OTLP_INSECURE", "yes"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "udp"),
            ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "10s"),
            ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "-1"),
        ]
    )
    func invalidEnvironmentValues(variable: String, value: String) throws {
        let log = CapturedLog()
        let configuration = try OTLPExporterConfiguration(
            environment: OTelEnvironment([variable: value], logger: log.logger)
        )
        #expect(configuration.transportProtocol == .httpProtobuf)
        #expect(configuration.compression == .none)
        #expect(configuration.timeout == .seconds(10))
        #expect(!configuration.insecure)
        #expect(configuration.ignoredEnvironmentValues.count == 1)
        #expect(
            configuration.ignoredEnvironmentValues.first?.description.hasPrefix("invalid \(variable) \"\(value)\"")
                == true
        )
        #expect(log.messages.count == 1)
        #expect(
            log.messages.first?.contains(variable) == true && log.messages.first?.contains(value) == true,
            "\(log.messages)"
        )
    }

    @Test("a malformed headers list is warned about without its value, and no headers are sent")
    func headersWithheld() throws {
        let log = CapturedLog()
        let configuration = try OTLPExporterConfiguration(
            environment: OTelEnvironment(
                ["OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%zzsecret-token"],
                logger: log.logger
            )
        )
        #expect(configuration.headers.isEmpty)
        #expect(log.messages.count == 1)
        #expect(log.messages.allSatisfy { $0.contains("OTEL_EXPORTER_OTLP_HEADERS") && !$0.contains("secret-token") })
        #expect("\(configuration.ignoredEnvironmentValues)".contains("OTEL_EXPORTER_OTLP_HEADERS"))
        #expect(!"\(configuration.ignoredEnvironmentValues)".contains("secret-token"))
    }

    @Test("a timeout of zero is no limit; a negative one in code is a typed error")
    func timeouts() throws {
        #expect(try configuration(["OTEL_EXPORTER_OTLP_TIMEOUT": "0"]).timeout == .zero)
        #expect(try configuration(["OTEL_EXPORTER_OTLP_TIMEOUT": "0"]).ignoredEnvironmentValues.isEmpty)
        #expect(try OTLPExporterConfiguration(timeout: .zero, environment: OTelEnvironment([:])).timeout == .zero)
        #expect(throws: OTLPConfigurationError.self) {
            try OTLPExporterConfiguration(timeout: .seconds(-1), environment: OTelEnvironment([:]))
        }
    }

    @Test("a readable certificate file is accepted")
    func certificateFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("-----BEGIN CERTIFICATE-----\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try configuration(["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": path]).certificateFile == path)
    }
}
