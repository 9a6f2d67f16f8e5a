import Dispatch
import Logging
import Metrics
import MetricsTestKit
import OTelSDK
import Synchronization
import Testing

/// Holds the first export until ``open()``, so that a test can fill the queue behind it.
private final class ExportGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let isOpen = Atomic<Bool>(false)

    func pass() {
        guard !isOpen.load(ordering: .acquiring) else { return }
        entered.signal()
        released.wait()
    }

    func waitUntilExporting() { entered.wait() }

    func open() {
        isOpen.store(true, ordering: .releasing)
        released.signal()
    }
}

private struct GatedLogExporter: LogRecordExporter {
    let gate: ExportGate
    func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult {
        gate.pass()
        return .success
    }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

private struct GatedSpanExporter: SpanExporter {
    let gate: ExportGate
    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
        gate.pass()
        return .success
    }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

@Suite("Batch processors' self-metrics")
struct BatchProcessorMetricsTests {
    /// A queue of 4 with batches of 2: the first batch is held in the exporter while 4 more are
    /// queued and the rest are dropped.
    static let configuration = (scheduleDelay: Duration.milliseconds(10), maxQueueSize: 4, maxExportBatchSize: 2)

    /// Checks the series of the processor named `component`: processed by outcome, queue
    /// capacity and size, against the processor's own statistics.
    static func expectSeries(
        prefix: String,
        type: String,
        component: String,
        statistics: BatchProcessorStatistics,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let identity = [("otel.component.type", type), ("otel.component.name", component)]
        #expect(component.hasPrefix(type + "/"), sourceLocation: sourceLocation)
        #expect(statistics.dropped > 0 && statistics.exported > 0, "\(statistics)", sourceLocation: sourceLocation)
        // Exported records carry no error.type; the other outcomes each carry theirs.
        let exported = try recordedMetrics.expectCounter(prefix + ".processed", identity).totalValue
        let dropped = try recordedMetrics.expectCounter(
            prefix + ".processed",
            identity + [("error.type", "queue_full")]
        ).totalValue
        #expect(exported == Int64(statistics.exported), sourceLocation: sourceLocation)
        #expect(dropped == Int64(statistics.dropped), sourceLocation: sourceLocation)
        let capacity = try recordedMetrics.expectGauge(prefix + ".queue.capacity", identity)
        #expect(capacity.lastValue == 4, sourceLocation: sourceLocation)
        let size = try recordedMetrics.expectGauge(prefix + ".queue.size", identity)
        #expect(size.lastValue == 0, "the queue is empty after the shutdown", sourceLocation: sourceLocation)
    }

    @Test("the batch log record processor reports otel.sdk.processor.log.*: processed by outcome, the queue")
    func logProcessor() throws {
        _ = recordedMetrics
        let gate = ExportGate()
        let processor = BatchLogRecordProcessor(
            exporter: GatedLogExporter(gate: gate),
            configuration: .init(
                scheduleDelay: Self.configuration.scheduleDelay,
                maxQueueSize: Self.configuration.maxQueueSize,
                maxExportBatchSize: Self.configuration.maxExportBatchSize
            )
        )
        let provider = LoggerProvider(processors: [processor], environment: OTelEnvironment([:]))
        let logger = Logger(label: "metrics-test", factory: provider.makeLogHandler)
        for number in 0..<2 { logger.info("record \(number)") }
        gate.waitUntilExporting()
        for number in 2..<9 { logger.info("record \(number)") }
        gate.open()
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        try Self.expectSeries(
            prefix: "otel.sdk.processor.log",
            type: "batching_log_processor",
            component: processor.componentName,
            statistics: processor.statistics
        )
    }

    @Test("the batch span processor reports otel.sdk.processor.span.*: processed by outcome, the queue")
    func spanProcessor() throws {
        _ = recordedMetrics
        let gate = ExportGate()
        let processor = BatchSpanProcessor(
            exporter: GatedSpanExporter(gate: gate),
            configuration: .init(
                scheduleDelay: Self.configuration.scheduleDelay,
                maxQueueSize: Self.configuration.maxQueueSize,
                maxExportBatchSize: Self.configuration.maxExportBatchSize
            )
        )
        let provider = TracerProvider(processors: [processor], environment: OTelEnvironment([:]))
        let tracer = provider.tracer(name: "metrics-test")
        for _ in 0..<2 { tracer.startSpan("span").end() }
        gate.waitUntilExporting()
        for _ in 2..<9 { tracer.startSpan("span").end() }
        gate.open()
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        try Self.expectSeries(
            prefix: "otel.sdk.processor.span",
            type: "batching_span_processor",
            component: processor.componentName,
            statistics: processor.statistics
        )
    }
}
