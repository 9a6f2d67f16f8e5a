import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Synchronization
import Testing

@Suite("OTLP request headers")
struct OTLPHeaderTests {
    /// The issue's probe: a CR LF in a percent-encoded value, and a User-Agent of the user's.
    private static let injecting = "a=b%0D%0AX-Injected:%20yes,user-agent=custom,tenant=blue"
    private static let defaultUserAgent = "OTel-OTLP-Exporter-Swift/\(Resource.sdkVersion)"

    private static func delivered(_ exporter: OTLPSpanExporter) -> Bool {
        if case .success = exporter.export([SpanFixtures.workloadSpan(index: 0)], timeout: .seconds(5)) {
            true
        } else {
            false
        }
    }

    @Test(
        "a header from the environment whose name or value holds CR, LF or NUL is left out and warned about by name",
        arguments: [
            ("a=b%0D%0AX-Injected:%20yes,tenant=blue", "a"),
            ("a=b%0Ac,tenant=blue", "a"),
            ("a=b%00c,tenant=blue", "a"),
            ("x%0D%0AInjected=1,tenant=blue", "x\\r\\nInjected"),
            ("bad%3Aname=1,tenant=blue", "bad:name"),
        ]
    )
    func environmentHeaderRefused(list: String, shownName: String) throws {
        let log = CapturedLog()
        let configuration = try OTLPExporterConfiguration(
            environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_HEADERS": list], logger: log.logger)
        )
        #expect(configuration.headers == [.init(name: "tenant", value: "blue")])
        #expect(log.messages.count == 1, "\(log.messages)")
        let message = try #require(log.messages.first)
        #expect(message.contains("OTEL_EXPORTER_OTLP_HEADERS") && message.contains(shownName), "\(message)")
        // Never the value, and no raw control character in the log.
        #expect(!message.contains("Injected:") && !message.contains("\r") && !message.contains("\n"), "\(message)")
        #expect(configuration.ignoredEnvironmentValues.count == 1)
        let ignored = "\(configuration.ignoredEnvironmentValues)"
        #expect(ignored.contains(shownName) && !ignored.contains("yes"), "\(ignored)")
    }

    @Test(
        "a header given in code whose name or value holds CR, LF or NUL is a typed error that withholds the value",
        arguments: [("a", "b\r\nX-Injected: yes"), ("a", "b\nc"), ("a", "b\0c"), ("a\r\nb", "v"), ("", "v")]
    )
    func codeHeaderRefused(name: String, value: String) {
        do {
            _ = try OTLPExporterConfiguration(
                headers: [.init(name: name, value: value)],
                environment: OTelEnvironment([:])
            )
            Issue.record("no error for \(name.debugDescription)")
        } catch let error as OTLPConfigurationError {
            guard case .invalidHeader = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(!error.description.contains("Injected") && !error.description.contains("\n"), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("the User-Agent is one line: the exporter's string, then the user's")
    func userAgentLine() throws {
        let configuration = try OTLPExporterConfiguration(
            headers: [.init(name: "User-Agent", value: "custom/2"), .init(name: "tenant", value: "blue")],
            environment: OTelEnvironment([:])
        )
        #expect(configuration.userAgent == "\(Self.defaultUserAgent) custom/2")
        let plain = try OTLPExporterConfiguration(environment: OTelEnvironment([:]))
        #expect(plain.userAgent == Self.defaultUserAgent)
    }

    @Test("on the wire over OTLP/HTTP: no injected line, one User-Agent holding the default string")
    func httpWire() throws {
        let server = try ScriptedHTTPServer(script: [])
        let exporter = try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: server.url,
                environment: OTelEnvironment(
                    ["OTEL_EXPORTER_OTLP_HEADERS": Self.injecting],
                    logger: CapturedLog().logger
                )
            )
        )
        #expect(Self.delivered(exporter))
        let head = try #require(server.requests.first?.head)
        let lines = head.split(separator: "\r\n").map { $0.lowercased() }
        #expect(!lines.contains { $0.hasPrefix("x-injected") }, "\(head)")
        #expect(!lines.contains { $0.hasPrefix("a:") }, "\(head)")
        let userAgents = lines.filter { $0.hasPrefix("user-agent:") }
        #expect(userAgents == ["user-agent: \(Self.defaultUserAgent.lowercased()) custom"], "\(head)")
        #expect(lines.contains("tenant: blue"), "\(head)")
    }

    @Test("on the wire over OTLP/gRPC: one User-Agent holding the default string, the user's header kept")
    func grpcWire() async throws {
        let seen = Mutex<[[(name: String, value: String)]]>([])
        let configuration = OTLPReceiver.Configuration(httpPort: nil) { request in
            seen.withLock { $0.append(request.headers) }
            return .accept
        }
        try await withReceiver(configuration) { receiver in
            let endpoint = try #require(receiver.grpcEndpoint)
            let exporter = try OTLPSpanExporter(
                configuration: OTLPExporterConfiguration(
                    endpoint: endpoint,
                    transportProtocol: .grpc,
                    environment: OTelEnvironment(
                        ["OTEL_EXPORTER_OTLP_HEADERS": Self.injecting],
                        logger: CapturedLog().logger
                    )
                )
            )
            #expect(Self.delivered(exporter))
        }
        let headers = try #require(seen.withLock { $0.first })
        #expect(headers.filter { $0.name == "user-agent" }.map(\.value) == ["\(Self.defaultUserAgent) custom"])
        #expect(!headers.contains { $0.name == "x-injected" || $0.name == "a" })
        #expect(headers.contains { $0.name == "tenant" && $0.value == "blue" })
    }

    @Test("a header with an empty value is sent empty, not taken as a request to drop the header")
    func emptyValue() throws {
        let server = try ScriptedHTTPServer(script: [])
        let exporter = try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: server.url,
                headers: [.init(name: "x-empty", value: "")],
                environment: OTelEnvironment([:])
            )
        )
        #expect(Self.delivered(exporter))
        let lines = try #require(server.requests.first?.head).split(separator: "\r\n").map { $0.lowercased() }
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == "x-empty:" }, "\(lines)")
    }
}
