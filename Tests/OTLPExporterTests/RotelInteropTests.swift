import Foundation
import OTLPExporter
import OTelSDK
import Testing

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
                context: span.context, parentSpanID: span.parentSpanID, parentIsRemote: true,
                name: "interop-\(run)-\(index)", kind: span.kind,
                startTimeUnixNano: span.startTimeUnixNano, endTimeUnixNano: span.endTimeUnixNano,
                attributes: span.attributes, events: span.events,
                resource: resource, instrumentationScope: span.instrumentationScope
            )
        }

        // A small limit, so that rotel also sees a batch cut into several requests.
        let encoder = OTLPTraceEncoder(maximumRequestBytes: 4_096)
        let sender = try OTLPHTTPSender(url: collector.httpEndpoint + "/v1/traces", compression: compression)
        var statuses: [Int] = []
        let result = try encoder.encode(spans) { request in
            let response = try sender.send(request.bytes)
            statuses.append(response.status)
            // An accepted request gets an ExportTraceServiceResponse with no rejected spans.
            let partial = try response.body.withUnsafeBytes { try OTLPTraceDecoder.decodeResponse($0) }
            #expect((partial?.rejectedSpans ?? 0) == 0)
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

    @Test("an endpoint that is not http(s) is refused at configuration time")
    func invalidEndpoint() {
        #expect(throws: OTLPConfigurationError.self) {
            try OTLPHTTPSender(url: "127.0.0.1:4318/v1/traces")
        }
    }
}
