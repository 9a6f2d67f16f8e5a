import OTelSDK
import Testing
import Tracing

@Suite("Span limits")
struct SpanLimitsTests {
    @Test("attributes over the count limit are dropped and counted; updates of kept keys still apply")
    func attributeCount() throws {
        let test = TestProvider(spanLimits: SpanLimits(attributeCountLimit: 2))
        let span = test.tracer.startSpan("limited")
        span.setAttribute("a", 1)
        span.setAttribute("b", 2)
        span.setAttribute("c", 3)
        span.updateAttributes { $0["d"] = 4 }
        span.setAttribute("a", 10)
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.attributes.count == 2)
        #expect(data.attributes["a"] == .int(10))
        #expect(data.attributes["b"] == .int(2))
        #expect(data.droppedAttributeCount == 2)
    }

    @Test("string values and string array elements are cut to the length limit")
    func valueLength() throws {
        let test = TestProvider(spanLimits: SpanLimits(attributeValueLengthLimit: 3))
        let span = test.tracer.startSpan("limited")
        span.setAttribute("s", "abcdef")
        span.setAttribute("unicode", "日本語テキスト")
        span.setAttribute("array", .stringArray(["abcd", "ab"]))
        span.setAttribute("int", 123_456)
        span.addEvent(SpanEvent(name: "e", attributes: ["long": "wxyz"]))
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.attributes["s"] == "abc")
        #expect(data.attributes["unicode"] == "日本語")
        #expect(data.attributes["array"] == .stringArray(["abc", "ab"]))
        #expect(data.attributes["int"] == .int(123_456))
        #expect(data.events[0].attributes["long"] == "wxy")
    }

    @Test("events, links and their attributes have their own limits")
    func eventsAndLinks() throws {
        let test = TestProvider(
            spanLimits: SpanLimits(
                eventCountLimit: 2,
                linkCountLimit: 1,
                attributePerEventCountLimit: 1,
                attributePerLinkCountLimit: 0
            )
        )
        let tracer = test.tracer
        let other = tracer.startSpan("other")
        let span = tracer.startSpan("limited")
        for index in 0..<5 {
            span.addEvent(SpanEvent(name: "e\(index)", attributes: ["x": 1, "y": 2]))
        }
        span.addLink(SpanLink(context: other.context, attributes: ["k": "v"]))
        span.addLink(SpanLink(context: other.context, attributes: [:]))
        span.end()
        let data = try #require(test.spans.first)
        #expect(data.events.map(\.name) == ["e0", "e1"])
        #expect(data.droppedEventCount == 3)
        #expect(data.events.allSatisfy { $0.attributes.count == 1 && $0.droppedAttributeCount == 1 })
        #expect(data.links.count == 1)
        #expect(data.droppedLinkCount == 1)
        #expect(data.links[0].attributes.isEmpty && data.links[0].droppedAttributeCount == 1)
    }

    @Test("limits come from the environment, span-specific variables over general ones")
    func environment() {
        let limits = SpanLimits(
            environment: OTelEnvironment([
                "OTEL_ATTRIBUTE_COUNT_LIMIT": "10",
                "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT": "20",
                "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "30",
                "OTEL_SPAN_EVENT_COUNT_LIMIT": "4",
                "OTEL_SPAN_LINK_COUNT_LIMIT": "5",
                "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT": "6",
                "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT": "7",
            ])
        )
        #expect(
            limits
                == SpanLimits(
                    attributeCountLimit: 20,
                    attributeValueLengthLimit: 30,
                    eventCountLimit: 4,
                    linkCountLimit: 5,
                    attributePerEventCountLimit: 6,
                    attributePerLinkCountLimit: 7
                )
        )
        // The general attribute count limit is the fallback for events and links too.
        #expect(
            SpanLimits(environment: OTelEnvironment(["OTEL_ATTRIBUTE_COUNT_LIMIT": "10"]))
                == SpanLimits(
                    attributeCountLimit: 10,
                    attributePerEventCountLimit: 10,
                    attributePerLinkCountLimit: 10
                )
        )
        // Bad values are reported and the defaults used.
        let bad = SpanLimits(
            environment: OTelEnvironment([
                "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT": "-1", "OTEL_SPAN_EVENT_COUNT_LIMIT": "many",
                "OTEL_SPAN_LINK_COUNT_LIMIT": "",
            ])
        )
        #expect(bad == SpanLimits())
    }
}
