import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

@Suite("OTLP trace decoder")
struct OTLPTraceDecoderTests {
    @Test("bytes that are not protobuf are refused with a typed error")
    func malformedRequest() {
        // Field 1, wire type 2, announcing 100 bytes that are not there.
        #expect(throws: OTLPDecodingError.malformedMessage("ExportTraceServiceRequest")) {
            try OTLPTraceDecoder.decodeRequest([0x0A, 0x64, 0x01])
        }
    }

    @Test("an id of the wrong length is refused")
    func wrongIDLength() {
        // ExportTraceServiceRequest{resource_spans{scope_spans{spans{trace_id: 3 bytes}}}}
        let span: [UInt8] = [0x0A, 0x03, 0x01, 0x02, 0x03]
        let scopeSpans: [UInt8] = [0x12, UInt8(span.count)] + span
        let resourceSpans: [UInt8] = [0x12, UInt8(scopeSpans.count)] + scopeSpans
        let request: [UInt8] = [0x0A, UInt8(resourceSpans.count)] + resourceSpans
        #expect(throws: OTLPDecodingError.invalidID(field: "trace_id", byteCount: 3)) {
            try OTLPTraceDecoder.decodeRequest(request)
        }
    }

    private static func count(_ bytes: [UInt8]) throws -> Int {
        try bytes.withUnsafeBytes { try OTLPTraceDecoder.countSpans(inRequest: $0) }
    }

    @Test("counting walks the wire format and agrees with decoding")
    func countingAgreesWithDecoding() throws {
        let resources = [Resource(attributes: ["service.name": "a"]), Resource(attributes: ["service.name": "b"])]
        let scopes = [InstrumentationScope(name: "x"), InstrumentationScope(name: "y", version: "1")]
        let spans = (0..<37).map {
            SpanFixtures.workloadSpan(index: $0, resource: resources[$0 % 2], scope: scopes[($0 / 3) % 2])
        }
        var request: [UInt8] = []
        OTLPProtobufTraceEncoder().encode(spans) { request = Array($0.bytes) }
        #expect(try Self.count(request) == 37)
        #expect(try Self.count([]) == 0)

        // Mutated requests: whatever protobuf-c decodes, counting accepts with the same count.
        var generator = SplitMix64(seed: 0x5EED)
        var decodedMutations = 0
        for _ in 0..<3_000 {
            var mutated = request
            for _ in 0..<Int(generator.next() % 3 + 1) {
                let index = Int(generator.next() % UInt64(mutated.count))
                mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 {
                mutated.removeLast(Int(generator.next() % UInt64(mutated.count)))
            }
            guard let decoded = try? OTLPTraceDecoder.decodeRequest(mutated) else { continue }
            decodedMutations += 1
            #expect(try Self.count(mutated) == decoded.count)
        }
        #expect(decodedMutations > 100)
    }

    @Test("counting refuses broken framing with a typed error")
    func countingRefusesBrokenFraming() {
        let refusals: [(String, [UInt8])] = [
            ("a length past the end", [0x0A, 0x64, 0x01]),
            ("a varint that never ends", [0x08] + Array(repeating: 0xFF, count: 11)),
            ("a group (wire type 3)", [0x0B, 0x0C]),
            ("resource_spans as a varint", [0x08, 0x01]),
            ("a span whose own fields are cut", [0x0A, 0x06, 0x12, 0x04, 0x12, 0x02, 0x0A, 0x05]),
        ]
        for (name, bytes) in refusals {
            #expect(throws: OTLPDecodingError.malformedMessage("ExportTraceServiceRequest"), "\(name)") {
                try Self.count(bytes)
            }
        }
    }

    private static func decodeNewerSenderRequest(_ encoding: String) throws -> [SpanData] {
        encoding == "JSON"
            ? try OTLPTraceDecoder.decodeJSONRequest(NewerSenderRequest.json)
            : try OTLPTraceDecoder.decodeRequest(NewerSenderRequest.protobuf)
    }

    @Test(
        "attributes that point into the profiles string table are dropped and counted, not read as empty; the span is kept",
        arguments: ["protobuf", "JSON"]
    )
    func profilesStringTableReferences(encoding: String) throws {
        let spans = try Self.decodeNewerSenderRequest(encoding)
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.context.traceID == TraceID(hexString: NewerSenderRequest.traceIDHex))
        #expect(span.name == "checkout" && span.kind == .server)
        // The key-only and value-only references, and the array holding one, are gone; the
        // one that also has a key keeps it.
        #expect(span.attributes == [Attribute("http.request.method", "GET"), Attribute("retries", .int(5))])
        #expect(span.droppedAttributeCount == 1 + 3)
        #expect(span.events.map(\.attributes) == [[]] && span.events.map(\.droppedAttributeCount) == [1])
        #expect(span.links.map(\.attributes) == [[]] && span.links.map(\.droppedAttributeCount) == [1])
        #expect(
            span.resource.attributes == [
                Attribute("service.name", "newer-sender"), Attribute("host.id", "h-1"),
                Attribute("host.name", "build-7"),
            ]
        )
        #expect(span.resource.droppedAttributeCount == 1)
        #expect(span.instrumentationScope.name == "newer-library")
    }

    @Test(
        "each resource's entity references are kept, and the string-table references counted",
        arguments: ["protobuf", "JSON"]
    )
    func entityReferences(encoding: String) throws {
        let decoded =
            encoding == "JSON"
            ? try OTLPTraceDecoder.decodeFullJSONRequest(NewerSenderRequest.json)
            : try OTLPTraceDecoder.decodeFullRequest(NewerSenderRequest.protobuf)
        let resource = try #require(decoded.resources.first)
        #expect(decoded.resources.count == 1 && decoded.spans.count == 1)
        #expect(resource.resource === decoded.spans.first?.resource)
        #expect(
            resource.entityRefs == [
                OTLPTraceDecoder.EntityRef(
                    schemaURL: NewerSenderRequest.serviceSchemaURL,
                    type: "service",
                    idKeys: ["service.name"]
                ),
                OTLPTraceDecoder.EntityRef(type: "host", idKeys: ["host.id"], descriptionKeys: ["host.name"]),
            ]
        )
        #expect(decoded.profilesStringTableReferenceCount == NewerSenderRequest.stringTableReferenceCount)
    }

    @Test("a resource without spans is listed with its entity references")
    func entityReferencesWithoutSpans() throws {
        // resource_spans{resource{attributes{service.name: "idle"}, entity_refs{type: "service", id_keys: "service.name"}}}
        let attribute =
            ProtobufField.string(1, "service.name") + ProtobufField.lengthDelimited(2, ProtobufField.string(1, "idle"))
        let entity = ProtobufField.string(2, "service") + ProtobufField.string(3, "service.name")
        let resource = ProtobufField.lengthDelimited(1, attribute) + ProtobufField.lengthDelimited(3, entity)
        let decoded = try OTLPTraceDecoder.decodeFullRequest(
            ProtobufField.lengthDelimited(1, ProtobufField.lengthDelimited(1, resource))
        )
        #expect(decoded.spans.isEmpty && decoded.profilesStringTableReferenceCount == 0)
        #expect(
            decoded.resources.map(\.entityRefs) == [
                [OTLPTraceDecoder.EntityRef(type: "service", idKeys: ["service.name"])]
            ]
        )
        #expect(decoded.resources.first?.resource.attributes == [Attribute("service.name", "idle")])
    }
}
