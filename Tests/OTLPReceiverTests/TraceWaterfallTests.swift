import Foundation
import OTLPReceiver
import OTelSDK
import Testing
import Tracing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Trace waterfall")
struct TraceWaterfallTests {
    private static let resource = Resource(attributes: ["service.name": "shop"])
    private static let scope = InstrumentationScope(name: "tests")

    private static func span(
        _ name: String,
        trace: UInt64 = 1,
        id: UInt64,
        parent: UInt64? = nil,
        startMilliseconds: UInt64,
        milliseconds: UInt64,
        kind: SpanKind = .internal,
        status: SpanStatus? = nil
    ) -> SpanData {
        let start = 1_000_000_000_000 + startMilliseconds * 1_000_000
        return SpanData(
            context: SpanContext(traceID: TraceID(high: 0, low: trace), spanID: SpanID(id), traceFlags: .sampled),
            parentSpanContext: parent.map { SpanContext(traceID: TraceID(high: 0, low: trace), spanID: SpanID($0)) },
            name: name,
            kind: kind,
            startTimeUnixNano: start,
            endTimeUnixNano: start + milliseconds * 1_000_000,
            attributes: [Attribute("note", .string("a < b & \"c\""))],
            status: status,
            resource: resource,
            instrumentationScope: scope
        )
    }

    /// Two traces, given out of order; one span's parent never arrived.
    private static let spans: [SpanData] = [
        span("child-late", id: 3, parent: 1, startMilliseconds: 50, milliseconds: 50, kind: .consumer),
        span("root", id: 1, startMilliseconds: 0, milliseconds: 100, kind: .server),
        span("grandchild", id: 4, parent: 2, startMilliseconds: 10, milliseconds: 10, status: SpanStatus(code: .error)),
        span("child-early", id: 2, parent: 1, startMilliseconds: 5, milliseconds: 20, kind: .producer),
        span("orphan", trace: 2, id: 9, parent: 77, startMilliseconds: 200, milliseconds: 40),
    ]

    @Test("spans become a tree per trace: parents first, siblings by start, missing parents make roots")
    func treeOrder() {
        let waterfall = TraceWaterfall(spans: Self.spans)
        #expect(waterfall.traces.count == 2)
        let first = waterfall.traces[0]
        #expect(first.rows.map(\.span.name) == ["root", "child-early", "grandchild", "child-late"])
        #expect(first.rows.map(\.depth) == [0, 1, 2, 1])
        #expect(first.durationNanoseconds == 100_000_000)
        #expect(waterfall.traces[1].rows.map(\.span.name) == ["orphan"])
        #expect(waterfall.traces[1].rows.map(\.depth) == [0])
    }

    @Test("the text waterfall places each bar on the trace's time line")
    func text() {
        let lines = TraceWaterfall(spans: Self.spans).text(barWidth: 20).split(separator: "\n").map(String.init)
        #expect(lines[0] == "trace 00000000000000000000000000000001 · 4 spans · 100.0 ms · service shop")
        // root covers the whole line; child-late starts half-way, for half of it.
        #expect(lines[1].hasSuffix("│" + String(repeating: "█", count: 20) + "│"))
        #expect(lines[4].hasSuffix("│" + String(repeating: " ", count: 10) + String(repeating: "█", count: 10) + "│"))
        #expect(lines[1].hasPrefix("root ") && lines[1].contains("SERVER") && lines[1].contains("100.0 ms"))
        #expect(lines[3].hasPrefix("  └ grandchild") && lines[3].hasSuffix("ERROR"))
        #expect(lines[4].hasPrefix("└ child-late") && lines[4].contains("CONSUMER"))
    }

    @Test("the HTML page is well-formed, self-contained, and has a row per span")
    func html() throws {
        let page = TraceWaterfall(spans: Self.spans).html(title: "Shop <traces>")
        let parser = XMLParser(data: Data(page.utf8))
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        for span in Self.spans {
            #expect(page.contains("data-span-id=\"\(span.context.spanID.hexString)\""))
        }
        #expect(page.contains("<title>Shop &lt;traces&gt;</title>"))
        #expect(page.contains("note = a &lt; b &amp; &quot;c&quot;"))
        #expect(
            !page.contains("http://") || page.components(separatedBy: "http://").count == 2,
            "only the XHTML namespace"
        )
        #expect(!page.contains("<script") && !page.contains("src="))
        #expect(page.contains("left: 50.00%; width: 50.00%"), "child-late's bar")
    }
}
