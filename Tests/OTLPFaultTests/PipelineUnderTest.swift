import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// The whole pipeline as an application runs it: provider, batch span processor, OTLP exporter.
final class PipelineUnderTest {
    let exporter: OTLPSpanExporter
    let processor: BatchSpanProcessor
    let provider: TracerProvider
    private let tracer: OTelTracer
    private(set) var ended = 0
    /// The longest single `span.end()` so far: what the app thread paid at worst.
    private(set) var longestEnd = Duration.zero

    init(
        endpoint: String,
        transportProtocol: OTLPExporterConfiguration.TransportProtocol = .httpProtobuf,
        exporterTimeout: Duration = .seconds(10),
        queueSize: Int = 2_048,
        batchSize: Int = 256,
        scheduleDelay: Duration = .milliseconds(50)
    ) throws {
        let url = transportProtocol == .grpc ? endpoint : endpoint + "/v1/traces"
        exporter = try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                transportProtocol: transportProtocol,
                timeout: exporterTimeout,
                environment: OTelEnvironment([:])
            )
        )
        processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(
                scheduleDelay: scheduleDelay,
                maxQueueSize: queueSize,
                maxExportBatchSize: batchSize,
                exportTimeout: exporterTimeout
            )
        )
        provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "fault-suite"]),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        tracer = provider.tracer(name: "fault-suite")
    }

    /// Ends `count` spans as fast as one thread can, timing each `end()`.
    func produce(_ count: Int) {
        let clock = ContinuousClock()
        for index in 0..<count {
            let span = tracer.startSpan("fault \(ended + index)", ofKind: .producer)
            span.setAttribute("messaging.system", "kafka")
            let start = clock.now
            span.end()
            longestEnd = max(longestEnd, clock.now - start)
        }
        ended += count
    }

    /// Shuts down with `timeout` and returns how long that took.
    func shutdown(timeout: Duration = .seconds(15)) -> (result: CompletionResult, took: Duration) {
        let start = ContinuousClock.now
        let result = provider.shutdown(timeout: timeout)
        return (result, ContinuousClock.now - start)
    }

    /// Checks the accounting identity and reports the scenario's figures.
    func expectAccounted(_ scenario: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let statistics = processor.statistics
        #expect(statistics.received == ended, sourceLocation: sourceLocation)
        #expect(
            statistics.exported + statistics.dropped + statistics.rejected + statistics.failed + statistics.lost
                + statistics.queued + statistics.exporting == ended,
            "\(statistics)",
            sourceLocation: sourceLocation
        )
        print(
            "fault-suite \(scenario): ended \(ended), exported \(statistics.exported), rejected \(statistics.rejected), "
                + "dropped \(statistics.dropped), failed \(statistics.failed), lost \(statistics.lost); "
                + "longest span.end() \(longestEnd.components.seconds * 1_000_000 + longestEnd.components.attoseconds / 1_000_000_000_000) µs"
        )
    }
}

/// Span ids the receiver got more than once (a retry after a lost answer explains them).
func duplicateCount(_ spans: [SpanData]) -> Int {
    spans.count - Set(spans.map(\.context.spanID)).count
}

/// A loopback port nothing listens on: taken by a receiver, then released.
func unusedPort() async throws -> Int {
    try await withReceiver(.init(grpcPort: nil)) { receiver in receiver.httpPort! }
}
