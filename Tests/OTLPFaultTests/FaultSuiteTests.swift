import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// The full pipeline against collectors that are down, slow, hanging, failing or broken:
/// every span accounted for, app threads never held up, shutdown on time.
@Suite("Fault suite", .serialized)
struct FaultSuiteTests {
    @Test("collector down at start, then up: the queued spans arrive, the excess is counted dropped")
    func collectorDownThenUp() async throws {
        let port = try await unusedPort()
        let pipeline = try PipelineUnderTest(endpoint: "http://127.0.0.1:\(port)", queueSize: 1_024)
        pipeline.produce(3_000)
        try await Task.sleep(for: .seconds(1))
        try await withReceiver(.init(httpPort: port, grpcPort: nil)) { receiver in
            let (result, _) = pipeline.shutdown()
            #expect(result == .success)
            let statistics = pipeline.processor.statistics
            #expect(statistics.dropped > 0 && statistics.failed == 0 && statistics.lost == 0)
            #expect(statistics.exported + statistics.dropped == 3_000)
            #expect(statistics.exported >= 1_024, "at least a queue's worth arrives after the outage")
            let received = receiver.spans
            #expect(received.count - duplicateCount(received) == statistics.exported)
            pipeline.expectAccounted("collector down, then up")
        }
    }

    @Test("rotel killed mid-stream and restarted: nothing unaccounted, the pipeline recovers")
    func collectorKilledAndRestarted() async throws {
        try await withReceiver(.init(httpPort: nil)) { receiver in
            let collector = try RotelCollector(forwardingTo: receiver.grpcEndpoint!)
            defer { collector.stop() }
            let pipeline = try PipelineUnderTest(endpoint: collector.httpEndpoint)
            pipeline.produce(1_000)
            #expect(await pipeline.processor.forceFlush(timeout: .seconds(10)) == .success)
            collector.stop()
            pipeline.produce(1_000)
            try await Task.sleep(for: .milliseconds(500))
            try collector.restart()
            pipeline.produce(1_000)
            let (result, _) = pipeline.shutdown()
            #expect(result == .success)
            let statistics = pipeline.processor.statistics
            #expect(statistics.exported + statistics.dropped + statistics.failed == 3_000)
            #expect(statistics.exported >= 2_000, "the spans before the kill and after the restart arrive")
            pipeline.expectAccounted("rotel killed and restarted")
        }
    }

    @Test("a collector slower than the timeout: exports fail on time and count failed")
    func slowCollector() async throws {
        let configuration = OTLPReceiver.Configuration(
            grpcPort: nil,
            responder: { _ in .delayed(.seconds(2), .accept) }
        )
        try await withReceiver(configuration) { receiver in
            let pipeline = try PipelineUnderTest(endpoint: receiver.httpEndpoint!, exporterTimeout: .milliseconds(500))
            pipeline.produce(500)
            let (result, took) = pipeline.shutdown(timeout: .seconds(10))
            #expect(result == .failure)
            #expect(took < .seconds(5))
            #expect(pipeline.processor.statistics.failed == 500)
            pipeline.expectAccounted("slow collector")
            // The receiver takes the requests after the exporter gave up on them: delivered, yet
            // counted failed, as a lost answer makes them. Not retried, so no duplicates.
            let received = try await receiver.waitForSpans(count: 500, timeout: .seconds(5))
            #expect(duplicateCount(received) == 0)
        }
    }

    @Test("a hanging connection: shutdown returns at its deadline and counts the spans lost")
    func hangingConnection() async throws {
        let configuration = OTLPReceiver.Configuration(
            grpcPort: nil,
            responder: { _ in .delayed(.seconds(60), .accept) }
        )
        try await withReceiver(configuration) { receiver in
            let pipeline = try PipelineUnderTest(endpoint: receiver.httpEndpoint!, exporterTimeout: .seconds(30))
            pipeline.produce(600)
            try await Task.sleep(for: .milliseconds(200))
            let (result, took) = pipeline.shutdown(timeout: .seconds(1))
            #expect(result == .timeout)
            #expect(took < .milliseconds(1_500), "shutdown took \(took)")
            #expect(pipeline.processor.statistics.lost == 600)
            pipeline.expectAccounted("hanging connection")
        }
    }

