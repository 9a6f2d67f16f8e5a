import OTelSDK
import Testing
import Tracing

/// An exporter that records the calls it gets, in order.
private final class CallRecordingExporter: SpanExporter {
    let calls = LockedBox<[String]>([])

    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
        calls.withLock { $0.append("export \(batch.count)") }
        return .success
    }

    func forceFlush(timeout: Duration) -> CompletionResult {
        calls.withLock { $0.append("forceFlush") }
        return .success
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        calls.withLock { $0.append("shutdown") }
        return .success
    }

    var recorded: [String] { calls.withLock { $0 } }
}

@Suite("Processor shutdown")
struct ProcessorShutdownTests {
    private func provider(_ processor: any SpanProcessor, environment: [String: String] = [:]) -> TracerProvider {
        TracerProvider(
            resource: Resource(attributes: []),
            sampler: AlwaysOnSampler(),
            processors: [processor],
            environment: OTelEnvironment(environment)
        )
    }

    @Test("the batch span processor's shutdown flushes the exporter before shutting it down")
    func batchProcessorFlushesExporter() {
        let exporter = CallRecordingExporter()
        let provider = provider(BatchSpanProcessor(exporter: exporter, configuration: .init()))
        provider.tracer(name: "t").startSpan("a").end()
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        #expect(exporter.recorded == ["export 1", "forceFlush", "shutdown"])
    }

    @Test("the simple span processor's shutdown flushes the exporter before shutting it down")
    func simpleProcessorFlushesExporter() {
        let exporter = CallRecordingExporter()
        let provider = provider(SimpleSpanProcessor(exporter: exporter))
        provider.tracer(name: "t").startSpan("a").end()
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        #expect(exporter.recorded == ["export 1", "forceFlush", "shutdown"])
    }

    @Test("OTEL_SDK_DISABLED=true: no span reaches the processors, but shutdown still reaches them and their exporters")
    func disabledProviderShutsDownWhatItWasGiven() {
        let batchExporter = CallRecordingExporter()
        let simpleExporter = CallRecordingExporter()
        let provider = TracerProvider(
            resource: Resource(attributes: []),
            processors: [
                BatchSpanProcessor(exporter: batchExporter, configuration: .init()),
                SimpleSpanProcessor(exporter: simpleExporter),
            ],
            environment: OTelEnvironment(["OTEL_SDK_DISABLED": "true"])
        )
        let span = provider.tracer(name: "t").startSpan("nothing")
        #expect(!span.isRecording)
        span.end()
        #expect(provider.forceFlush(timeout: .seconds(10)) == .success)
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        // The batch processor's worker thread calls its exporter's shutdown as its last act.
        #expect(batchExporter.recorded == ["forceFlush", "forceFlush", "shutdown"])
        #expect(simpleExporter.recorded == ["forceFlush", "forceFlush", "shutdown"])
    }
}
