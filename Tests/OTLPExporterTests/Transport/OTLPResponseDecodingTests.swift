import Testing

@testable import OTLPExporter

@Suite("OTLP response decoding")
struct OTLPResponseDecodingTests {
    @Test("protobuf: an empty body is a full success; partial_success is read; other bytes are an error")
    func protobuf() throws {
        func decode(_ bytes: [UInt8]) throws -> OTLPPartialSuccess? {
            try bytes.withUnsafeBytes { bytes throws(OTLPResponseDecodingError) in
                try OTLPSignal.traces.partialSuccess(protobuf: bytes)
            }
        }
        #expect(try decode([]) == nil)
        // partial_success{rejected_spans: 3, error_message: "bad"}
        let partial: [UInt8] = [0x08, 0x03, 0x12, 0x03] + Array("bad".utf8)
        #expect(
            try decode([0x0A, UInt8(partial.count)] + partial) == OTLPPartialSuccess(rejected: 3, errorMessage: "bad")
        )
        #expect(throws: OTLPResponseDecodingError.self) { try decode([0x0A, 0x64]) }
    }

    @Test("JSON: the count as a string or a number; an empty body or {} is a full success")
    func json() throws {
        let signal = OTLPSignal.traces
        #expect(try signal.partialSuccess(json: []) == nil)
        #expect(try signal.partialSuccess(json: Array("{}".utf8)) == nil)
        let text = #"{"partialSuccess":{"rejectedSpans":"3","errorMessage":"old"}}"#
        #expect(
            try signal.partialSuccess(json: Array(text.utf8)) == OTLPPartialSuccess(rejected: 3, errorMessage: "old")
        )
        let number = #"{"partialSuccess":{"rejectedSpans":4}}"#
        #expect(
            try signal.partialSuccess(json: Array(number.utf8)) == OTLPPartialSuccess(rejected: 4, errorMessage: "")
        )
        #expect(throws: OTLPResponseDecodingError.self) { try signal.partialSuccess(json: Array("not json".utf8)) }
    }
}
