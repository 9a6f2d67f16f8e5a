import OTelSDK
import Testing
import Tracing

@Suite("W3C propagation")
struct PropagationTests {
    let test = TestProvider()

    private func extract(_ headers: [String: String], tracer: OTelTracer? = nil) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        (tracer ?? test.tracer).extract(headers, into: &context, using: DictionaryExtractor())
        return context
    }

    private func inject(_ context: InstrumentationContext, tracer: OTelTracer? = nil) -> [String: String] {
        var headers: [String: String] = [:]
        (tracer ?? test.tracer).inject(context, into: &headers, using: DictionaryInjector())
        return headers
    }

    @Test("a valid traceparent becomes the remote parent of the next span")
    func remoteParent() throws {
        let context = extract([
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        ])
        let remote = try #require(context.spanContext)
        #expect(remote.isRemote)
        #expect(remote.isSampled)
        #expect(remote.traceState["congo"] == "t61rcWkgMzE")

        let span = test.tracer.startSpan("handle", context: context, ofKind: .consumer)
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.context.traceID == TraceID(hexString: "0af7651916cd43dd8448eb211c80319c"))
        #expect(data.parentSpanID == SpanID(hexString: "b7ad6b7169203331"))
        #expect(data.parentIsRemote)
        #expect(data.context.traceState == remote.traceState)

        // Injecting the child's context sends the same trace, the child's id, and the trace state.
        let headers = inject(span.context)
        #expect(headers["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-\(data.context.spanID)-01")
        #expect(headers["tracestate"] == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    }

    @Test(
        "valid traceparent forms",
        arguments: [
            // Flags other than sampled are kept as given.
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03", true),
            // Surrounding whitespace is tolerated.
            ("  00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t", true),
            // A future version may append fields after a dash; the known part is read.
            ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds", true),
            ("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true),
        ]
    )
    func validTraceParent(header: String, sampled: Bool) throws {
        let context = try #require(extract(["traceparent": header]).spanContext)
        #expect(context.traceID == TraceID(hexString: "4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(context.spanID == SpanID(hexString: "00f067aa0ba902b7"))
        #expect(context.isSampled == sampled)
    }

    @Test(
        "invalid traceparent headers are ignored",
        arguments: [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 is exactly 55 characters
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a future version's extra part needs a dash
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero span id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // misplaced dash
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // wrong separator
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // not hex
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z",  // flags not hex
        ]
    )
    func invalidTraceParent(header: String) {
        let context = extract(["traceparent": header, "tracestate": "rojo=1"])
        #expect(context.spanContext == nil)
        // The next span starts a new root trace.
        let span = test.tracer.startSpan("root", context: context)
        span.end()
        #expect(test.spans.last?.parentSpanID == nil)
    }

    @Test("a disabled or shut-down provider passes the incoming trace on unchanged, and a root span injects nothing")
    func nonRecordingProviderPassesTheTraceOn() {
        let incoming = [
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "rojo=00f067aa0ba902b7",
        ]
        let disabled = TestProvider(environment: ["OTEL_SDK_DISABLED": "true"])
        let shutDown = TestProvider()
        shutDown.provider.shutdown()
        for test in [disabled, shutDown] {
            let span = test.tracer.startSpan(
                "handle",
                context: extract(incoming, tracer: test.tracer),
                ofKind: .consumer
            )
            #expect(!span.isRecording)
            #expect(inject(span.context, tracer: test.tracer) == incoming)
            span.end()

            let root = test.tracer.startSpan("root", context: .topLevel)
            #expect(inject(root.context, tracer: test.tracer).isEmpty)
        }
    }

    @Test("an invalid tracestate is dropped while the traceparent still counts")
    func invalidTraceState() throws {
        let context = extract([
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate": "Invalid Key=1",
        ])
        let remote = try #require(context.spanContext)
        #expect(remote.traceState.isEmpty)
    }

    @Test("baggage round-trips with percent-encoding and properties")
    func baggage() throws {
        let context = extract(["baggage": "user.id=42, note=hello%20world%2C%20again;prop=1, empty="])
        let baggage = try #require(context.baggage)
        #expect(baggage["user.id"] == "42")
        #expect(baggage["note"] == "hello world, again")
        #expect(baggage.entries[1].metadata == "prop=1")
        #expect(baggage["empty"] == "")

        let headers = inject(context)
        #expect(headers["baggage"] == "user.id=42,note=hello%20world%2C%20again;prop=1,empty=")
        #expect(extract(headers).baggage == baggage)
    }

    @Test(
        "malformed baggage is ignored whole",
        arguments: [
            "noequals", "bad key=1", "k=va lue", "k=%zz", "k=\u{e9}", "=value",
            (0..<65).map { "k\($0)=v" }.joined(separator: ","),
        ]
    )
    func malformedBaggage(header: String) {
        #expect(extract(["baggage": header]).baggage == nil)
    }

    // Found by Scripts/fuzz.sh (fuzz-propagation): an empty header gave an empty baggage that
    // inject then left out, so a round trip changed the context.
    @Test("an empty baggage header is no baggage, so extract and inject round-trip", arguments: ["", " ", ","])
    func emptyBaggage(header: String) {
        let context = extract(["baggage": header])
        #expect(context.baggage == nil)
        #expect(extract(inject(context)).baggage == context.baggage)
    }

    @Test("OTEL_PROPAGATORS selects what inject and extract speak")
    func propagatorSelection() {
        let headers = [
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "baggage": "k=v",
        ]
        let none = TestProvider(environment: ["OTEL_PROPAGATORS": "none"]).tracer
        let noneContext = extract(headers, tracer: none)
        #expect(noneContext.spanContext == nil && noneContext.baggage == nil)

        let baggageOnly = TestProvider(environment: ["OTEL_PROPAGATORS": "baggage"]).tracer
        let baggageContext = extract(headers, tracer: baggageOnly)
        #expect(baggageContext.spanContext == nil)
        #expect(baggageContext.baggage?["k"] == "v")

        let both = extract(headers)
        #expect(both.spanContext != nil && both.baggage != nil)
        #expect(inject(both, tracer: none).isEmpty)
        #expect(Propagators(environment: OTelEnvironment(["OTEL_PROPAGATORS": "tracecontext, b3"])) == .traceContext)
    }
}
