import Foundation
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@testable import OTLPExporter

@Suite("OTLP receiver")
struct OTLPReceiverTests {
    private static let resource = Resource(attributes: [
        "service.name": "receiver-test", "deployment.environment": "test",
    ])
    private static let scope = InstrumentationScope(name: "receiver-tests", version: "1.0")

    /// Spans with every field a receiver must carry back: parent, kind, times, attributes,
    /// an event, a link and a status.
    private static func spans(count: Int, run: UInt64 = .random(in: 1...UInt64.max)) -> [SpanData] {
        let traceID = TraceID(high: run, low: 42)
        return (0..<count).map { index in
            let attributes: [Attribute] = [
                Attribute("index", .int(Int64(index))), Attribute("ratio", .double(0.5)),
                Attribute("tags", .stringArray(["a", "b"])),
                Attribute("edges", .doubleArray([.nan, .infinity, -.infinity, -0.0])),
                Attribute("extremes", .intArray([.min, .max])),
                Attribute("text", .string("quote \" backslash \\ newline \n ✓")),
            ]
            let event = SpanData.Event(
                name: "checkpoint",
                timeUnixNano: 1_700_000_000_000_100_000,
                attributes: [Attribute("ok", .bool(true))]
            )
            let linked = SpanContext(
                traceID: TraceID(high: 7, low: 7),
                spanID: SpanID(9),
                traceFlags: .sampled,
                isRemote: true
            )
            let status =
                index.isMultiple(of: 2) ? SpanStatus(code: .ok) : SpanStatus(code: .error, message: "failed \(index)")
            let start: UInt64 = 1_700_000_000_000_000_000 + UInt64(index) * 1_000
            return SpanData(
                context: SpanContext(traceID: traceID, spanID: SpanID(UInt64(index + 1)), traceFlags: .sampled),
                parentSpanContext: index == 0 ? nil : SpanContext(traceID: traceID, spanID: SpanID(1)),
                name: "span-\(index)",
                kind: index == 0 ? .producer : .consumer,
                startTimeUnixNano: start,
                endTimeUnixNano: start + 500_000,
                attributes: attributes,
                events: [event],
                links: [SpanData.Link(context: linked)],
                status: status,
                resource: resource,
                instrumentationScope: scope
            )
        }
    }

