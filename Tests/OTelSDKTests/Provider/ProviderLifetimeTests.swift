import Testing
import Tracing

@_spi(Benchmarks) @testable import OTelSDK

/// A span's recorder holds its provider's core without counting references per span (see
/// `SpanRecorder`): these tests hold that to what it must keep and let go.
@Suite("Provider lifetime")
struct ProviderLifetimeTests {
    private static func batchProvider(_ exporter: InMemorySpanExporter) -> (TracerProvider, BatchSpanProcessor) {
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 256, maxExportBatchSize: 16)
        )
        let provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "lifetime"]),
            sampler: AlwaysOnSampler(),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        return (provider, processor)
    }

    @Test("a provider that is gone, with its tracers and spans, is freed although its spans were pooled")
    func providerIsFreed() async throws {
        weak var core: TracerProviderCore?
        do {
            let (provider, processor) = Self.batchProvider(InMemorySpanExporter())
            core = provider.core
            let tracer = provider.tracer(name: "lifetime")
            for index in 0..<100 {
                tracer.startSpan("span \(index)").end()
            }
            #expect(await processor.forceFlush(timeout: .seconds(10)) == .success)
            #expect(provider.core.recorderPool.count > 0, "nothing was pooled: the test would prove nothing")
            #expect(await provider.shutdown() == .success)
        }
        // The worker thread may still be letting go of its last batch.
        let deadline = ContinuousClock.now + .seconds(10)
        while core != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(core == nil, "pooled spans kept their provider alive")
    }

    @Test("a span that outlives its provider and tracer still records and ends")
    func spanOutlivesProvider() {
        let exporter = InMemorySpanExporter()
        var span: OTelSpan?
        do {
            let provider = TracerProvider(
                sampler: AlwaysOnSampler(),
                processors: [SimpleSpanProcessor(exporter: exporter)],
                environment: OTelEnvironment([:])
            )
            span = provider.tracer(name: "short-lived", version: "2").startSpan("outlives")
        }
        span?.setAttribute("after", "provider")
        span?.addEvent("late")
        span?.end()
        span = nil
        let exported = exporter.finishedSpans
        #expect(exported.count == 1)
        #expect(exported.first?.attributes == [Attribute("after", "provider")])
        #expect(exported.first?.events.map(\.name) == ["late"])
        #expect(exported.first?.instrumentationScope == InstrumentationScope(name: "short-lived", version: "2"))
    }

    @Test(
        "tracers asking for the same scope share one; a span lets its parent context go with the app, queued or pooled"
    )
    func scopesAndParentContexts() throws {
        let exporter = InMemorySpanExporter()
        let (provider, processor) = Self.batchProvider(exporter)
        #expect(provider.tracer(name: "a").instrumentationScope === provider.tracer(name: "a").instrumentationScope)
        #expect(
            provider.tracer(name: "a").instrumentationScope
                !== provider.tracer(name: "a", version: "1").instrumentationScope
        )

        weak var observed: RequestState?
        do {
            let state = RequestState()
            observed = state
            let parent = InstrumentationContext.carrying(state)
            let tracer = provider.tracer(name: "a")
            // Fewer than a batch (16), with a 60 s delay: they stay queued.
            for index in 0..<10 {
                tracer.startSpan("child \(index)", context: parent).end()
            }
        }
        #expect(processor.statistics.queued == 10, "the spans left the queue: the test would prove less")
        #expect(observed == nil, "a queued span kept its parent context alive")
        #expect(processor.forceFlush(timeout: .seconds(10)) == .success)
        #expect(exporter.finishedSpans.count == 10)
        #expect(provider.core.recorderPool.count > 0, "nothing was pooled")
        #expect(provider.shutdown() == .success)
    }
}
