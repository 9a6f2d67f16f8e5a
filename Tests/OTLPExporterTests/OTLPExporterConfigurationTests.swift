import Foundation
import OTLPExporter
import OTelSDK
import Testing

@Suite("OTLP exporter configuration")
struct OTLPExporterConfigurationTests {
    private func configuration(_ variables: [String: String]) throws -> OTLPExporterConfiguration {
        try OTLPExporterConfiguration(environment: OTelEnvironment(variables))
    }

    @Test("defaults", arguments: [
        ([String: String](), "http://localhost:4318/v1/traces", OTLPExporterConfiguration.TransportProtocol.httpProtobuf),
        (["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "http://localhost:4317", .grpc),
        (["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"], "http://localhost:4318/v1/traces", .httpJSON),
    ])
    func defaults(variables: [String: String], endpoint: String, transportProtocol: OTLPExporterConfiguration.TransportProtocol) throws {
        let configuration = try configuration(variables)
        #expect(configuration.endpoint.absoluteString == endpoint)
        #expect(configuration.transportProtocol == transportProtocol)
        #expect(configuration.compression == .none)
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.headers.isEmpty)
        #expect(configuration.certificateFile == nil)
    }

    @Test("endpoints: /v1/traces joins only the generic one, trailing slash safe", arguments: [
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"], "http://collector:4318/v1/traces"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"], "http://collector:4318/v1/traces"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector/otlp"], "https://collector/otlp/v1/traces"),
        (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/custom"], "http://collector:4318/custom"),
        (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://a:1/x", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://b:2"], "http://a:1/x"),
        (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://b:2"], "http://b:2/v1/traces"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "http://collector:4317"),
    ])
    func endpoints(variables: [String: String], expected: String) throws {
        #expect(try configuration(variables).endpoint.absoluteString == expected)
    }

    @Test("a gRPC endpoint without a scheme is TLS unless insecure is set", arguments: [
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"], "https://collector:4317"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"], "http://collector:4317"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "TRUE",
          "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "false"], "https://collector:4317"),
        (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "true"], "http://collector:4317"),
        // A scheme in the endpoint wins over the flag.
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"], "https://collector:4317"),
    ])
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
        #expect(fromEnvironment.headers == [.init(name: "api-key", value: "s=cret"), .init(name: "tenant", value: "blue")])

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

    @Test("values the exporter cannot use are typed errors", arguments: [
        (["OTEL_EXPORTER_OTLP_INSECURE": "yes"], "OTEL_EXPORTER_OTLP_INSECURE"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4318"], "invalid OTLP endpoint"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://collector"], "scheme must be http or https"),
        (["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://"], "no host"),
        (["OTEL_EXPORTER_OTLP_PROTOCOL": "udp"], "OTEL_EXPORTER_OTLP_PROTOCOL"),
        (["OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "zstd"], "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"),
        (["OTEL_EXPORTER_OTLP_TIMEOUT": "10s"], "OTEL_EXPORTER_OTLP_TIMEOUT"),
        (["OTEL_EXPORTER_OTLP_CERTIFICATE": "/nonexistent/ca.pem"], "cannot read the file \"/nonexistent/ca.pem\""),
        (["OTEL_EXPORTER_OTLP_CLIENT_KEY": "/nonexistent/key.pem"], "OTEL_EXPORTER_OTLP_CLIENT_KEY"),
    ])
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

    @Test("a malformed headers list is an error that does not show the value")
    func headersWithheld() {
        do {
            _ = try configuration(["OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%zzsecret-token"])
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("OTEL_EXPORTER_OTLP_HEADERS"))
            #expect(!"\(error)".contains("secret-token"))
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
