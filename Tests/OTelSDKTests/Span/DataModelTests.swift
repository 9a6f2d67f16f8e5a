import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

/// The OpenTelemetry data model's rules that hold whichever way a span is made.
@Suite("Data model")
struct DataModelTests {
    let test = TestProvider()

    @Test("an attribute with an empty key is dropped from spans, events and links")
    func emptyKeys() throws {
        let span = test.tracer.startSpan("s")
        span.setAttribute("", .string("typed"))
        span.attributes[""] = "through SpanAttributes"
        span.updateAttributes {
            $0["kept"] = 1
            $0[""] = 2
        }
        span.addEvent(SpanEvent(name: "e", attributes: ["": 1, "event.kept": 2]))
        let linked = test.tracer.startSpan("linked")
        span.addLink(SpanLink(context: linked.context, attributes: ["": 1, "link.kept": 2]))
        span.end()
        let data = try #require(test.spans.first { $0.name == "s" })
        #expect(data.attributes.map(\.key) == ["kept"])
        #expect(data.events.first?.attributes.map(\.key) == ["event.kept"])
        #expect(data.links.first?.attributes.map(\.key) == ["link.kept"])
        #expect(data.droppedAttributeCount == 0)
    }

    @Test("attribute(named:) finds an attribute set either way, and nothing for a missing name")
    func attributeNamed() throws {
        let test = TestProvider()
        let span = test.tracer.startSpan("lookup")
        span.setAttribute("typed", 1)
        span.attributes["by.dictionary"] = "yes"
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.attribute(named: "typed") == .int(1))
        #expect(data.attribute(named: "by.dictionary") == .string("yes"))
        #expect(data.attribute(named: "missing") == nil)
    }

    @Test("a link to no valid span is recorded when it has attributes, and not otherwise")
    func linkWithInvalidContext() throws {
        let span = test.tracer.startSpan("s")
        span.addLink(SpanLink(context: .topLevel, attributes: ["reason": "batch member"]))
        span.addLink(SpanLink(context: .topLevel, attributes: [:]))
        span.end()
        let links = try #require(test.spans.first).links
        #expect(links.count == 1)
        #expect(links.first?.context.isValid == false)
        #expect(links.first?.attributes == [Attribute("reason", "batch member")])
    }

    @Test("tracer(name:version:schemaURL:attributes:) gives the spans a scope with those attributes")
    func scopeAttributes() throws {
        let tracer = test.provider.tracer(
            name: "orders-consumer",
            version: "2.1",
            schemaURL: "https://opentelemetry.io/schemas/1.26.0",
            attributes: [Attribute("messaging.system", "kafka"), Attribute("", "dropped")]
        )
        tracer.startSpan("s").end()
        let scope = try #require(test.spans.first).instrumentationScope
        #expect(scope.name == "orders-consumer" && scope.version == "2.1")
        #expect(scope.schemaURL == "https://opentelemetry.io/schemas/1.26.0")
        #expect(scope.attributes == [Attribute("messaging.system", "kafka")])
    }

    @Test("an empty tracer name works and is warned about once")
    func emptyTracerName() throws {
        let log = CapturedLog()
        let exporter = InMemorySpanExporter()
        let provider = TracerProvider(
            resource: Resource(attributes: [:]),
            sampler: AlwaysOnSampler(),
            processors: [SimpleSpanProcessor(exporter: exporter)],
            environment: OTelEnvironment([:]),
            logger: log.logger
        )
        provider.tracer().startSpan("a").end()
        provider.tracer(name: "").startSpan("b").end()
        provider.tracer(name: "named").startSpan("c").end()
        #expect(exporter.finishedSpans.map(\.instrumentationScope.name) == ["", "", "named"])
        let warnings = log.records.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("empty name") == true)
    }

    @Test("baggage: when a header repeats a key, the last value wins")
    func baggageRepeatedKey() throws {
        var context = InstrumentationContext.topLevel
        test.tracer.extract(["baggage": "user=1,tenant=blue,user=2"], into: &context, using: DictionaryExtractor())
        let baggage = try #require(context.baggage)
        #expect(baggage["user"] == "2")
        #expect(baggage.entries.map(\.key) == ["user", "tenant"])
    }

    @Test("tracestate sent as several header fields, joined by the carrier, arrives whole; a bad one costs only itself")
    func joinedTraceState() throws {
        func extracted(traceState: String) throws -> SpanContext {
            var context = InstrumentationContext.topLevel
            test.tracer.extract(
                [
                    "traceparent": "00-12345678901234567890123456789012-1234567890123456-00", "tracestate": traceState,
                ],
                into: &context,
                using: DictionaryExtractor()
            )
            return try #require(context.spanContext)
        }
        let whole = try extracted(traceState: "foo=1,bar=2, ,rojo=1,congo=2,baz=3,foo=4")
        #expect(whole.traceState.headerValue == "foo=1,bar=2,rojo=1,congo=2,baz=3")

        let spoilt = try extracted(traceState: "foo=1,@bar=2")
        #expect(spoilt.traceID == TraceID(hexString: "12345678901234567890123456789012"))
        #expect(spoilt.traceState.isEmpty)
    }
}
