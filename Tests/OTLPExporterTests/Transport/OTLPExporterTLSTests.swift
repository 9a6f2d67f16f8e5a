import OTLPExporter
import OTLPTestSupport
import OTelSDK
import Testing

@Suite("OTLP exporter over TLS")
struct OTLPExporterTLSTests {
    private let batch = (0..<3).map { SpanFixtures.workloadSpan(index: $0) }

    private func export(
        to url: String,
        certificateFile: String? = nil,
        clientCertificateFile: String? = nil,
        clientKeyFile: String? = nil
    ) throws -> (ExportResult, OTLPExporterStatistics) {
        let exporter = try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                timeout: .seconds(5),
                certificateFile: certificateFile,
                clientKeyFile: clientKeyFile,
                clientCertificateFile: clientCertificateFile,
                environment: OTelEnvironment([:])
            )
        )
        let result = exporter.export(batch, timeout: .seconds(5))
        return (result, exporter.statistics)
    }

    private func failure(_ result: ExportResult) -> String? {
        if case .failure(let error) = result { "\(error)" } else { nil }
    }

    @Test("a server certificate signed by the configured CA is accepted")
    func trustedCA() throws {
        let server = try TLSTestServer()
        let (result, statistics) = try export(
            to: "https://localhost:\(server.port)/v1/traces",
            certificateFile: server.caFile
        )
        #expect(failure(result) == nil, "\(result)")
        #expect(statistics.sent == 3)
    }

    @Test("without the CA the certificate is refused with a clear error, and not retried")
    func untrustedCA() throws {
        let server = try TLSTestServer()
        let (result, statistics) = try export(to: "https://localhost:\(server.port)/v1/traces")
        let message = try #require(failure(result))
        #expect(message.contains("certificate"), "\(message)")
        #expect(statistics.retries == 0)
    }

    @Test("a certificate for another host name is refused")
    func wrongHostName() throws {
        let server = try TLSTestServer()
        let (result, _) = try export(to: "https://127.0.0.1:\(server.port)/v1/traces", certificateFile: server.caFile)
        let message = try #require(failure(result))
        #expect(message.contains("127.0.0.1") || message.lowercased().contains("certificate"), "\(message)")
    }

    @Test("a TLS handshake cut by the peer is retried like a failed connection, then delivered")
    func cutHandshakeRetried() throws {
        let server = try TLSTestServer(cutHandshakes: 2)
        let (result, statistics) = try export(
            to: "https://localhost:\(server.port)/v1/traces",
            certificateFile: server.caFile
        )
        #expect(failure(result) == nil, "\(result)")
        #expect(statistics.retries == 2)
        #expect(statistics.sent == 3)
    }

    @Test("an expired server certificate is refused with a clear error, and not retried")
    func expiredCertificate() throws {
        let server = try TLSTestServer(expiredCertificate: true)
        let (result, statistics) = try export(
            to: "https://localhost:\(server.port)/v1/traces",
            certificateFile: server.caFile
        )
        let message = try #require(failure(result))
        #expect(message.lowercased().contains("expired"), "\(message)")
        #expect(statistics.retries == 0)
    }

    @Test("mutual TLS: the client certificate is sent when configured, and required")
    func mutualTLS() throws {
        let server = try TLSTestServer(requiresClientCertificate: true)
        let url = "https://localhost:\(server.port)/v1/traces"
        let (accepted, _) = try export(
            to: url,
            certificateFile: server.caFile,
            clientCertificateFile: server.clientCertificateFile,
            clientKeyFile: server.clientKeyFile
        )
        #expect(failure(accepted) == nil, "\(accepted)")
        // Refused: with a certificate alert (final, see RetryPolicyTests), or, when the server's
        // reset arrives first, as a cut connection (retried until the timeout).
        let (refused, _) = try export(to: url, certificateFile: server.caFile)
        #expect(failure(refused) != nil)
    }
}
