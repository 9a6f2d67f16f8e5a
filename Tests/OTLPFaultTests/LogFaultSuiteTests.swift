import Foundation
import Logging
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// The log pipeline as an application runs it: swift-log, the logger provider, the batch log
/// record processor, the OTLP log exporter.
private final class LogPipelineUnderTest {
    let exporter: OTLPLogExporter
    let processor: BatchLogRecordProcessor
    let provider: LoggerProvider
    let logger: Logger
    private(set) var logged = 0

    init(endpoint: String, exporterTimeout: Duration = .seconds(10), queueSize: Int = 2_048) throws {
        let providerBox = ProviderBox()
        // The SDK's own loggers go through this pipeline's handler, as they would with
        // `LoggingSystem.bootstrap(provider.makeLogHandler)` and no other handler.
        let diagnostics = Logger(label: "otlp-exporter") { _ in ForwardingHandler(box: providerBox) }
        exporter = try OTLPLogExporter(
            configuration: OTLPExporterConfiguration(
                signal: .logs,
                endpoint: endpoint + "/v1/logs",
                timeout: exporterTimeout,
                environment: OTelEnvironment([:])
            ),
            logger: diagnostics
        )
        processor = BatchLogRecordProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(50), maxQueueSize: queueSize, maxExportBatchSize: 256),
            logger: diagnostics
        )
        provider = LoggerProvider(
            resource: Resource(attributes: ["service.name": "log-fault-suite"]),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        providerBox.provider = provider
        logger = Logger(label: "app") { _ in ForwardingHandler(box: providerBox) }
    }

    func log(_ count: Int) {
        for index in 0..<count {
            logger.info("order \(logged + index) accepted", metadata: ["order.id": "\(index)"])
        }
        logged += count
    }

    func expectAccounted(_ scenario: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let statistics = processor.statistics
        #expect(statistics.received == logged, "\(statistics)", sourceLocation: sourceLocation)
        #expect(
            statistics.exported + statistics.dropped + statistics.rejected + statistics.failed + statistics.lost
                + statistics.queued + statistics.exporting == logged,
            "\(statistics)",
            sourceLocation: sourceLocation
        )
        print(
            "log-fault-suite \(scenario): logged \(logged), exported \(statistics.exported), rejected "
                + "\(statistics.rejected), dropped \(statistics.dropped), failed \(statistics.failed), lost \(statistics.lost)"
        )
    }
}

/// The provider a handler forwards to, set once the provider exists.
private final class ProviderBox: @unchecked Sendable {
    var provider: LoggerProvider?
}

/// A handler that hands each call to the provider's handler for its label.
private struct ForwardingHandler: LogHandler {
    let box: ProviderBox
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard let provider = box.provider else { return }
        var handler = provider.makeLogHandler(label: "forwarded")
        handler.logLevel = .trace
        handler.metadata = metadata
        handler.log(event: event)
    }
}

@Suite("Fault suite for logs", .serialized)
struct LogFaultSuiteTests {
    @Test("collector down: every record accounted, and the SDK's failure warnings never become records")
    func collectorDown() async throws {
        let port = try await unusedPort()
        let pipeline = try LogPipelineUnderTest(
            endpoint: "http://127.0.0.1:\(port)",
            exporterTimeout: .milliseconds(500)
        )
        for _ in 0..<10 {
            pipeline.log(300)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(await pipeline.provider.shutdown(timeout: .seconds(10)) != .timeout)
        let statistics = pipeline.processor.statistics
        // Only the application's records: the exporter's and the processor's warnings (about
        // the failures and the drops) were logged on the SDK's threads and went to stderr.
        #expect(statistics.received == 3_000, "\(statistics)")
        #expect(statistics.exported == 0 && statistics.failed + statistics.dropped == 3_000)
        #expect(statistics.queued == 0)
        pipeline.expectAccounted("collector down")
    }

    @Test("a collector slower than the timeout: exports fail on time and count failed")
    func slowCollector() async throws {
        try await withReceiver(.init(grpcPort: nil) { _ in .delayed(.seconds(2), .accept) }) { receiver in
            let pipeline = try LogPipelineUnderTest(
                endpoint: receiver.httpEndpoint!,
                exporterTimeout: .milliseconds(500)
            )
            pipeline.log(200)
            #expect(await pipeline.provider.shutdown(timeout: .seconds(10)) == .failure)
            #expect(pipeline.processor.statistics.failed == 200)
            pipeline.expectAccounted("slow collector")
        }
    }

    @Test("503, then OK: retried and delivered")
    func unavailableThenOK() async throws {
        let configuration = OTLPReceiver.Configuration(grpcPort: nil) { request in
            request.sequenceNumber == 1 ? .httpStatus(503) : .accept
        }
        try await withReceiver(configuration) { receiver in
            let pipeline = try LogPipelineUnderTest(endpoint: receiver.httpEndpoint!)
            pipeline.log(100)
            #expect(await pipeline.provider.shutdown(timeout: .seconds(10)) == .success)
            #expect(pipeline.processor.statistics.exported == 100)
            #expect(pipeline.exporter.statistics.retries >= 1)
            let received = try await receiver.waitForLogRecords(count: 100, timeout: .seconds(5))
            #expect(Set(received.map { $0.body?.description }).count == 100)
            pipeline.expectAccounted("503 then OK")
        }
    }

    @Test("partial success: rejected_log_records counted rejected")
    func partialSuccess() async throws {
        let configuration = OTLPReceiver.Configuration(grpcPort: nil) { _ in
            .partialSuccess(rejected: 3, message: "old")
        }
        try await withReceiver(configuration) { receiver in
            let pipeline = try LogPipelineUnderTest(endpoint: receiver.httpEndpoint!)
            pipeline.log(100)
            _ = await pipeline.provider.shutdown(timeout: .seconds(10))
            let statistics = pipeline.processor.statistics
            #expect(statistics.rejected >= 3 && statistics.exported + statistics.rejected == 100)
            pipeline.expectAccounted("partial success")
        }
    }
}
