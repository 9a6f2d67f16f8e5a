import Foundation
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

@testable import OTLPExporter

@Suite("Interop with the rotel collector")
struct RotelInteropTests {
    @Test(
        "rotel accepts the encoder's requests and names every span it received",
        arguments: [OTLPExporterConfiguration.Compression.none, .gzip]
    )
    func rotelReceivesEncodedSpans(compression: OTLPExporterConfiguration.Compression) throws {
        let collector = try RotelCollector()
        defer { collector.stop() }
        let run = UInt32.random(in: 0...UInt32.max)
        let resource = Resource(attributes: ["service.name": .string("interop-\(run)")])
        let spans = (0..<40).map { index in
            let span = SpanFixtures.workloadSpan(index: index, resource: resource)
            return SpanData(
                context: span.context,
                parentSpanContext: span.parentSpanContext,
                name: "interop-\(run)-\(index)",
                kind: span.kind,
                startTimeUnixNano: span.startTimeUnixNano,
                endTimeUnixNano: span.endTimeUnixNano,
                attributes: span.attributes,
                events: span.events,
                resource: resource,
                instrumentationScope: span.instrumentationScope
            )
        }

        // A small limit, so that rotel also sees a batch cut into several requests.
        let encoder = OTLPProtobufTraceEncoder(maximumRequestBytes: 4_096)
        let sender = try OTLPHTTPSender(url: collector.httpEndpoint + "/v1/traces", compression: compression)
        var statuses: [Int] = []
        let result = try encoder.encode(spans) { request in
            let response = try sender.send(request.bytes)
            statuses.append(response.status)
            // An accepted request gets an ExportTraceServiceResponse with no rejected spans.
            let partial = try response.body.withUnsafeBytes { bytes throws(OTLPResponseDecodingError) in
                try OTLPSignal.traces.partialSuccess(protobuf: bytes)
            }
            #expect((partial?.rejected ?? 0) == 0)
        }
        #expect(result.requestCount > 1)
        #expect(statuses == Array(repeating: 200, count: result.requestCount))

        let names = spans.map { "Name           : \($0.name)\n" }
        let log = collector.waitForLog(containing: names)
        for name in names {
            #expect(log.contains(name), "rotel did not log \(name)")
        }
        #expect(log.contains("service.name: Str(interop-\(run))"))
        #expect(log.contains("messaging.kafka.partition: Int(3)"))
        #expect(log.contains("Trace ID       : 0af7651916cd43dd8448eb211c80319c"))
    }

    @Test(
        "rotel receives every transport and forwards each span intact to a receiver in the test process",
        arguments: [
            (OTLPExporterConfiguration.TransportProtocol.httpProtobuf, OTLPExporterConfiguration.Compression.none),
            (.httpProtobuf, .gzip), (.httpJSON, .none), (.grpc, .none), (.grpc, .gzip),
        ]
    )
    func rotelForwardsIntact(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression
    ) async throws {
        try await withReceiver(.init(httpPort: nil)) { receiver in
            let collector = try RotelCollector(forwardingTo: receiver.grpcEndpoint)
            defer { collector.stop() }
            let url = transportProtocol == .grpc ? collector.grpcEndpoint : collector.httpEndpoint + "/v1/traces"
            let exporter = try OTLPSpanExporter(
                configuration: OTLPExporterConfiguration(
                    endpoint: url,
                    transportProtocol: transportProtocol,
                    compression: compression,
                    environment: OTelEnvironment([:])
                )
            )
            // Every field and value type, two resources' worth of grouping. rotel's OTLP/JSON
            // decoder refuses the JSON mapping's "NaN" and "Infinity" doubles, so over JSON the
            // spans carry finite doubles only (the receiver's own JSON tests cover the rest).
            let full = (1...6).map { SpanFixtures.fullSpan(index: $0) }
                .map { transportProtocol == .httpJSON ? Self.withFiniteDoubles($0) : $0 }
            let sent = full + (0..<6).map { SpanFixtures.workloadSpan(index: $0) }
            guard case .success = exporter.export(sent, timeout: .seconds(10)) else {
                Issue.record("export to rotel failed: \(exporter.statistics.lastError ?? "")")
                return
            }
            // Generous: rotel batches before forwarding, and sanitizer builds are slow.
            let received: [SpanData]
            do {
                received = try await receiver.waitForSpans(count: sent.count, timeout: .seconds(90))
            } catch {
                Issue.record("\(error); receiver \(receiver.statistics); rotel log: \(collector.log.suffix(3000))")
                return
            }
            let byID = Dictionary(uniqueKeysWithValues: received.map { ($0.context.spanID, $0) })
            #expect(received.count == sent.count)
            for span in sent {
                #expect(byID[span.context.spanID] == span, "span \(span.name) changed on the way")
            }
        }
    }

    private static func withFiniteDoubles(_ span: SpanData) -> SpanData {
        let attributes = span.attributes.filter { attribute in
            switch attribute.value {
            case .double(let value): value.isFinite
            case .doubleArray(let values): values.allSatisfy(\.isFinite)
            default: true
            }
        }
        return SpanData(
            context: span.context,
            parentSpanContext: span.parentSpanContext,
            name: span.name,
            kind: span.kind,
            startTimeUnixNano: span.startTimeUnixNano,
            endTimeUnixNano: span.endTimeUnixNano,
            attributes: attributes,
            events: span.events,
            links: span.links,
            status: span.status,
            droppedAttributeCount: span.droppedAttributeCount,
            droppedEventCount: span.droppedEventCount,
            droppedLinkCount: span.droppedLinkCount,
            resource: span.resource,
            instrumentationScope: span.instrumentationScope
        )
    }

    @Test("an endpoint that is not http(s) is refused at configuration time")
    func invalidEndpoint() {
        #expect(throws: OTLPConfigurationError.self) {
            try OTLPHTTPSender(url: "127.0.0.1:4318/v1/traces")
        }
    }
}
