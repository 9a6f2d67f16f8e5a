import Dispatch
import Foundation
import OTelSDK
import Testing
import Tracing

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the span it gets in `onStart`, as a processor that reads spans while they run does.
private final class KeepingProcessor: SpanProcessor {
    let started = LockedBox<[OTelSpan]>([])

    func onStart(_ span: OTelSpan, parentContext: InstrumentationContext) {
        started.withLock { $0.append(span) }
    }

    func onEnd(_ span: FinishedSpan) {}
    func forceFlush(timeout: Duration) -> CompletionResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

/// Records, for each span that ends, the thread that called `onEnd` and the span's attribute keys.
private final class EndRecordingProcessor: SpanProcessor {
    let ends = LockedBox<[(thread: pthread_t, keys: Set<String>)]>([])

    var isStartRequired: Bool { false }
    func onEnd(_ span: FinishedSpan) {
        let keys = Set(span.makeSpanData().attributes.map(\.key))
        ends.withLock { $0.append((pthread_self(), keys)) }
    }
    func forceFlush(timeout: Duration) -> CompletionResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

@Suite("Readable spans")
struct ReadableSpanTests {
    private static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    private func remoteParent(_ tracer: OTelTracer, tracestate: String) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        tracer.extract(
            ["traceparent": Self.traceparent, "tracestate": tracestate],
            into: &context,
            using: DictionaryExtractor()
        )
        return context
    }

    @Test("SpanData carries the full parent span context: ids, flags, trace state, remoteness")
    func parentSpanContext() throws {
        let test = TestProvider()
        let parent = remoteParent(test.tracer, tracestate: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        test.tracer.startSpan("child", context: parent).end()
        let data = try #require(test.spans.first)
        let parentContext = try #require(data.parentSpanContext)
        #expect(parentContext.traceID == TraceID(hexString: "0af7651916cd43dd8448eb211c80319c"))
        #expect(parentContext.spanID == SpanID(hexString: "b7ad6b7169203331"))
        #expect(parentContext.traceFlags == .sampled)
        #expect(parentContext.traceState.entries.map(\.key) == ["congo", "rojo"])
        #expect(parentContext.isRemote)
        #expect(data.parentSpanID == parentContext.spanID && data.parentIsRemote)

        test.tracer.startSpan("root", context: .topLevel).end()
        #expect(test.spans.last?.parentSpanContext == nil)
    }

    @Test("the span a processor gets in onStart can read everything the span was given")
    func readWhileRunning() throws {
        let keeping = KeepingProcessor()
        let test = TestProvider(processors: [keeping])
        let parent = remoteParent(test.tracer, tracestate: "congo=t61rcWkgMzE")
        let span = test.tracer.startSpan(
            "running",
            context: parent,
            ofKind: .producer,
            at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_000)
        )
        span.setAttribute("typed", 1)
        span.attributes["by.subscript"] = "yes"
        span.addEvent(SpanEvent(name: "sent", at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_500)))
        var linked = InstrumentationContext.topLevel
        test.tracer.extract(
            ["traceparent": "00-11111111111111111111111111111111-2222222222222222-00"],
            into: &linked,
            using: DictionaryExtractor()
        )
        span.addLink(SpanLink(context: linked, attributes: ["reason": "batch"]))
        span.setStatus(SpanStatus(code: .error, message: "broker down"))

        let seen = try #require(keeping.started.withLock { $0.first })
        #expect(seen.kind == .producer)
        #expect(seen.startTimeUnixNano == 1_000)
        #expect(seen.attributes.get("typed") == .int64(1))
        #expect(seen.attributes.get("by.subscript") == .string("yes"))
        #expect(seen.events == [SpanData.Event(name: "sent", timeUnixNano: 1_500)])
        #expect(seen.links.map(\.context.spanID) == [SpanID(hexString: "2222222222222222")])
        #expect(seen.links.first?.attributes == [Attribute("reason", "batch")])
        #expect(seen.status == SpanStatus(code: .error, message: "broker down"))
        #expect(seen.instrumentationScope == InstrumentationScope(name: "tests", version: "1.0"))
        #expect(seen.resource?.serviceName == "tests")
        #expect(seen.parentSpanContext?.traceState.entries.map(\.key) == ["congo"])
        span.end()
        // A processor that keeps spans holds its provider through them: let them go.
        keeping.started.withLock { $0.removeAll() }

        let unsampled = TestProvider(sampler: AlwaysOffSampler()).tracer.startSpan("dropped", ofKind: .client)
        #expect(unsampled.kind == .client)
        #expect(unsampled.startTimeUnixNano == nil && unsampled.resource == nil)
        #expect(unsampled.events.isEmpty && unsampled.links.isEmpty && unsampled.status == nil)
    }

    @Test("onEnd runs inside end(), on the ending thread, also while another thread is inside updateAttributes")
    func endWhileAnotherThreadUpdates() throws {
        let recording = EndRecordingProcessor()
        let test = TestProvider(processors: [recording])
        let span = test.tracer.startSpan("contended")
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let updated = DispatchSemaphore(value: 0)
        Thread {
            span.updateAttributes { attributes in
                attributes["from.update"] = 1
                inside.signal()
                release.wait()
            }
            updated.signal()
        }.start()
        inside.wait()

        let ended = DispatchSemaphore(value: 0)
        let observed = LockedBox<(thread: pthread_t?, endsWhenEndReturned: Int)>((nil, -1))
        Thread {
            span.end()
            let count = recording.ends.withLock { $0.count }
            observed.withLock { $0 = (pthread_self(), count) }
            ended.signal()
        }.start()
        // The ending thread is now waiting for the update; let the update finish.
        Thread.sleep(forTimeInterval: 0.05)
        release.signal()
        #expect(ended.wait(timeout: .now() + 10) == .success)
        #expect(updated.wait(timeout: .now() + 10) == .success)

        let (endingThread, endsWhenEndReturned) = observed.withLock { $0 }
        #expect(endsWhenEndReturned == 1)
        let ends = recording.ends.withLock { $0 }
        #expect(ends.count == 1)
        let endThread = try #require(ends.first?.thread)
        #expect(endingThread.map { pthread_equal($0, endThread) != 0 } == true)
        #expect(ends.first?.keys == ["from.update"])
    }
}
