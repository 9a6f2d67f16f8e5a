import OTLPExporter
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

    @Test("responses: empty means full success, partial_success is read")
    func responses() throws {
        #expect(try [UInt8]().withUnsafeBytes { try OTLPTraceDecoder.decodeResponse($0) } == nil)
        // partial_success{rejected_spans: 3, error_message: "bad"}
        let partial: [UInt8] = [0x08, 0x03, 0x12, 0x03] + Array("bad".utf8)
        let response: [UInt8] = [0x0A, UInt8(partial.count)] + partial
        let decoded = try response.withUnsafeBytes { try OTLPTraceDecoder.decodeResponse($0) }
        #expect(decoded == OTLPPartialSuccess(rejectedSpans: 3, errorMessage: "bad"))
    }
}
