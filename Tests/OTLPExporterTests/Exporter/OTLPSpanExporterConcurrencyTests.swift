import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// Several requests in flight, and the accounting of batches cut into several requests.
@Suite("OTLP span exporter: requests in flight")
struct OTLPSpanExporterConcurrencyTests {
    /// When each request arrived at the receiver.
    final class ArrivalLog: @unchecked Sendable {
        private let lock = NSLock()
        private var arrivals: [ContinuousClock.Instant] = []

        func record() {
            lock.withLock { arrivals.append(.now) }
        }

        var times: [ContinuousClock.Instant] { lock.withLock { arrivals } }
    }

    private static func exporter(
        _ receiver: OTLPReceiver,
        _ transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes
    ) throws -> OTLPSpanExporter {
        let url = transportProtocol == .grpc ? receiver.grpcEndpoint! : receiver.httpEndpoint! + "/v1/traces"
        return try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                transportProtocol: transportProtocol,
                timeout: .seconds(10),
                environment: OTelEnvironment([:])
            ),
            maximumRequestBytes: maximumRequestBytes
        )
    }

    @Test(
        "up to four requests travel at once while the batch processor goes on; flush waits for them",
        arguments: [OTLPExporterConfiguration.TransportProtocol.grpc, .httpProtobuf]
    )
    func requestsInFlight(transportProtocol: OTLPExporterConfiguration.TransportProtocol) async throws {
        let arrivals = ArrivalLog()
        // Every answer takes 400 ms: requests sent one after another would arrive 400 ms apart.
        let configuration = OTLPReceiver.Configuration(responder: { _ in
            arrivals.record()
            return .delayed(.milliseconds(400), .accept)
        })
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver, transportProtocol)
            let processor = BatchSpanProcessor(
                exporter: exporter,
                configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 1_024, maxExportBatchSize: 10)
            )
            let provider = TracerProvider(processors: [processor], environment: OTelEnvironment([:]))
            let tracer = provider.tracer(name: "in-flight")
            for index in 0..<80 {
                tracer.startSpan("span \(index)").end()
            }
            #expect(await processor.forceFlush(timeout: .seconds(10)) == .success)
            // The flush returned after the last answer: everything arrived and was settled.
            #expect(receiver.statistics.spans == 80)
            let statistics = processor.statistics
            #expect(statistics.exported == 80 && statistics.exporting == 0 && statistics.failed == 0)

            let times = arrivals.times
            #expect(times.count == 8)
            // The first four requests arrived before the first answer was sent.
            if times.count >= 4 {
                #expect(times[3] - times[0] < .milliseconds(350), "arrivals \(times.map { $0 - times[0] })")
            }
            #expect(await provider.shutdown() == .success)
        }
    }

    @Test("a batch cut into requests of which one fails: its spans count failed, the others delivered")
    func partiallyFailedBatch() async throws {
        // The second request of the batch is refused for good.
        let configuration = OTLPReceiver.Configuration(responder: { request in
            request.sequenceNumber == 2 ? .httpStatus(400) : .accept
        })
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver, .httpProtobuf, maximumRequestBytes: 2_000)
            // A batch larger than the 200 spans, so that the export happens inside forceFlush: a
            // full batch would start at once, and on a loaded machine its failure could be settled
            // before forceFlush begins (which reports what fails while it waits).
            let processor = BatchSpanProcessor(
                exporter: exporter,
                configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 1_024, maxExportBatchSize: 256)
            )
            let provider = TracerProvider(processors: [processor], environment: OTelEnvironment([:]))
            let tracer = provider.tracer(name: "split")
            for index in 0..<200 {
                let span = tracer.startSpan("split span \(index)")
                span.setAttribute("padding", .string(String(repeating: "x", count: 40)))
                span.end()
            }
            #expect(await processor.forceFlush(timeout: .seconds(10)) == .failure)
            let statistics = processor.statistics
            let delivered = receiver.statistics.spans
            #expect(receiver.statistics.requests > 2)
            #expect(delivered > 0 && delivered < 200)
            #expect(statistics.exported == delivered, "spans the receiver kept are exported")
            #expect(statistics.failed == 200 - delivered, "the refused request's spans failed")
            #expect(exporter.statistics.sent == delivered && exporter.statistics.failed == 200 - delivered)
            #expect(statistics.exported + statistics.failed == statistics.received)
            _ = await provider.shutdown()
        }
    }

    @Test("shutdown waits for requests in flight, and refuses later exports")
    func shutdownWaits() async throws {
        let configuration = OTLPReceiver.Configuration(responder: { _ in .delayed(.milliseconds(200), .accept) })
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver, .grpc)
            let spans = (0..<5).map { index in
                SpanData(
                    context: SpanContext(
                        traceID: TraceID(high: 1, low: 2),
                        spanID: SpanID(UInt64(index + 1)),
                        traceFlags: .sampled
                    ),
                    name: "s\(index)",
                    startTimeUnixNano: 1,
                    endTimeUnixNano: 2,
                    resource: Resource(attributes: [:]),
                    instrumentationScope: InstrumentationScope(name: "t")
                )
            }
            let completed = ArrivalLog()
            exporter.export(spans, timeout: .seconds(5)) { _ in completed.record() }
            #expect(exporter.shutdown(timeout: .seconds(5)) == .success)
            #expect(completed.times.count == 1, "the export completed before shutdown returned")
            #expect(receiver.statistics.spans == 5)
            guard case .failure(let error) = exporter.export(spans, timeout: .seconds(1)) else {
                Issue.record("an export after shutdown did not fail")
                return
            }
            #expect(error is ExporterShutDownError)
        }
    }
}
