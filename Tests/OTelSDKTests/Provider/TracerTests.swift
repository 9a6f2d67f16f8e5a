import Foundation
import OTelSDK
import Synchronization
import Testing
import Tracing

@Suite("Tracer and spans")
struct TracerTests {
    struct PaymentDeclined: Error, CustomStringConvertible {
        var description: String { "card declined" }
    }

    @Test("a recorded span carries everything it was given")
    func recordedSpan() throws {
        let test = TestProvider()
        let span = test.tracer.startSpan(
            "checkout",
            ofKind: .server,
            at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_000)
        )
        span.attributes["http.method"] = "POST"
        span.updateAttributes { attributes in
            attributes["count"] = 3
            attributes["ratio"] = 0.5
            attributes["flag"] = true
            attributes["tags"] = ["a", "b"]
            attributes["ints"] = [1, 2] as [Int64]
        }
        span.setAttribute("typed", .doubleArray([1.5]))
        span.addEvent(
            SpanEvent(
                name: "validated",
                at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_500),
                attributes: ["step": 1]
            )
        )
        span.recordError(PaymentDeclined())
        span.setStatus(SpanStatus(code: .error, message: "declined"))
        span.operationName = "checkout POST"
        span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 2_000))

        let data = try #require(test.spans.first)
        #expect(test.spans.count == 1)
        #expect(data.name == "checkout POST")
        #expect(data.kind == .server)
        #expect(data.startTimeUnixNano == 1_000)
        #expect(data.endTimeUnixNano == 2_000)
        #expect(data.parentSpanID == nil)
        #expect(data.context.isSampled)
        #expect(data.context.traceFlags.contains(.random))
        #expect(Set(data.attributes.map(\.key)) == ["http.method", "count", "ratio", "flag", "tags", "ints", "typed"])
        #expect(data.attributes["http.method"] == "POST")
        #expect(data.attributes["count"] == .int(3))
        #expect(data.attributes["ratio"] == .double(0.5))
        #expect(data.attributes["flag"] == .bool(true))
        #expect(data.attributes["tags"] == .stringArray(["a", "b"]))
        #expect(data.attributes["ints"] == .intArray([1, 2]))
        #expect(data.attributes["typed"] == .doubleArray([1.5]))
        #expect(
            data.events.first
                == SpanData.Event(name: "validated", timeUnixNano: 1_500, attributes: [Attribute("step", 1)])
        )
        let exception = try #require(data.events.last)
        #expect(exception.name == "exception")
        #expect(exception.attributes["exception.message"] == "card declined")
        #expect(exception.attributes["exception.type"]?.description.hasSuffix("PaymentDeclined") == true)
        #expect(data.status == SpanStatus(code: .error, message: "declined"))
        #expect(data.resource.serviceName == "tests")
        #expect(data.instrumentationScope == InstrumentationScope(name: "tests", version: "1.0"))
    }

    @Test("updateAttributes sees the current attributes and can remove one")
    func updateAttributesSemantics() throws {
        let test = TestProvider()
        let span = test.tracer.startSpan("s")
        span.setAttribute("a", 1)
        span.setAttribute("b", 2)
        span.updateAttributes { attributes in
            #expect(attributes.get("a") == .int64(1))
            attributes["a"] = nil
            attributes["b"] = 20
            attributes["c"] = 3
        }
        span.end()
        let attributes = try #require(test.spans.first).attributes
        #expect(attributes.count == 2)
        #expect(attributes["b"] == .int(20))
        #expect(attributes["c"] == .int(3))
    }

    @Test("the span used inside its own updateAttributes closure: nothing lost, no key twice")
    func reentrantUpdate() throws {
        let test = TestProvider()
        let span = test.tracer.startSpan("reentrant")
        span.setAttribute("before", 0)
        span.updateAttributes { attributes in
            attributes["k"] = 2
            span.setAttribute("k", 1)
            span.setAttribute("j", 3)
            // Ending now must wait for this update to store its attributes.
            span.end()
            attributes["late"] = true
        }
        #expect(!span.isRecording)
        let data = try #require(test.spans.first)
        #expect(test.spans.count == 1)
        #expect(data.attributeCount == 4)
        #expect(Set(data.attributes.map(\.key)) == ["before", "k", "j", "late"])
        #expect(data.attributes["k"] == .int(2))
        #expect(data.attributes["j"] == .int(3))
    }

    @Test("spans started and ended without an instant take the clock's time, on OTelTracer and through the protocols")
    func clockTimes() throws {
        let test = TestProvider()
        func startAndEnd(_ tracer: some Tracer) {
            tracer.startSpan("through the protocols").end()
        }
        let before = DefaultTracerClock.now.nanosecondsSinceEpoch
        test.tracer.startSpan("on OTelTracer").end()
        startAndEnd(test.tracer)
        let after = DefaultTracerClock.now.nanosecondsSinceEpoch
        #expect(test.spans.map(\.name) == ["on OTelTracer", "through the protocols"])
        for span in test.spans {
            #expect(before <= span.startTimeUnixNano, "\(span.name)")
            #expect(span.startTimeUnixNano <= span.endTimeUnixNano, "\(span.name)")
            #expect(span.endTimeUnixNano <= after, "\(span.name)")
        }
    }

    @Test("startSpan on an OTelTracer without a context takes the task's current one")
    func currentContext() throws {
        let test = TestProvider()
        let parent = test.tracer.startSpan("parent")
        let child = InstrumentationContext.$current.withValue(parent.context) {
            test.tracer.startSpan("child")
        }
        child.end()
        parent.end()
        let childData = try #require(test.spans.first)
        #expect(childData.name == "child")
        #expect(childData.parentSpanID == parent.spanContext.spanID)
        #expect(childData.context.traceID == parent.spanContext.traceID)
    }

    @Test("the span activeSpan finds has the context it was found in: the parent's values and the span")
    func activeSpanContext() throws {
        let test = TestProvider()
        let state = RequestState()
        let span = test.tracer.startSpan("request", context: .carrying(state))
        let found = try #require(test.tracer.activeSpan(identifiedBy: span.context))
        #expect(found.context[RequestStateKey.self] === state)
        #expect(found.context.spanContext == span.spanContext)
        let child = test.tracer.startSpan("child", context: found.context)
        #expect(child.context[RequestStateKey.self] === state)
        child.end()
        span.end()
        #expect(test.spans.first?.parentSpanID == span.spanContext.spanID)
    }

    @Test("a child started in its parent's context continues the trace")
    func localParent() throws {
        let test = TestProvider()
        let tracer = test.tracer
        let parent = tracer.startSpan("parent")
        let child = tracer.startSpan("child", context: parent.context, ofKind: .client)
        #expect(tracer.activeSpan(identifiedBy: parent.context)?.spanContext == parent.spanContext)
        child.end()
        parent.end()
        let (childData, parentData) = (test.spans[0], test.spans[1])
        #expect(childData.context.traceID == parentData.context.traceID)
        #expect(childData.parentSpanID == parentData.context.spanID)
        #expect(!childData.parentIsRemote)
        #expect(childData.context.spanID != parentData.context.spanID)
    }

    @Test("withSpan makes the span current for the work inside it, and records a thrown error")
    func withSpan() throws {
        let test = TestProvider()
        let tracer = test.tracer
        #expect(throws: PaymentDeclined.self) {
            try tracer.withSpan("outer") { outer in
                tracer.withSpan("inner") { _ in }
                throw PaymentDeclined()
            }
        }
        let inner = try #require(test.spans.first { $0.name == "inner" })
        let outer = try #require(test.spans.first { $0.name == "outer" })
        #expect(inner.parentSpanID == outer.context.spanID)
        #expect(outer.status?.code == .error)
        #expect(outer.events.map(\.name) == ["exception"])
    }

    @Test("a span ended twice is exported once, and ignores changes after its end")
    func endTwice() {
        let test = TestProvider()
        let span = test.tracer.startSpan("once")
        span.end()
        span.setAttribute("late", true)
        span.end()
        #expect(test.spans.count == 1)
        #expect(test.spans[0].attributes.isEmpty)
        #expect(!span.isRecording)
    }

    @Test("an OK status is final")
    func okIsFinal() {
        let test = TestProvider()
        let span = test.tracer.startSpan("ok")
        span.setStatus(SpanStatus(code: .ok, message: "ignored for OK"))
        span.setStatus(SpanStatus(code: .error))
        span.end()
        #expect(test.spans[0].status == SpanStatus(code: .ok))
    }

    @Test("links keep the linked context, including whether it is remote")
    func links() throws {
        let test = TestProvider()
        let tracer = test.tracer
        let local = tracer.startSpan("local")
        var remoteContext = InstrumentationContext.topLevel
        tracer.extract(
            ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
            into: &remoteContext,
            using: DictionaryExtractor()
        )
        let span = tracer.startSpan("linked")
        span.addLink(SpanLink(context: local.context, attributes: ["kind": "local"]))
        span.addLink(SpanLink(context: remoteContext, attributes: [:]))
        span.addLink(SpanLink(context: .topLevel, attributes: [:]))  // no span: ignored
        span.end()
        local.end()
        let links = try #require(test.spans.first { $0.name == "linked" }).links
        #expect(links.count == 2)
        #expect(links[0].context.spanID == local.spanContext.spanID)
        #expect(!links[0].context.isRemote)
        #expect(links[0].attributes == [Attribute("kind", "local")])
        #expect(links[1].context.spanID == SpanID(hexString: "b7ad6b7169203331"))
        #expect(links[1].context.isRemote)
    }

    @Test("processors see recording spans start and end; sampled-out spans reach none")
    func processorCalls() {
        let counting = CountingProcessor()
        let test = TestProvider(sampler: AlwaysOffSampler(), processors: [counting])
        let span = test.tracer.startSpan("dropped")
        span.updateAttributes { _ in Issue.record("the update closure ran on a non-recording span") }
        span.addEvent("event")
        span.end()
        #expect(!span.isRecording)
        #expect(counting.started == 0 && counting.ended == 0)
        #expect(test.spans.isEmpty)
        // Still a valid, unsampled context that propagates.
        #expect(span.spanContext.isValid)
        #expect(!span.spanContext.isSampled)
        #expect(span.context.spanContext == span.spanContext)

        let recording = TestProvider(processors: [counting])
        recording.tracer.startSpan("kept").end()
        #expect(counting.started == 1 && counting.ended == 1)
    }

    @Test("a processor that does not need onStart is not called there, but still sees spans end")
    func startNotRequired() {
        final class EndOnlyProcessor: SpanProcessor, @unchecked Sendable {
            // Only touched from the test's own thread.
            private(set) var started = 0
            private(set) var ended = 0

            var isStartRequired: Bool { false }
            func onStart(_ span: OTelSpan, parentContext: InstrumentationContext) { started += 1 }
            func onEnd(_ span: FinishedSpan) { ended += 1 }
            func forceFlush(timeout: Duration) -> CompletionResult { .success }
            func shutdown(timeout: Duration) -> CompletionResult { .success }
        }
        let endOnly = EndOnlyProcessor()
        let counting = CountingProcessor()
        let test = TestProvider(processors: [endOnly, counting])
        test.tracer.startSpan("one").end()
        test.tracer.startSpan("two").end()
        #expect(endOnly.started == 0 && endOnly.ended == 2)
        #expect(counting.started == 2 && counting.ended == 2)
        let batch = BatchSpanProcessor(exporter: InMemorySpanExporter())
        #expect(!batch.isStartRequired && !SimpleSpanProcessor(exporter: InMemorySpanExporter()).isStartRequired)
        #expect(batch.shutdown(timeout: .seconds(5)) == .success)
    }

    @Test("every processor sees each span end, in the order the provider was given them")
    func processorOrder() {
        final class LoggingProcessor: SpanProcessor {
            let name: String
            let log: LockedBox<[String]>
            init(_ name: String, log: LockedBox<[String]>) {
                self.name = name
                self.log = log
            }
            var isStartRequired: Bool { false }
            func onEnd(_ span: FinishedSpan) { log.withLock { $0.append("\(name) \(span.makeSpanData().name)") } }
            func forceFlush(timeout: Duration) -> CompletionResult { .success }
            func shutdown(timeout: Duration) -> CompletionResult { .success }
        }
        let log = LockedBox<[String]>([])
        let provider = TracerProvider(
            resource: Resource(attributes: []),
            processors: ["a", "b", "c"].map { LoggingProcessor($0, log: log) },
            environment: OTelEnvironment([:])
        )
        let tracer = provider.tracer(name: "order")
        tracer.startSpan("one").end()
        tracer.startSpan("two").end()
        #expect(log.withLock { $0 } == ["a one", "b one", "c one", "a two", "b two", "c two"])
        // Without processors, a span still records and ends.
        let none = TracerProvider(resource: Resource(attributes: []), environment: OTelEnvironment([:]))
        let unheard = none.tracer(name: "none").startSpan("nobody listens")
        #expect(unheard.isRecording)
        unheard.end()
        #expect(!unheard.isRecording)
    }

    @Test("record-only spans reach processors but not exporters")
    func recordOnly() {
        struct RecordOnlySampler: Sampler {
            func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
                SamplingResult(decision: .recordOnly, attributes: [Attribute("sampler", "record-only")])
            }
            var description: String { "RecordOnly" }
        }
        let counting = CountingProcessor()
        let test = TestProvider(sampler: RecordOnlySampler(), processors: [counting])
        let span = test.tracer.startSpan("recorded")
        #expect(span.isRecording)
        #expect(!span.spanContext.isSampled)
        span.end()
        #expect(counting.ended == 1)
        #expect(test.spans.isEmpty)
    }

    @Test("shutdown flushes, is idempotent, and later spans are non-recording")
    func shutdown() {
        let test = TestProvider()
        test.tracer.startSpan("before").end()
        #expect(test.provider.shutdown() == .success)
        #expect(test.provider.shutdown() == .success)
        let after = test.tracer.startSpan("after")
        #expect(!after.isRecording)
        // A root span of a shut-down provider has the invalid context, as without an SDK.
        #expect(after.spanContext == .invalid)
        after.end()
        #expect(test.spans.map(\.name) == ["before"])
    }

    @Test("OTEL_SDK_DISABLED=true gives a provider whose spans record nothing")
    func disabled() {
        let test = TestProvider(environment: ["OTEL_SDK_DISABLED": "true"])
        let span = test.tracer.startSpan("nothing")
        span.end()
        #expect(!span.isRecording)
        #expect(test.spans.isEmpty)
        let enabled = TestProvider(environment: ["OTEL_SDK_DISABLED": "false"])
        #expect(enabled.tracer.startSpan("something").isRecording)
    }

    @Test("new traces get the random flag only from a generator whose trace ids are random")
    func randomFlag() throws {
        struct CountingIDGenerator: IDGenerator {
            let next = LockedBox<UInt64>(0)
            func newTraceID() -> TraceID {
                TraceID(
                    high: 0,
                    low: next.withLock {
                        $0 += 1
                        return $0
                    }
                )
            }
            func newSpanID() -> SpanID {
                SpanID(
                    next.withLock {
                        $0 += 1
                        return $0
                    }
                )
            }
        }
        let exporter = InMemorySpanExporter()
        let provider = TracerProvider(
            sampler: AlwaysOnSampler(),
            idGenerator: CountingIDGenerator(),
            processors: [SimpleSpanProcessor(exporter: exporter)],
            environment: OTelEnvironment([:])
        )
        let root = provider.tracer().startSpan("root", context: .topLevel)
        #expect(!root.spanContext.traceFlags.contains(.random))
        #expect(root.spanContext.isSampled)
        // A continued trace keeps what the caller said, whatever the generator.
        var context = InstrumentationContext.topLevel
        provider.tracer().extract(
            ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03"],
            into: &context,
            using: DictionaryExtractor()
        )
        let child = provider.tracer().startSpan("child", context: context)
        #expect(child.spanContext.traceFlags.contains(.random))

        #expect(RandomIDGenerator().generatesRandomTraceIDs)
        #expect(TestProvider().tracer.startSpan("own", context: .topLevel).spanContext.traceFlags.contains(.random))
    }

    @Test("a span updated from 8 threads released at the same moment keeps every update")
    func concurrentThreads() throws {
        let test = TestProvider(spanLimits: SpanLimits(attributeCountLimit: 100_000, eventCountLimit: 100_000))
        let span = test.tracer.startSpan("shared")
        let threads = 8
        let rounds = 300
        // Real threads, all waiting at a barrier, so that the updates overlap for certain
        // (tasks on a 2-thread cooperative pool may well run one after another).
        let ready = Atomic<Int>(0)
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread {
                ready.add(1, ordering: .acquiringAndReleasing)
                while ready.load(ordering: .acquiring) < threads {}
                for index in 0..<rounds {
                    span.setAttribute("thread\(thread).\(index)", .int(Int64(index)))
                    span.updateAttributes { $0["thread\(thread).updated"] = index }
                    span.addEvent(SpanEvent(name: "e\(thread)"))
                }
                done.leave()
            }.start()
        }
        done.wait()
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.attributes.count == threads * rounds + threads)
        #expect(data.events.count == threads * rounds)
        for thread in 0..<threads {
            #expect(data.attributes["thread\(thread).updated"] == .int(Int64(rounds - 1)))
        }
    }

    @Test("a span updated from 8 tasks at once keeps every update")
    func concurrentUpdates() async throws {
        let test = TestProvider(spanLimits: SpanLimits(attributeCountLimit: 10_000, eventCountLimit: 10_000))
        let span = test.tracer.startSpan("shared")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        span.setAttribute("task\(task).\(index)", .int(Int64(index)))
                        span.updateAttributes { $0["task\(task).updated"] = index }
                        span.addEvent(SpanEvent(name: "e\(task)"))
                        _ = span.attributes
                    }
                }
            }
        }
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.attributes.count == 8 * 200 + 8)
        #expect(data.events.count == 8 * 200)
        for task in 0..<8 {
            #expect(data.attributes["task\(task).updated"] == .int(199))
        }
    }
}
