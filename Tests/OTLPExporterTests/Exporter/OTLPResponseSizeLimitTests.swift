import Foundation
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

@testable import OTLPExporter

/// The OTLP specification: "The client MUST limit the size of the response body when parsing
/// it, including after decompression, [...] If the limit is exceeded, the client MUST treat the
/// response as a non-retryable error and SHOULD record the fact that the response was discarded."
@Suite("OTLP response size limit")
struct OTLPResponseSizeLimitTests {
    private let batch = (0..<5).map { SpanFixtures.workloadSpan(index: $0) }

    private static func configuration(
        _ url: String,
        _ transportProtocol: OTLPExporterConfiguration.TransportProtocol = .httpProtobuf
    ) throws -> OTLPExporterConfiguration {
        try OTLPExporterConfiguration(
            endpoint: url,
            transportProtocol: transportProtocol,
            timeout: .seconds(5),
            environment: OTelEnvironment([:])
        )
    }

    /// An ExportTraceServiceResponse with a partial success of one rejected span whose
    /// error_message is `messageBytes` long.
    private static func partialSuccessResponse(messageBytes: Int) -> [UInt8] {
        func varint(_ value: Int) -> [UInt8] {
            var value = value
            var bytes: [UInt8] = []
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            return bytes + [UInt8(value)]
        }
        let partial: [UInt8] =
            [0x08, 0x01, 0x12] + varint(messageBytes) + Array(repeating: UInt8(ascii: "m"), count: messageBytes)
        return [0x0A] + varint(partial.count) + partial
    }

    /// The error a failed export ended with, or nil (recorded as an issue) for any other result.
    private static func failure(of result: ExportResult) -> (any Error)? {
        guard case .failure(let error) = result else {
            Issue.record("expected a failure, got \(String(describing: result).prefix(200))")
            return nil
        }
        return error
    }

    @Test(
        "the default limit is the specification's 4 MiB: a larger body fails the batch and is not retried",
        arguments: [200, 503]
    )
    func overDefaultLimit(status: Int) throws {
        // A body the old 64 KiB default refused is read.
        let large = ScriptedHTTPServer.Response(
            status: 200,
            body: Array(repeating: UInt8(ascii: "x"), count: 100 * 1024)
        )
        let oversized = ScriptedHTTPServer.Response(
            status: status,
            body: Array(repeating: UInt8(ascii: "x"), count: 4 * 1024 * 1024 + 1)
        )
        let server = try ScriptedHTTPServer(script: [large, oversized])
        let exporter = try OTLPSpanExporter(configuration: Self.configuration(server.url))
        #expect(OTLPSpanExporter.defaultMaximumResponseBytes == 4_194_304)
        let first = exporter.export(batch, timeout: .seconds(5))
        #expect({ if case .success = first { true } else { false } }(), "\(String(describing: first).prefix(200))")
        guard let error = Self.failure(of: exporter.export(batch, timeout: .seconds(5))) else { return }
        let tooLarge = try #require(error as? OTLPResponseTooLargeError, "\(error)")
        #expect(tooLarge.maximumResponseBytes == 4_194_304 && tooLarge.status == status)
        #expect("\(error)".contains("4194304-byte") && "\(error)".contains("maximumResponseBytes"))
        #expect(server.requests.count == 2)
        let statistics = exporter.statistics
        #expect(statistics.failed == 5 && statistics.sent == 5 && statistics.retries == 0)
        #expect(statistics.lastError?.contains("maximumResponseBytes") == true)
    }

    @Test("the limit is a setting: a body of exactly that size is read whole, one byte more is refused")
    func configuredLimit() throws {
        let atLimit = Self.partialSuccessResponse(messageBytes: 992)
        let overLimit = Self.partialSuccessResponse(messageBytes: 993)
        try #require(atLimit.count == 1_000 && overLimit.count == 1_001)
        let server = try ScriptedHTTPServer(script: [
            .init(status: 200, body: atLimit), .init(status: 200, body: overLimit),
        ])
        let exporter = try OTLPSpanExporter(configuration: Self.configuration(server.url), maximumResponseBytes: 1_000)

        let read = exporter.export(batch, timeout: .seconds(5))
        guard case .partialSuccess(let rejected, let message) = read else {
            Issue.record("a body at the limit was not read whole: \(String(describing: read).prefix(200))")
            return
        }
        #expect(rejected == 1 && message.utf8.count == 992)

        guard let error = Self.failure(of: exporter.export(batch, timeout: .seconds(5))) else { return }
        #expect((error as? OTLPResponseTooLargeError)?.maximumResponseBytes == 1_000, "\(error)")
        #expect(server.requests.count == 2)
        #expect(exporter.statistics.failed == 5 && exporter.statistics.sent == 5)
    }

