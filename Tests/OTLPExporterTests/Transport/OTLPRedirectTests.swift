import Foundation
import OTLPTestSupport
import OTelSDK
import Testing

@testable import OTLPExporter

/// OTLP/HTTP redirects: 307 and 308 keep the method and body (RFC 9110, 15.4.8 and 15.4.9),
/// so the exporter follows them, a few hops at most, never from https to http, and sends the
/// configured headers (which often carry credentials) only to the configured host.
@Suite("OTLP/HTTP redirects")
struct OTLPRedirectTests {
    private let batch = (0..<3).map { SpanFixtures.workloadSpan(index: $0) }

    private func exporter(_ url: String) throws -> OTLPSpanExporter {
        try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                headers: [.init(name: "x-api-key", value: "secret-value")],
                timeout: .seconds(5),
                environment: OTelEnvironment([:])
            )
        )
    }

    private func isSuccess(_ result: ExportResult) -> Bool {
        if case .success = result { true } else { false }
    }

    @Test(
        "307 and 308 are followed with the same method and body; on the same host and port the headers go too",
        arguments: [307, 308]
    )
    func followedOnSameHost(status: Int) throws {
        // A relative Location, resolved against the request's URL: the same server.
        let server = try ScriptedHTTPServer(script: [.init(status: status, headers: ["Location": "/moved/v1/traces"])])
        let exporter = try exporter(server.url)
        let result = exporter.export(batch, timeout: .seconds(5))
        #expect(isSuccess(result), "\(result)")
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(
            requests.map { $0.head.split(separator: "\r\n").first } == [
                "POST /v1/traces HTTP/1.1", "POST /moved/v1/traces HTTP/1.1",
            ]
        )
        #expect(requests[1].body == requests[0].body)
        #expect(requests[1].head.lowercased().contains("x-api-key: secret-value"))
        #expect(exporter.statistics.sent == 3 && exporter.statistics.retries == 0)

        // The next request starts again from the configured URL.
        #expect(isSuccess(exporter.export(batch, timeout: .seconds(5))))
        #expect(server.requests.last?.head.hasPrefix("POST /v1/traces ") == true)
    }

    @Test("to another host or port the configured headers are not sent", arguments: ["localhost", "127.0.0.1"])
    func otherHostGetsNoCredentials(host: String) throws {
        let target = try ScriptedHTTPServer(script: [])
        let origin = try ScriptedHTTPServer(script: [
            .init(status: 307, headers: ["Location": "http://\(host):\(target.port)/v1/traces"])
        ])
        let result = try exporter(origin.url).export(batch, timeout: .seconds(5))
        #expect(isSuccess(result), "\(result)")
        let followed = try #require(target.requests.first)
        #expect(!followed.head.lowercased().contains("x-api-key"), "\(followed.head)")
        #expect(followed.head.contains("User-Agent: OTel-OTLP-Exporter-Swift/"))
        #expect(followed.body == origin.requests.first?.body)
    }

    @Test("301, 302 and 303 are errors, not followed and not retried", arguments: [301, 302, 303])
    func otherRedirectsAreErrors(status: Int) throws {
        let target = try ScriptedHTTPServer(script: [])
        let origin = try ScriptedHTTPServer(script: [
            .init(status: status, headers: ["Location": "http://127.0.0.1:\(target.port)/v1/traces"])
        ])
        let exporter = try exporter(origin.url)
        guard case .failure(let error) = exporter.export(batch, timeout: .seconds(5)) else {
            Issue.record("a \(status) redirect was not an error")
            return
        }
        #expect("\(error)".contains("\(status)"), "\(error)")
        #expect(target.requests.isEmpty && origin.requests.count == 1)
        #expect(exporter.statistics.retries == 0)
    }

    @Test("a redirect loop ends after a few hops with an error")
    func loop() throws {
        let server = try ScriptedHTTPServer(
            script: Array(repeating: .init(status: 307, headers: ["Location": "/v1/traces"]), count: 20)
        )
        let exporter = try exporter(server.url)
        guard case .failure(let error) = exporter.export(batch, timeout: .seconds(5)) else {
            Issue.record("a redirect loop was delivered")
            return
        }
        #expect("\(error)".contains("redirect"), "\(error)")
        #expect(server.requests.count == OTLPHTTPSender.maximumRedirects + 1)
    }

    @Test(
        "where a redirect may lead: same scheme or an upgrade to https; credentials only to the same host",
        arguments: [
            ("http://a:1/v1/traces", "http://a:1/x", true, true),
            ("http://a:1/v1/traces", "https://a:1/x", true, true),
            ("http://a:1/v1/traces", "http://a:2/x", true, false),
            ("http://a:1/v1/traces", "http://b:1/x", true, false),
            ("https://a/v1/traces", "http://a/x", false, false),
            ("https://a/v1/traces", "ftp://a/x", false, false),
        ]
    )
    func redirectPolicy(from: String, to: String, allowed: Bool, keepsHeaders: Bool) {
        let hop = HTTPRedirect(from: from, to: to)
        #expect(hop.isAllowed == allowed)
        #expect(hop.keepsConfiguredHeaders == keepsHeaders)
    }
}
