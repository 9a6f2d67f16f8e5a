import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP JSON encoder")
struct OTLPJSONTraceEncoderTests {
    private func encode(_ spans: [SpanData]) throws -> [String: Any] {
        let bytes = OTLPJSONTraceEncoder().encode(spans)
        return try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("the OTLP JSON mapping: hex ids, integer enums, 64-bit integers as strings, lowerCamelCase")
    func mapping() throws {
        let json = try encode([SpanFixtures.fullSpan()])
        let resourceSpans = try #require((json["resourceSpans"] as? [[String: Any]])?.first)
        let resource = try #require(resourceSpans["resource"] as? [String: Any])
        #expect(resource["droppedAttributesCount"] as? Int == 2)
        #expect(resourceSpans["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.26.0")
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        let scope = try #require(scopeSpans["scope"] as? [String: Any])
        #expect(scope["name"] as? String == "fixtures.scope" && scope["version"] as? String == "1.2.3")
        let span = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        #expect(span["traceId"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(span["spanId"] as? String == "0000000000001001")
        #expect(span["parentSpanId"] as? String == "b7ad6b7169203331")
        #expect(span["traceState"] as? String == "rojo=00f067aa0ba902b7,tenant@vendor=x y")
        #expect(span["kind"] as? Int == 5)
        #expect(span["flags"] as? Int == 0x303)
        #expect(span["startTimeUnixNano"] as? String == "1700000000000000000")
        #expect(span["droppedAttributesCount"] as? Int == 5)
        #expect(span["droppedEventsCount"] as? Int == 6 && span["droppedLinksCount"] as? Int == 7)
        let status = try #require(span["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2 && status["message"] as? String == "payment declined")

        let attributes = try #require(span["attributes"] as? [[String: Any]])
        func value(_ key: String) -> [String: Any]? {
            attributes.first { $0["key"] as? String == key }?["value"] as? [String: Any]
        }
        #expect(value("string.unicode")?["stringValue"] as? String == "ünïcødé ✓ 日本語 🚀")
        #expect(value("int.min")?["intValue"] as? String == "-9223372036854775808")
        #expect(value("bool.false")?["boolValue"] as? Bool == false)
        #expect(value("double")?["doubleValue"] as? Double == 3.25)
        #expect(value("double.nan")?["doubleValue"] as? String == "NaN")
        #expect(value("double.negative.infinity")?["doubleValue"] as? String == "-Infinity")
        let strings = try #require((value("strings")?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(strings.compactMap { $0["stringValue"] as? String } == ["a", "", "ß"])

        let links = try #require(span["links"] as? [[String: Any]])
        #expect(links.map { $0["flags"] as? Int } == [0x301, 0x100])
        let events = try #require(span["events"] as? [[String: Any]])
        #expect(events.map { $0["name"] as? String } == ["ack", "exception"])
        #expect(events[1]["timeUnixNano"] as? String == "18446744073709551615")
    }

    @Test("strings are escaped")
    func escaping() throws {
        let nasty = "quote \" backslash \\ newline \n tab \t bell \u{7} end"
        let span = SpanData(
            context: SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3)),
            name: nasty,
            startTimeUnixNano: 1,
            endTimeUnixNano: 2,
            resource: Resource(attributes: ["service.name": .string(nasty)]),
            instrumentationScope: InstrumentationScope(name: "s")
        )
        let json = try encode([span])
        let resourceSpans = try #require((json["resourceSpans"] as? [[String: Any]])?.first)
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        let decoded = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        #expect(decoded["name"] as? String == nasty)
    }

    @Test("spans group by resource and scope")
    func grouping() throws {
        let resources = [Resource(attributes: ["service.name": "a"]), Resource(attributes: ["service.name": "b"])]
        let spans = (0..<6).map { SpanFixtures.workloadSpan(index: $0, resource: resources[$0 % 2]) }
        let json = try encode(spans)
        let resourceSpans = try #require(json["resourceSpans"] as? [[String: Any]])
        #expect(resourceSpans.count == 2)
        for entry in resourceSpans {
            let scopes = try #require(entry["scopeSpans"] as? [[String: Any]])
            #expect(scopes.count == 1)
            #expect((scopes[0]["spans"] as? [Any])?.count == 3)
        }
    }

    @Test("JSON requests decode back to the spans the encoder wrote, every field and value type")
    func requestRoundTrip() throws {
        let spans = [SpanFixtures.fullSpan(index: 1), SpanFixtures.fullSpan(index: 2)]
        let decoded = try OTLPTraceDecoder.decodeJSONRequest(OTLPJSONTraceEncoder().encode(spans))
        #expect(decoded.count == 2)
        for (sent, received) in zip(spans, decoded) {
            #expect(received.context == sent.context && received.parentSpanID == sent.parentSpanID)
            #expect(received.name == sent.name && received.kind == sent.kind && received.status == sent.status)
            #expect(
                received.startTimeUnixNano == sent.startTimeUnixNano && received.endTimeUnixNano == sent.endTimeUnixNano
            )
            #expect(received.events == sent.events && received.links == sent.links)
            #expect(received.resource == sent.resource && received.instrumentationScope == sent.instrumentationScope)
            // NaN is never equal to itself: compare the attributes by their descriptions.
            #expect(received.attributes.count == sent.attributes.count)
            let differing = zip(sent.attributes, received.attributes).filter { "\($0)" != "\($1)" }.map {
                "\($0.key) \($1.value)".prefix(80)
            }
            #expect(differing.isEmpty)
        }
    }

    @Test("JSON requests in the other forms the mapping allows: integers as numbers, enums by name, nulls")
    func requestAlternativeForms() throws {
        let text = #"""
            {"resourceSpans":[{"resource":null,"scopeSpans":[{"scope":{"name":"s"},"spans":[{
              "traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","parentSpanId":"",
              "name":"n","kind":"SPAN_KIND_CONSUMER","startTimeUnixNano":1700000000000000001,
              "endTimeUnixNano":"18446744073709551615","status":{"code":"STATUS_CODE_ERROR","message":"m"},
              "attributes":[
                {"key":"number","value":{"intValue":9007199254740993}},
                {"key":"whole double","value":{"doubleValue":2}},
                {"key":"infinity","value":{"doubleValue":"-Infinity"}},
                {"key":"flag","value":{"boolValue":true}}
              ],
              "events":null,"links":[],"unknownField":{"ignored":[1,2.5,"x"]}
            }]}]}]}
            """#
        let span = try #require(try OTLPTraceDecoder.decodeJSONRequest(Array(text.utf8)).first)
        #expect(span.kind == .consumer && span.parentSpanID == nil && span.events.isEmpty)
        #expect(span.status == SpanStatus(code: .error, message: "m"))
        // Integers keep every digit, beyond what a double holds.
        #expect(span.startTimeUnixNano == 1_700_000_000_000_000_001 && span.endTimeUnixNano == .max)
        #expect(
            span.attributes == [
                Attribute("number", .int(9_007_199_254_740_993)), Attribute("whole double", .double(2)),
                Attribute("infinity", .double(-.infinity)), Attribute("flag", true),
            ]
        )
        for malformed in [
            #"{"resourceSpans":{}}"#, #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":1.5}]}]}]}"#, "[]", "{",
        ] {
            #expect(throws: OTLPDecodingError.self) { try OTLPTraceDecoder.decodeJSONRequest(Array(malformed.utf8)) }
        }
    }

    /// The requests `encoder` cuts `spans` into, copied, with what it reports.
    private func requests(
        _ spans: [SpanData],
        with encoder: OTLPJSONTraceEncoder
    ) -> (requests: [(bytes: [UInt8], itemCount: Int)], result: OTLPEncodingResult) {
        var requests: [(bytes: [UInt8], itemCount: Int)] = []
        let result = encoder.encode(spans) { requests.append((Array($0.bytes), $0.itemCount)) }
        return (requests, result)
    }

    @Test("a batch over the limit is split into JSON requests under it, every span exactly once")
    func splitting() throws {
        let resources = [
            Resource(attributes: ["service.name": "a"], schemaURL: "https://opentelemetry.io/schemas/1.26.0"),
            Resource(attributes: ["service.name": "b"]),
        ]
        let scopes = [
            InstrumentationScope(name: "x", schemaURL: "https://example.com/\"quoted\""),
            InstrumentationScope(name: "y"),
        ]
        let spans = (0..<200).map {
            SpanFixtures.workloadSpan(index: $0, resource: resources[$0 / 100], scope: scopes[($0 / 20) % 2])
        }
        let whole = OTLPJSONTraceEncoder().encode(spans)
        // The split requests, in order, carry the spans in the grouped order of the whole request.
        let grouped = try OTLPTraceDecoder.decodeJSONRequest(whole)

        for limit in [2_000, 4_096, 10_000, whole.count / 3, whole.count - 1] {
            let (requests, result) = requests(spans, with: OTLPJSONTraceEncoder(maximumRequestBytes: limit))
            #expect(requests.count > 1, "limit \(limit)")
            #expect(result.requestCount == requests.count && result.encodedSpanCount == spans.count)
            #expect(result.oversizedSpans.isEmpty)
            var union: [SpanData] = []
            for request in requests {
                #expect(request.bytes.count <= limit, "limit \(limit)")
                let decoded = try OTLPTraceDecoder.decodeJSONRequest(request.bytes)
                #expect(decoded.count == request.itemCount)
                union += decoded
            }
            #expect(union.map(\.context.spanID) == grouped.map(\.context.spanID), "limit \(limit)")
            #expect(union.elementsEqual(grouped), "limit \(limit)")
        }

        // A limit the whole batch fits exactly: one request, the same bytes as unsplit.
        let (exact, _) = requests(spans, with: OTLPJSONTraceEncoder(maximumRequestBytes: whole.count))
        #expect(exact.count == 1 && exact.first?.bytes == whole)
    }

    @Test("a span too large for any JSON request is reported, the rest still encoded")
    func oversizedSpan() throws {
        var spans = (0..<10).map { SpanFixtures.workloadSpan(index: $0) }
        spans.insert(SpanFixtures.payloadSpan(named: "huge", id: 777, payloadBytes: 5_000, like: spans[0]), at: 4)

        let (requests, result) = requests(spans, with: OTLPJSONTraceEncoder(maximumRequestBytes: 3_000))
        #expect(result.oversizedSpans.count == 1)
        #expect(result.oversizedSpans.first?.spanIndex == 4 && result.oversizedSpans.first?.spanID == SpanID(777))
        #expect((result.oversizedSpans.first?.requestBytes ?? 0) > 5_000)
        #expect(result.oversizedSpans.first?.maximumRequestBytes == 3_000)
        #expect(result.encodedSpanCount == 10 && result.requestCount == requests.count)
        #expect(requests.allSatisfy { $0.bytes.count <= 3_000 })
        let union = try requests.flatMap { try OTLPTraceDecoder.decodeJSONRequest($0.bytes) }
        #expect(union.map(\.context.spanID) == spans.filter { $0.name != "huge" }.map(\.context.spanID))
    }

    @Test("an empty batch produces no JSON request; the whole-batch body is still an empty request")
    func emptyBatch() throws {
        let (requests, result) = requests([], with: OTLPJSONTraceEncoder())
        #expect(
            requests.isEmpty && result.requestCount == 0 && result.encodedSpanCount == 0
                && result.oversizedSpans.isEmpty
        )
        #expect(OTLPJSONTraceEncoder().encode([]) == Array(#"{"resourceSpans":[]}"#.utf8))
    }
}