    @Test("over gRPC the limit applies to the response message read: over it, the call fails and is not retried")
    func grpcResponse() async throws {
        let receiverConfiguration = OTLPReceiver.Configuration(
            httpPort: nil,
            responder: { _ in
                .partialSuccess(rejected: 1, message: String(repeating: "m", count: 2_000))
            }
        )
        try await withReceiver(receiverConfiguration) { receiver in
            let endpoint = try #require(receiver.grpcEndpoint)

            let generous = try OTLPSpanExporter(configuration: Self.configuration(endpoint, .grpc))
            let read = generous.export(batch, timeout: .seconds(5))
            guard case .partialSuccess(1, let message) = read else {
                Issue.record("the response was not read: \(String(describing: read).prefix(200))")
                return
            }
            #expect(message.utf8.count == 2_000)

            let strict = try OTLPSpanExporter(
                configuration: Self.configuration(endpoint, .grpc),
                maximumResponseBytes: 1_000
            )
            guard let error = Self.failure(of: strict.export(batch, timeout: .seconds(5))) else { return }
            #expect((error as? OTLPResponseTooLargeError)?.maximumResponseBytes == 1_000, "\(error)")
            #expect(receiver.statistics.requests == 2 && strict.statistics.retries == 0)
            #expect(strict.statistics.failed == 5 && strict.statistics.sent == 0)
        }
    }

    @Test("a gzip gRPC response message that inflates past the limit is refused")
    func grpcDecompressedMessage() throws {
        let message = Self.partialSuccessResponse(messageBytes: 5_000)
        let compressor = try GzipCompressor()
        let compressed = Array(message.withUnsafeBytes { compressor.compress($0) })
        try #require(compressed.count < 1_000)
        var frame: [UInt8] = [1]
        withUnsafeBytes(of: UInt32(compressed.count).bigEndian) { frame.append(contentsOf: $0) }
        frame += compressed

        #expect(throws: OTLPResponseTooLargeError(status: 200, maximumResponseBytes: 1_000)) {
            _ = try OTLPGRPCSender.partialSuccess(in: frame, of: .traces, maximumResponseBytes: 1_000)
        }
        let partial = try OTLPGRPCSender.partialSuccess(in: frame, of: .traces, maximumResponseBytes: 10_000)
        #expect(partial?.rejected == 1)
        #expect(partial?.errorMessage.utf8.count == 5_000)
    }

    @Test("through a batch processor: the spans count as failed, and every ended span is accounted for")
    func processorAccounting() throws {
        let oversized = ScriptedHTTPServer.Response(
            status: 200,
            body: Array(repeating: UInt8(ascii: "x"), count: 4_096)
        )
        let server = try ScriptedHTTPServer(script: Array(repeating: oversized, count: 20))
        let exporter = try OTLPSpanExporter(configuration: Self.configuration(server.url), maximumResponseBytes: 1_024)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(20), maxQueueSize: 2_048, maxExportBatchSize: 100)
        )
        let provider = TracerProvider(processors: [processor], environment: OTelEnvironment([:]))
        let tracer = provider.tracer(name: "response-limit")
        for index in 0..<250 {
            tracer.startSpan("span \(index)").end()
        }
        // The final export failed, so the shutdown reports a failure, not a timeout.
        #expect(provider.shutdown(timeout: .seconds(10)) == .failure)
        let statistics = processor.statistics
        #expect(statistics.received == 250 && statistics.lost == 0)
        #expect(statistics.failed == 250 && statistics.exported == 0)
        #expect(
            statistics.exported + statistics.dropped + statistics.rejected + statistics.failed + statistics.lost
                == statistics.received
        )
        #expect(exporter.statistics.failed == 250 && exporter.statistics.retries == 0)
    }
}
