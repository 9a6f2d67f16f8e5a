import OTelSDK
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import Tracing

/// A processor that records flushes and shutdowns.
private final class LifecycleProcessor: SpanProcessor {
    let calls = LockedBox<[String]>([])

    func onEnd(_ span: FinishedSpan) { calls.withLock { $0.append("end \(span.makeSpanData().name)") } }
    func forceFlush(timeout: Duration) -> CompletionResult {
        calls.withLock { $0.append("flush") }
        return .success
    }
    func shutdown(timeout: Duration) -> CompletionResult {
        calls.withLock { $0.append("shutdown") }
        return .success
    }
}

@Suite("Tracer provider lifecycle")
struct TracerProviderLifecycleTests {
    private func makeProvider(_ processor: LifecycleProcessor) -> TracerProvider {
        TracerProvider(resource: Resource(attributes: []), processors: [processor], environment: OTelEnvironment([:]))
    }

    @Test("flush and shutdown reach every processor; async forms too")
    func flushAndShutdown() async {
        let processor = LifecycleProcessor()
        let provider = makeProvider(processor)
        provider.tracer().startSpan("a").end()
        #expect(await provider.forceFlush() == .success)
        #expect(await provider.shutdown() == .success)
        #expect(await provider.shutdown() == .success)
        #expect(processor.calls.withLock { $0 } == ["end a", "flush", "shutdown"])
    }

    @Test("a service group's graceful shutdown shuts the provider down")
    func gracefulShutdown() async throws {
        let processor = LifecycleProcessor()
        let provider = makeProvider(processor)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await provider.run() }
                provider.tracer().startSpan("during").end()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(processor.calls.withLock { $0 } == ["end during", "shutdown"])
        #expect(!provider.tracer().startSpan("after").isRecording)
    }

    @Test("cancellation still shuts the provider down")
    func cancellation() async throws {
        let processor = LifecycleProcessor()
        let provider = makeProvider(processor)
        let task = Task { try await provider.run() }
        task.cancel()
        try await task.value
        #expect(processor.calls.withLock { $0 } == ["shutdown"])
    }
}