    @Test(
        "statuses from the collector: retried until delivered, or failed, or rejected, and accounted",
        arguments: [
            (
                "5xx storm",
                [OTLPReceiverResponse.httpStatus(503), .httpStatus(502), .httpStatus(504), .httpStatus(503), .accept], 0
            ),
            ("429 with Retry-After", [.httpStatus(429, retryAfter: "1"), .accept], 0),
            ("400", [.httpStatus(400)], 2),
            ("413", [.httpStatus(413)], 2),
            ("partial success", [.partialSuccess(rejected: 7, message: "too old")], 1),
        ]
    )
    func collectorStatuses(scenario: String, answers: [OTLPReceiverResponse], outcome: Int) async throws {
        let configuration = OTLPReceiver.Configuration(
            grpcPort: nil,
            responder: { request in
                answers[min(request.sequenceNumber, answers.count) - 1]
            }
        )
        try await withReceiver(configuration) { receiver in
            // One request of all 300: only shutdown sends the batch. With a short schedule delay, a
            // producer slowed down (under ThreadSanitizer, say) would see part of it go first.
            let pipeline = try PipelineUnderTest(
                endpoint: receiver.httpEndpoint!,
                batchSize: 1_000,
                scheduleDelay: .seconds(60)
            )
            pipeline.produce(300)
            _ = pipeline.shutdown()
            let statistics = pipeline.processor.statistics
            switch outcome {
            case 0: #expect(statistics.exported == 300 && pipeline.exporter.statistics.retries > 0)
            case 1: #expect(statistics.rejected == 7 && statistics.exported == 293)
            default: #expect(statistics.failed == 300 && pipeline.exporter.statistics.retries == 0)
            }
            #expect(duplicateCount(receiver.spans) == 0)
            pipeline.expectAccounted(scenario)
        }
    }

    @Test(
        "gRPC: trailers-only errors, resets, GOAWAY, broken answers: accounted, delivered where a retry can",
        arguments: [
            ("trailers-only UNAVAILABLE", OTLPReceiverResponse.grpcStatus(code: 14, message: "busy"), true),
            ("trailers-only INTERNAL", .grpcStatus(code: 13, message: "bug"), false),
            ("RST_STREAM", .grpcFault(.resetStream), true),
            ("GOAWAY", .grpcFault(.goAway), true),
            ("missing grpc-status", .grpcFault(.missingStatus), false),
            ("frame longer than announced", .grpcFault(.truncatedMessage), true),
            ("garbage instead of a frame", .grpcFault(.garbageMessage), true),
        ]
    )
    func grpcFaults(scenario: String, first: OTLPReceiverResponse, delivered: Bool) async throws {
        let configuration = OTLPReceiver.Configuration(
            httpPort: nil,
            responder: { request in
                request.sequenceNumber == 1 ? first : .accept
            }
        )
        try await withReceiver(configuration) { receiver in
            // One request of all 300, as above.
            let pipeline = try PipelineUnderTest(
                endpoint: receiver.grpcEndpoint!,
                transportProtocol: .grpc,
                batchSize: 1_000,
                scheduleDelay: .seconds(60)
            )
            pipeline.produce(300)
            _ = pipeline.shutdown()
            let statistics = pipeline.processor.statistics
            if delivered {
                #expect(statistics.exported == 300)
            } else {
                #expect(statistics.failed == 300)
            }
            #expect(duplicateCount(receiver.spans) == 0)
            pipeline.expectAccounted("gRPC \(scenario)")
        }
    }
}
