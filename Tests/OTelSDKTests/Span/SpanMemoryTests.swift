import OTelSDK
import Testing
import Tracing

@Suite("Span memory")
struct SpanMemoryTests {
    @Test("a finished span, its context and its parent context are freed")
    func spansAreFreed() {
        let test = TestProvider()
        weak var observed: RequestState?
        do {
            let state = RequestState()
            observed = state
            let parent = InstrumentationContext.carrying(state)
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
