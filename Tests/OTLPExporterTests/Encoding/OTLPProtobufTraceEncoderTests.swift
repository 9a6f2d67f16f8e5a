import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP trace encoder")
struct OTLPProtobufTraceEncoderTests {
    /// Encodes `spans` and returns each request's bytes (copied) and span count.
    private func encode(
        _ spans: [SpanData],
        with encoder: OTLPProtobufTraceEncoder = OTLPProtobufTraceEncoder()
    ) -> (requests: [(bytes: [UInt8], itemCount: Int)], result: OTLPEncodingResult) {
        var requests: [(bytes: [UInt8], itemCount: Int)] = []
        let result = encoder.encode(spans) { request in
            requests.append((Array(request.bytes), request.itemCount))
        }
        return (requests, result)
    }

    @Test("every field and value type survives encoding and decoding")
    func roundTripEveryField() throws {
        let rootResource = Resource(attributes: ["service.name": "root"])
        let plainScope = InstrumentationScope(name: "")
        var spans = [SpanFixtures.fullSpan(index: 1)]
        // A root span with unset status, zero timestamps and no optional data.
        spans.append(
            SpanData(
                context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(.max)),
                name: "",
                startTimeUnixNano: 0,
                endTimeUnixNano: 0,
                resource: rootResource,
                instrumentationScope: plainScope
            )
        )
        // A local parent, every kind, and OK status with and without a message.
        let kinds: [SpanKind] = [.internal, .server, .client, .producer, .consumer]
        for (index, kind) in kinds.enumerated() {
            spans.append(
                SpanData(
                    context: SpanContext(traceID: TraceID(high: 0, low: 1), spanID: SpanID(UInt64(100 + index))),
                    parentSpanContext: SpanContext(traceID: TraceID(high: 0, low: 1), spanID: SpanID(99)),
                    name: "kind \(index)",
                    kind: kind,
                    startTimeUnixNano: UInt64.max - 1,
                    endTimeUnixNano: .max,
                    status: index.isMultiple(of: 2) ? SpanStatus(code: .ok) : SpanStatus(code: .ok, message: "fine"),
                    resource: rootResource,
                    instrumentationScope: plainScope
                )
            )
        }

