import OTelSDK
import Testing
import Tracing

/// Something a request carries in its context; its lifetime shows whether spans are freed.
private final class RequestState: Sendable {}

private enum RequestStateKey: InstrumentationContextKey {
    typealias Value = RequestState
}

@Suite("Span memory")
struct SpanMemoryTests {
    @Test("a finished span, its context and its parent context are freed")
    func spansAreFreed() {
        let test = TestProvider()
        weak var observed: RequestState?
        do {
            let state = RequestState()
            observed = state
            var parent = InstrumentationContext.topLevel
            parent[RequestStateKey.self] = state
            test.tracer.withSpan("handle", context: parent) { span in
                let child = test.tracer.startSpan("child", context: span.context)
                _ = child.context
                child.end()
            }
        }
        test.exporter.reset()
        #expect(observed == nil, "a span kept its parent context alive after it ended")
    }
}