    private static func exporter(
        _ endpoint: String,
        _ transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression = .none,
        timeout: Duration = .seconds(5)
    ) throws -> OTLPSpanExporter {
        let url = transportProtocol == .grpc ? endpoint : endpoint + "/v1/traces"
        return try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                transportProtocol: transportProtocol,
                compression: compression,
                timeout: timeout,
                environment: OTelEnvironment([:])
            )
        )
    }

    @Test(
        "spans sent over every transport arrive intact and are counted",
        arguments: everyTransport
    )
    func receivesEveryTransport(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression
    ) async throws {
        try await withReceiver { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol, compression: compression)
            let sent = Self.spans(count: 7)
            #expect(exporter.export(Array(sent[..<3]), timeout: .seconds(5)).isSuccess)
            #expect(exporter.export(Array(sent[3...]), timeout: .seconds(5)).isSuccess)

            let received = try await receiver.waitForSpans(count: 7, timeout: .seconds(5))
            #expect(received == sent)
            let statistics = receiver.statistics
            #expect(statistics.requests == 2 && statistics.spans == 7 && statistics.refusedRequests == 0)
            #expect(statistics.bytes == exporter.statistics.sentBytes)
        }
    }

    @Test("OTLP/HTTP refuses what a collector refuses: bad bodies, content types, paths, sizes")
    func httpRefusals() async throws {
        try await withReceiver(.init(grpcPort: nil, maximumRequestBytes: 4_096)) { receiver in
            let url = try #require(receiver.httpEndpoint) + "/v1/traces"

            let garbage = try CurlCommand.post(
                url,
                body: [0xFF, 0xFF, 0xFF],
                headers: ["Content-Type: application/x-protobuf"]
            )
            #expect(garbage.status == 400)
            #expect(garbage.headers["content-type"] == "application/x-protobuf")

            let badJSON = try CurlCommand.post(
                url,
                body: Array("{\"resourceSpans\": 5}".utf8),
                headers: ["Content-Type: application/json"]
            )
            #expect(badJSON.status == 400)
            let error = try JSONSerialization.jsonObject(with: badJSON.body) as? [String: Any]
            #expect((error?["message"] as? String)?.contains("resourceSpans") == true)

            let notGzip = try CurlCommand.post(
                url,
                body: [1, 2, 3],
                headers: ["Content-Type: application/x-protobuf", "Content-Encoding: gzip"]
            )
            #expect(notGzip.status == 400)

            let text = try CurlCommand.post(url, body: Array("hello".utf8), headers: ["Content-Type: text/plain"])
            #expect(text.status == 415)
            let brotli = try CurlCommand.post(
                url,
                body: [],
                headers: ["Content-Type: application/x-protobuf", "Content-Encoding: br"]
            )
            #expect(brotli.status == 415)

            let wrongPath = try CurlCommand.post(
                try #require(receiver.httpEndpoint) + "/v1development/profiles",
                body: [],
                headers: ["Content-Type: application/x-protobuf"]
            )
            #expect(wrongPath.status == 404)

            let large = try CurlCommand.post(
                url,
                body: Array(repeating: 0x0A, count: 5_000),
                headers: ["Content-Type: application/x-protobuf"]
            )
            #expect(large.status == 413)

            // A gzip body that inflates past the cap is refused too, not inflated without bound.
            let compressor = try GzipCompressor()
            let bomb = Array(repeating: UInt8(0), count: 1 << 20).withUnsafeBytes { Array(compressor.compress($0)) }
            let inflated = try CurlCommand.post(
                url,
                body: bomb,
                headers: ["Content-Type: application/x-protobuf", "Content-Encoding: gzip"]
            )
            #expect(inflated.status == 413)

            // An empty protobuf request is a valid request with no spans.
            let empty = try CurlCommand.post(url, body: [], headers: ["Content-Type: application/x-protobuf"])
            #expect(empty.status == 200 && empty.body.isEmpty)

            let statistics = receiver.statistics
            #expect(statistics.requests == 9 && statistics.refusedRequests == 8 && statistics.spans == 0)
            #expect(receiver.spans.isEmpty)
        }
    }

    @Test("OTLP/JSON trace and span ids are read in either case, as the OTLP specification allows")
    func uppercaseJSONIDs() async throws {
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let body = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C",
                "spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173","name":"upper","kind":2,
                "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000"}]}]}]}
                """
            let response = try CurlCommand.post(
                try #require(receiver.httpEndpoint) + "/v1/traces",
                body: Array(body.utf8),
                headers: ["Content-Type: application/json"]
            )
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
            let span = try #require(receiver.spans.first)
            #expect(span.context.traceID == TraceID(hexString: "5b8efff798038103d269b633813fc60c"))
            #expect(span.context.spanID == SpanID(hexString: "eee19b7ec3c1b174"))
            #expect(span.parentSpanID == SpanID(hexString: "eee19b7ec3c1b173"))
        }
    }

    @Test("OTLP/gRPC refuses broken frames, unknown methods and non-gRPC content types")
    func grpcRefusals() async throws {
        try await withReceiver(.init(httpPort: nil)) { receiver in
            let endpoint = try #require(receiver.grpcEndpoint)
            let export = endpoint + "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
            let grpcHeaders = ["Content-Type: application/grpc", "TE: trailers"]

            let garbage = try CurlCommand.post(
                export,
                body: [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF],
                headers: grpcHeaders,
                http2: true
            )
            #expect(garbage.status == 200)
            #expect(garbage.headers["grpc-status"] == "3")

            let shortFrame = try CurlCommand.post(export, body: [0, 0, 0, 0, 9, 1], headers: grpcHeaders, http2: true)
            #expect(shortFrame.headers["grpc-status"] == "3")
            #expect(shortFrame.headers["grpc-message"]?.contains("announces 9 bytes") == true)

            let unknownMethod = try CurlCommand.post(
                endpoint + "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export",
                body: [0, 0, 0, 0, 0],
                headers: grpcHeaders,
                http2: true
            )
            #expect(unknownMethod.headers["grpc-status"] == "12")

            let compressedWithoutEncoding = try CurlCommand.post(
                export,
                body: [1, 0, 0, 0, 0],
                headers: grpcHeaders,
                http2: true
            )
            #expect(compressedWithoutEncoding.headers["grpc-status"] == "12")

            let notGRPC = try CurlCommand.post(
                export,
                body: [],
                headers: ["Content-Type: application/json"],
                http2: true
            )
            #expect(notGRPC.status == 415)

            let empty = try CurlCommand.post(export, body: [0, 0, 0, 0, 0], headers: grpcHeaders, http2: true)
            #expect(empty.headers["grpc-status"] == "0")
            #expect(empty.body == Data([0, 0, 0, 0, 0]), "one empty ExportTraceServiceResponse message")

            #expect(receiver.statistics.refusedRequests == 5)
        }
    }

    @Test("a port in use is a typed error naming the address")
    func portInUse() async throws {
        try await withReceiver(.init(grpcPort: nil)) { first in
            let port = try #require(first.httpPort)
            await #expect {
                try await withReceiver(.init(httpPort: port, grpcPort: nil)) { _ in }
            } throws: { error in
                guard case OTLPReceiverError.bindFailed(let host, let failedPort, _) = error else { return false }
                return host == "127.0.0.1" && failedPort == port
            }
        }
    }

    @Test("waiting for spans that never come times out with a count; stop ends a pending wait, and stops once")
    func waitTimesOut() async throws {
        try await withReceiver { receiver in
            await #expect(throws: OTLPReceiverError.self) {
                _ = try await receiver.waitForSpans(count: 1, timeout: .milliseconds(100))
            }
            let pending = Task { try await receiver.waitForSpans(count: 1, timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(50))
            // Stopped here, and again by withReceiver: the second stop returns at once.
            await receiver.stop()
            await #expect {
                _ = try await pending.value
            } throws: { error in
                if case OTLPReceiverError.stopped = error { true } else { false }
            }
        }
    }

    @Test("storage is bounded; spans past the limit are still counted")
    func boundedStorage() async throws {
        try await withReceiver(.init(maximumStoredSpans: 4)) { receiver in
            let exporter = try Self.exporter(try #require(receiver.httpEndpoint), .httpProtobuf)
            #expect(exporter.export(Self.spans(count: 10), timeout: .seconds(5)).isSuccess)
            let stored = try await receiver.waitForSpans(count: 10, timeout: .seconds(5))
            #expect(stored.count == 4)
            #expect(receiver.statistics.spans == 10)
        }
    }

    @Test(
        "a responder plays a failing collector the exporter must survive",
        arguments: [
            OTLPExporterConfiguration.TransportProtocol.httpProtobuf, .httpJSON, .grpc,
        ]
    )
    func responderDrivesRetriesAndPartialSuccess(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol
    ) async throws {
        // Request 1: unavailable with a short retry delay; 2: accepted; 3: partial success.
        let configuration = OTLPReceiver.Configuration(responder: { request in
            switch request.sequenceNumber {
            case 1: .grpcStatus(code: 14, message: "warming up", retryDelay: .milliseconds(20))
            case 2: .accept
            default: .partialSuccess(rejected: 2, message: "two spans too old")
            }
        })
        try await withReceiver(configuration) { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol)
            let sent = Self.spans(count: 5)
            #expect(exporter.export(sent, timeout: .seconds(5)).isSuccess)
            #expect(exporter.statistics.retries == 1)
            let result = exporter.export(Self.spans(count: 3), timeout: .seconds(5))
            guard case .partialSuccess(let rejected, let message) = result else {
                Issue.record("expected a partial success, got \(result)")
                return
            }
            #expect(rejected == 2 && message == "two spans too old")
            #expect(receiver.statistics.requests == 3 && receiver.statistics.spans == 8)
        }
    }
}