        let (requests, result) = encode(spans)
        #expect(result.requestCount == 1)
        #expect(result.encodedSpanCount == spans.count)
        #expect(result.oversizedSpans.isEmpty)
        let decoded = try OTLPTraceDecoder.decodeRequest(requests[0].bytes)
        #expect(decoded == spans)
        // Equality of Resource is by value; check the attributes explicitly for a clearer failure.
        #expect(decoded[0].resource.attributes == SpanFixtures.resource.attributes)
        #expect(decoded[0].attributes == SpanFixtures.everyValue)
    }

    @Test("span flags carry the W3C flags and whether the parent and links are remote")
    func spanFlagBits() throws {
        let span = SpanFixtures.fullSpan()
        let (requests, _) = encode([span])
        let decoded = try OTLPTraceDecoder.decodeRequest(requests[0].bytes)[0]
        #expect(decoded.context.traceFlags == [.sampled, .random])
        #expect(decoded.parentIsRemote)
        #expect(decoded.links.map(\.context.isRemote) == [true, false])
        #expect(decoded.links[0].context.traceFlags == .sampled)
    }

    @Test("spans are grouped one ResourceSpans per resource and one ScopeSpans per scope, order kept")
    func grouping() throws {
        let resources = [Resource(attributes: ["service.name": "a"]), Resource(attributes: ["service.name": "b"])]
        let scopes = [
            InstrumentationScope(name: "x"), InstrumentationScope(name: "y", version: "2"),
            InstrumentationScope(name: "z"),
        ]
        // Interleaved, so grouping has to move spans; an equal but distinct Resource joins its twin.
        var spans: [SpanData] = []
        for index in 0..<60 {
            let resource = index % 7 == 0 ? Resource(attributes: ["service.name": "a"]) : resources[index % 2]
            spans.append(SpanFixtures.workloadSpan(index: index, resource: resource, scope: scopes[index % 3]))
        }

        let (requests, _) = encode(spans)
        #expect(requests.count == 1)
        let decoded = try OTLPTraceDecoder.decodeRequest(requests[0].bytes)
        #expect(decoded.count == spans.count)

        // Decoded order is: resource a (first seen) then b; within each, scopes in first-seen order.
        var expected: [SpanData] = []
        for resource in resources {
            let ofResource = spans.filter { $0.resource == resource }
            var scopeOrder: [InstrumentationScope] = []
            for span in ofResource where !scopeOrder.contains(span.instrumentationScope) {
                scopeOrder.append(span.instrumentationScope)
            }
            for scope in scopeOrder {
                expected += ofResource.filter { $0.instrumentationScope == scope }
            }
        }
        #expect(decoded.map(\.context.spanID) == expected.map(\.context.spanID))

        // One Resource object per ResourceSpans and one scope object per ScopeSpans.
        let decodedResources = decoded.map { ObjectIdentifier($0.resource) }
        #expect(Set(decodedResources).count == 2)
        let decodedGroups = Set(
            decoded.map { [ObjectIdentifier($0.resource), ObjectIdentifier($0.instrumentationScope)] }
        )
        #expect(decodedGroups.count == 6)
    }

    @Test("a batch over the limit is split into requests under it, every span exactly once")
    func splitting() throws {
        let resources = [Resource(attributes: ["service.name": "a"]), Resource(attributes: ["service.name": "b"])]
        let scopes = [InstrumentationScope(name: "x"), InstrumentationScope(name: "y")]
        let spans = (0..<500).map {
            SpanFixtures.workloadSpan(index: $0, resource: resources[$0 / 250], scope: scopes[($0 / 50) % 2])
        }
        let wholeRequest = encode(spans).requests[0].bytes
        let whole = wholeRequest.count
        // The split requests, in order, carry the spans in the grouped order of the whole request.
        let grouped = try OTLPTraceDecoder.decodeRequest(wholeRequest)

        for limit in [700, 1_000, 4_096, 10_000, whole / 3, whole - 1] {
            let encoder = OTLPProtobufTraceEncoder(maximumRequestBytes: limit)
            let (requests, result) = encode(spans, with: encoder)
            #expect(requests.count > 1, "limit \(limit)")
            #expect(result.requestCount == requests.count)
            #expect(result.encodedSpanCount == spans.count)
            #expect(result.oversizedSpans.isEmpty)
            var union: [SpanData] = []
            for request in requests {
                #expect(request.bytes.count <= limit, "limit \(limit)")
                let decoded = try OTLPTraceDecoder.decodeRequest(request.bytes)
                #expect(decoded.count == request.itemCount)
                union += decoded
            }
            #expect(union.map(\.context.spanID) == grouped.map(\.context.spanID), "limit \(limit)")
            #expect(union.elementsEqual(grouped), "limit \(limit)")
        }
    }

    @Test("runs are cut at the preferred size; a span over it but under the limit goes alone")
    func preferredSize() throws {
        var spans = (0..<40).map { SpanFixtures.workloadSpan(index: $0) }
        spans.insert(SpanFixtures.payloadSpan(named: "large", id: 778, payloadBytes: 3_000, like: spans[0]), at: 10)

        let encoder = OTLPProtobufTraceEncoder(maximumRequestBytes: 10_000, preferredRequestBytes: 1_000)
        let (requests, result) = encode(spans, with: encoder)
        #expect(result.oversizedSpans.isEmpty)
        #expect(result.encodedSpanCount == spans.count)
        let alone = requests.filter { $0.bytes.count > 1_000 }
        #expect(alone.count == 1)
        #expect(alone.first?.itemCount == 1)
        #expect((alone.first?.bytes.count ?? .max) <= 10_000)
        #expect(requests.count > 2)
        let union = try requests.flatMap { try OTLPTraceDecoder.decodeRequest($0.bytes) }
        #expect(union.map(\.context.spanID) == spans.map(\.context.spanID))

        // Alone in its batch, the large span still goes out, in one request.
        let (lone, loneResult) = encode([spans[10]], with: encoder)
        #expect(lone.count == 1 && loneResult.oversizedSpans.isEmpty && loneResult.encodedSpanCount == 1)
        #expect(try OTLPTraceDecoder.decodeRequest(lone[0].bytes).map(\.context.spanID) == [SpanID(778)])
    }

    @Test("a span too large for any request is reported, the rest still encoded")
    func oversizedSpan() throws {
        var spans = (0..<10).map { SpanFixtures.workloadSpan(index: $0) }
        spans.insert(SpanFixtures.payloadSpan(named: "huge", id: 777, payloadBytes: 5_000, like: spans[0]), at: 4)

        let encoder = OTLPProtobufTraceEncoder(maximumRequestBytes: 2_000)
        let (requests, result) = encode(spans, with: encoder)
        #expect(result.oversizedSpans.count == 1)
        #expect(result.oversizedSpans.first?.spanIndex == 4)
        #expect(result.oversizedSpans.first?.spanID == SpanID(777))
        #expect((result.oversizedSpans.first?.requestBytes ?? 0) > 2_000)
        #expect(result.encodedSpanCount == 10)
        let union = try requests.flatMap { try OTLPTraceDecoder.decodeRequest($0.bytes) }
        #expect(union.map(\.context.spanID) == spans.filter { $0.name != "huge" }.map(\.context.spanID))
        #expect(requests.allSatisfy { $0.bytes.count <= 2_000 })
    }

    @Test("one encoder serves batch after batch without mixing them up")
    func reuseAcrossBatches() throws {
        let encoder = OTLPProtobufTraceEncoder()
        for round in 0..<5 {
            let count = [512, 3, 1_000, 1, 64][round]
            let spans = (0..<count).map { SpanFixtures.workloadSpan(index: round * 10_000 + $0) }
            let (requests, _) = encode(spans, with: encoder)
            let decoded = try requests.flatMap { try OTLPTraceDecoder.decodeRequest($0.bytes) }
            #expect(decoded == spans, "round \(round)")
        }
    }

    @Test("consecutive spans that share some attributes each keep their own")
    func sharedAttributes() throws {
        let attributeLists: [[Attribute]] = [
            [Attribute("a", "x"), Attribute("zero", .double(0.0)), Attribute("n", 1)],
            [Attribute("a", "x"), Attribute("zero", .double(-0.0)), Attribute("n", 1)],
            [Attribute("a", "y"), Attribute("zero", .double(-0.0)), Attribute("n", 1), Attribute("extra", true)],
            [Attribute("b", "y"), Attribute("zero", .double(-0.0))],
            [Attribute("b", "y"), Attribute("zero", .double(-0.0)), Attribute("n", 2), Attribute("extra", true)],
            [],
            [Attribute("a", "x"), Attribute("zero", .double(0.0)), Attribute("n", 1)],
            // The same keys in another order, one value changed.
            [Attribute("n", 1), Attribute("zero", .double(0.0)), Attribute("a", "z")],
            [Attribute("zero", .double(0.0)), Attribute("a", "z"), Attribute("n", 1)],
        ]
        let spans = attributeLists.enumerated().map { index, attributes in
            SpanData(
                context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(UInt64(index + 1))),
                name: index.isMultiple(of: 3) ? "same" : "other \(index)",
                startTimeUnixNano: 1,
                endTimeUnixNano: 2,
                attributes: attributes,
                resource: SpanFixtures.resource,
                instrumentationScope: SpanFixtures.scope
            )
        }
        let (requests, _) = encode(spans)
        let decoded = try OTLPTraceDecoder.decodeRequest(requests[0].bytes)
        #expect(decoded.map(\.attributes) == attributeLists)
        #expect(decoded.map(\.name) == spans.map(\.name))
        // == calls 0.0 and -0.0 equal; the sign must survive all the same.
        let signs = decoded.map { span -> Bool? in
            if case .double(let value)? = span.attributes["zero"] { value.sign == .minus } else { nil }
        }
        #expect(signs == [false, true, true, true, true, nil, false, false, false])
    }

    @Test("an empty batch produces no request")
    func emptyBatch() {
        let (requests, result) = encode([])
        #expect(requests.isEmpty)
        #expect(result.requestCount == 0)
    }
}
