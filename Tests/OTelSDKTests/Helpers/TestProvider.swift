import Foundation
import OTelSDK
import Tracing

/// A provider that exports every sampled span into memory, configured only by what the test
/// passes (an empty environment unless given).
struct TestProvider {
    let provider: TracerProvider
    let exporter = InMemorySpanExporter()

    init(
        sampler: any Sampler = AlwaysOnSampler(),
        spanLimits: SpanLimits = SpanLimits(),
        environment: [String: String] = [:],
        processors: [any SpanProcessor] = []
    ) {
        provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "tests"]),
            sampler: sampler,
            spanLimits: spanLimits,
            processors: [SimpleSpanProcessor(exporter: exporter)] + processors,
            environment: OTelEnvironment(environment)
        )
    }

    var tracer: OTelTracer { provider.tracer(name: "tests", version: "1.0") }
    var spans: [SpanData] { exporter.finishedSpans }
}

/// A processor that counts what it is called with.
final class CountingProcessor: SpanProcessor, @unchecked Sendable {
    // Only touched from the test's own thread in the tests that use it.
    private(set) var started = 0
    private(set) var ended = 0

    func onStart(_ span: OTelSpan, parentContext: InstrumentationContext) { started += 1 }
    func onEnd(_ span: FinishedSpan) { ended += 1 }
    func forceFlush(timeout: Duration) -> CompletionResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

/// A value behind an NSLock (a pthread mutex, which ThreadSanitizer understands).
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
