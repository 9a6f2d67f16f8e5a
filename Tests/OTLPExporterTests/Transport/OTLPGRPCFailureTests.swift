import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// OTLP/gRPC against a receiver that plays a failing collector: which statuses are retried,
/// RetryInfo, grpc-message, timeouts and splitting.
@Suite("OTLP/gRPC failures")
struct OTLPGRPCFailureTests {
    /// When each request arrived.
    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [ContinuousClock.Instant] = []

        func record() { lock.withLock { times.append(.now) } }
        var all: [ContinuousClock.Instant] { lock.withLock { times } }
    }

    private static let spans = spans(count: 20, paddingBytes: 100)

    /// `count` spans of one trace, each with a `paddingBytes`-byte string attribute.
    private static func spans(count: Int, paddingBytes: Int) -> [SpanData] {
        (0..<count).map { index in
            SpanData(
                context: SpanContext(
                    traceID: TraceID(high: 9, low: 9),
                    spanID: SpanID(UInt64(index + 1)),
                    traceFlags: .sampled
                ),
                name: "grpc-\(index)",
                kind: .consumer,
                startTimeUnixNano: 1_000,
                endTimeUnixNano: 2_000,
                attributes: [Attribute("padding", .string(String(repeating: "p", count: paddingBytes)))],
                resource: Resource(attributes: ["service.name": "grpc-failures"]),
                instrumentationScope: InstrumentationScope(name: "t")
            )
        }
    }

    /// The configuration of a gRPC-only receiver answering request N with `answers[N - 1]`
    /// (the last one for later requests).
    private static func configuration(
        answering answers: [OTLPReceiverResponse],
        arrivals: Arrivals = Arrivals()
    ) -> OTLPReceiver.Configuration {
        .init(
            httpPort: nil,
            responder: { request in
                arrivals.record()
                return answers[min(request.sequenceNumber, answers.count) - 1]
            }
        )
    }

    private static func exporter(
        _ receiver: OTLPReceiver,
        timeout: Duration = .seconds(5),
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes
    ) throws -> OTLPSpanExporter {
        try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: receiver.grpcEndpoint!,
                transportProtocol: .grpc,
                timeout: timeout,
                environment: OTelEnvironment([:])
            ),
            maximumRequestBytes: maximumRequestBytes
        )
    }

    @Test("UNAVAILABLE, then OK: delivered once, after one retry")
    func unavailableThenOK() async throws {
        let configuration = Self.configuration(answering: [.grpcStatus(code: 14, message: "restarting"), .accept])
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .success = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("not delivered: \(exporter.statistics.lastError ?? "")")
                return
            }
            #expect(exporter.statistics.retries == 1 && exporter.statistics.sent == 20)
            #expect(receiver.statistics.requests == 2 && receiver.statistics.spans == 20)
        }
    }

    @Test("RESOURCE_EXHAUSTED without RetryInfo is final: not retried, the batch fails")
    func resourceExhaustedWithoutRetryInfo() async throws {
        let configuration = Self.configuration(answering: [.grpcStatus(code: 8, message: "quota"), .accept])
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .failure(let error) = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("a RESOURCE_EXHAUSTED without RetryInfo did not fail the batch")
                return
            }
            #expect("\(error)".contains("gRPC status 8: quota"))
            #expect(receiver.statistics.requests == 1 && exporter.statistics.retries == 0)
            #expect(exporter.statistics.failed == 20)
        }
    }

    @Test("RESOURCE_EXHAUSTED with RetryInfo is retried after the delay it gives")
    func resourceExhaustedWithRetryInfo() async throws {
        let arrivals = Arrivals()
        let configuration = Self.configuration(
            answering: [.grpcStatus(code: 8, message: "slow down", retryDelay: .milliseconds(300)), .accept],
            arrivals: arrivals
        )
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .success = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("not delivered: \(exporter.statistics.lastError ?? "")")
                return
            }
            let times = arrivals.all
            #expect(times.count == 2)
            if times.count == 2 {
                #expect(times[1] - times[0] >= .milliseconds(300), "retried after \(times[1] - times[0])")
            }
        }
    }

    @Test("INVALID_ARGUMENT is final; grpc-message arrives percent-decoded")
    func invalidArgument() async throws {
        let configuration = Self.configuration(answering: [.grpcStatus(code: 3, message: "span 7: bad ✓ 100%")])
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .failure(let error) = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("INVALID_ARGUMENT did not fail the batch")
                return
            }
            #expect("\(error)".contains("span 7: bad ✓ 100%"))
            #expect(receiver.statistics.requests == 1)
        }
    }

    @Test("a partial success over gRPC reports the rejected spans")
    func partialSuccess() async throws {
        let configuration = Self.configuration(answering: [.partialSuccess(rejected: 3, message: "3 too old")])
        try await withReceiver(configuration) { receiver in
            let exporter = try Self.exporter(receiver)
            let result = exporter.export(Self.spans, timeout: .seconds(5))
            guard case .partialSuccess(let rejected, let message) = result else {
                Issue.record("no partial success")
                return
            }
            #expect(rejected == 3 && message == "3 too old")
            #expect(exporter.statistics.rejected == 3)
        }
    }

    @Test("a collector that answers after the timeout: the export fails on time")
    func slowCollector() async throws {
        try await withReceiver(Self.configuration(answering: [.delayed(.seconds(5), .accept)])) { receiver in
            let exporter = try Self.exporter(receiver, timeout: .milliseconds(500))
            let start = ContinuousClock.now
            guard case .failure = exporter.export(Self.spans, timeout: .seconds(10)) else {
                Issue.record("a collector slower than the timeout did not fail the export")
                return
            }
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test("uncompressed calls fit the first HTTP/2 window where libcurl would spin on a blocked upload")
    func callsFitTheFirstWindow() async throws {
        try await withReceiver(.init(httpPort: nil)) { receiver in
            let exporter = try Self.exporter(receiver)
            let batch = Self.spans(count: 512, paddingBytes: 200)
            guard case .success = exporter.export(batch, timeout: .seconds(5)) else {
                Issue.record("not delivered: \(exporter.statistics.lastError ?? "")")
                return
            }
            #expect(receiver.statistics.spans == 512)
            // More than 100 KiB in all: one call would not fit the 65,535-byte window.
            #expect(exporter.statistics.encodedBytes > 100 * 1024)
            if OTLPGRPCSender.preferredMessageBytes < Int.max {
                #expect(receiver.statistics.requests >= 2)
                #expect(
                    exporter.statistics.encodedBytes / receiver.statistics.requests
                        <= OTLPGRPCSender.preferredMessageBytes
                )
            } else {
                #expect(receiver.statistics.requests == 1)
            }
        }
    }

    @Test("a batch over the request limit is split into gRPC calls under it, all delivered")
    func splitBatch() async throws {
        try await withReceiver(Self.configuration(answering: [.accept])) { receiver in
            let exporter = try Self.exporter(receiver, maximumRequestBytes: 1_000)
            guard case .success = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("not delivered: \(exporter.statistics.lastError ?? "")")
                return
            }
            let received = try await receiver.waitForSpans(count: 20, timeout: .seconds(5))
            #expect(Set(received.map(\.context.spanID)) == Set(Self.spans.map(\.context.spanID)))
            #expect(receiver.statistics.requests > 2)
        }
    }

    @Test(
        "a reset stream or a GOAWAY is retried on a new stream or connection, then delivered",
        arguments: [OTLPReceiverGRPCFault.resetStream, .goAway]
    )
    func retriedFaults(fault: OTLPReceiverGRPCFault) async throws {
        try await withReceiver(Self.configuration(answering: [.grpcFault(fault), .accept])) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .success = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("not delivered after \(fault): \(exporter.statistics.lastError ?? "")")
                return
            }
            #expect(exporter.statistics.retries == 1)
            #expect(receiver.statistics.spans == 20)
        }
    }

    @Test("an answer without grpc-status is a failure, not retried")
    func missingStatus() async throws {
        try await withReceiver(Self.configuration(answering: [.grpcFault(.missingStatus), .accept])) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .failure(let error) = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("an answer without grpc-status did not fail the batch")
                return
            }
            #expect("\(error)".contains("grpc-status"))
            #expect(receiver.statistics.requests == 1)
        }
    }

    @Test(
        "grpc-status 0 with a broken response message: the status decides, the batch is delivered",
        arguments: [OTLPReceiverGRPCFault.truncatedMessage, .garbageMessage]
    )
    func brokenMessageWithOKStatus(fault: OTLPReceiverGRPCFault) async throws {
        try await withReceiver(Self.configuration(answering: [.grpcFault(fault)])) { receiver in
            let exporter = try Self.exporter(receiver)
            guard case .success = exporter.export(Self.spans, timeout: .seconds(5)) else {
                Issue.record("\(fault) with grpc-status 0 was not a success: \(exporter.statistics.lastError ?? "")")
                return
            }
            #expect(receiver.statistics.requests == 1 && exporter.statistics.retries == 0)
        }
    }
}
