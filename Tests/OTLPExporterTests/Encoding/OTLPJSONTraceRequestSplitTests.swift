import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// `http/json` batches are cut by the request size limit as protobuf ones are.
@Suite("OTLP/HTTP JSON request splitting")
struct OTLPJSONRequestSplitTests {
    @Test(
        "an http/json batch over the request limit arrives as several requests under it; a span too large alone is rejected"
    )
    func splitAndOversized() async throws {
        let limit = 2_000
        // The receiver answers 413 to a body over the limit: every accepted request fits it.
        try await withReceiver(.init(grpcPort: nil, maximumRequestBytes: limit)) { receiver in
            let exporter = try OTLPSpanExporter(
                configuration: OTLPExporterConfiguration(
                    endpoint: try #require(receiver.httpEndpoint) + "/v1/traces",
                    transportProtocol: .httpJSON,
                    environment: OTelEnvironment([:])
                ),
                maximumRequestBytes: limit
            )
            var batch = (0..<40).map { SpanFixtures.workloadSpan(index: $0) }
            batch.insert(SpanFixtures.payloadSpan(named: "huge", id: 777, payloadBytes: 5_000, like: batch[0]), at: 7)

            let result = exporter.export(batch, timeout: .seconds(10))
            guard case .partialSuccess(let rejected, _) = result else {
                Issue.record("expected the huge span rejected and the rest delivered, got \(result)")
                return
            }
            #expect(rejected == 1)
            let received = try await receiver.waitForSpans(count: 40, timeout: .seconds(5))
            #expect(
                Set(received.map(\.context.spanID)) == Set(batch.filter { $0.name != "huge" }.map(\.context.spanID))
            )
            #expect(received.count == 40)
            let statistics = receiver.statistics
            #expect(statistics.requests > 1 && statistics.refusedRequests == 0)
            #expect(statistics.bytes <= statistics.requests * limit)
            #expect(exporter.statistics.sent == 40 && exporter.statistics.rejected == 1)
            #expect(exporter.statistics.failed == 0)
        }
    }
}
