import COTLPProto
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

/// The encoder packs each span attribute as a KeyValue of its own and copies those bytes into
/// the spans that have it (proto/otlp_prepacked/v1/prepacked_trace.proto). Its requests must
/// still be, byte for byte, what protobuf-c packs for OTLP's own messages.
@Suite("Prepacked span attributes")
struct PrepackedAttributesTests {
    /// Unpacks `bytes` with OTLP's own ExportTraceServiceRequest descriptor and packs the result
    /// again with it.
    private func repackedAsOTLP(_ bytes: [UInt8]) throws -> [UInt8] {
        let request = try #require(
            bytes.withUnsafeBufferPointer {
                opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack(
                    nil,
                    $0.count,
                    $0.baseAddress
                )
            }
        )
        defer { opentelemetry__proto__collector__trace__v1__export_trace_service_request__free_unpacked(request, nil) }
        let size = opentelemetry__proto__collector__trace__v1__export_trace_service_request__get_packed_size(request)
        var repacked = [UInt8](repeating: 0, count: size)
        let written = repacked.withUnsafeMutableBufferPointer {
            opentelemetry__proto__collector__trace__v1__export_trace_service_request__pack(request, $0.baseAddress)
        }
        #expect(written == size)
        return repacked
    }

    private func encodedRequests(_ spans: [SpanData]) -> [[UInt8]] {
        var requests: [[UInt8]] = []
        OTLPProtobufTraceEncoder().encode(spans) { requests.append(Array($0.bytes)) }
        return requests
    }

    @Test("spans sharing attributes, and spans with their own, pack as OTLP's messages do")
    func sameBytesAsOTLPMessages() throws {
        var spans = (0..<20).map { SpanFixtures.workloadSpan(index: $0) }
        // Every value type, arrays included; then a value of 200 bytes, whose KeyValue needs a
        // two-byte length.
        spans.append(SpanFixtures.fullSpan(index: 1))
        spans.append(SpanFixtures.fullSpan(index: 2))
        spans.append(
            SpanFixtures.payloadSpan(named: "long value", id: 77, payloadBytes: 200, like: spans[0])
        )
        spans += (20..<40).map { SpanFixtures.workloadSpan(index: $0) }
        let requests = encodedRequests(spans)
        #expect(requests.count == 1)
        for request in requests {
            #expect(try repackedAsOTLP(request) == request)
        }
    }

    @Test("an attribute is packed once and its bytes shared by the spans that have it")
    func sharedAttributeBytesAreRepeated() throws {
        let spans = (0..<50).map { SpanFixtures.workloadSpan(index: $0) }
        let request = try #require(encodedRequests(spans).first)
        // KeyValue{key = "messaging.system", value = AnyValue{string_value = "kafka"}}, as the
        // span's field 9.
        let key = Array("messaging.system".utf8)
        let value = Array("kafka".utf8)
        let anyValue = [0x0A, UInt8(value.count)] + value
        let keyValue = [0x0A, UInt8(key.count)] + key + [0x12, UInt8(anyValue.count)] + anyValue
        let field = [0x4A, UInt8(keyValue.count)] + keyValue
        #expect(occurrences(of: field, in: request) == 50)
        #expect(try OTLPTraceDecoder.decodeRequest(request) == spans)
    }

    private func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard needle.count <= haystack.count else { return 0 }
        return (0...(haystack.count - needle.count)).count { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    @Test("strings that Swift calls equal but whose bytes differ each keep their own bytes")
    func canonicallyEquivalentStringsKeepTheirBytes() throws {
        // Swift's == compares strings by Unicode canonical equivalence: "é" as one scalar and as
        // "e" with a combining accent are ==, but they are different UTF-8 bytes on the wire.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        // Keys of the same length in bytes, canonically equivalent: D with a dot below and a dot above.
        let firstKey = "\u{1E0B}\u{0323}"
        let secondKey = "\u{1E0D}\u{0307}"
        let attributeLists: [[Attribute]] = [
            [
                Attribute("menu", .string(composed)), Attribute(firstKey, 1),
                Attribute("items", .stringArray([composed])),
            ],
            [
                Attribute("menu", .string(decomposed)), Attribute(secondKey, 1),
                Attribute("items", .stringArray([decomposed])),
            ],
        ]
        let spans = attributeLists.enumerated().map { index, attributes in
            SpanData(
                context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(UInt64(index + 1))),
                name: index == 0 ? composed : decomposed,
                startTimeUnixNano: 1,
                endTimeUnixNano: 2,
                attributes: attributes,
                events: [SpanData.Event(name: index == 0 ? composed : decomposed, timeUnixNano: 1)],
                resource: SpanFixtures.resource,
                instrumentationScope: SpanFixtures.scope
            )
        }
        let request = try #require(encodedRequests(spans).first)
        let decoded = try OTLPTraceDecoder.decodeRequest(request)
        func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
        for (span, attributes) in zip(decoded, attributeLists) {
            #expect(span.attributes.map { bytes($0.key) } == attributes.map { bytes($0.key) })
            for (decodedAttribute, attribute) in zip(span.attributes, attributes) {
                switch (decodedAttribute.value, attribute.value) {
                case (.string(let got), .string(let sent)): #expect(bytes(got) == bytes(sent))
                case (.stringArray(let got), .stringArray(let sent)): #expect(got.map(bytes) == sent.map(bytes))
                default: break
                }
            }
        }
        #expect(decoded.map { bytes($0.name) } == spans.map { bytes($0.name) })
        #expect(decoded.map { $0.events.map { bytes($0.name) } } == spans.map { $0.events.map { bytes($0.name) } })
    }
}
