import FuzzDriver

@testable import OTLPExporter
@testable import OTLPReceiver

// Protobuf and JSON decoding of what crosses the wire: the export responses of both signals
// and their JSON form, google.rpc.Status, counting spans on the wire, log requests, and the
// receiver's whole request path (capped gunzip, protobuf-c or JSON into spans or log records).
// The first byte picks the path (its low 3 bits), and for some paths the signal (bits 3-4:
// traces, logs, metrics), JSON (0x40) and gzip (0x80).

private let receiverDecoder = RequestBodyDecoder(maximumBytes: 1 << 20, keepsSpans: true)

@main
enum Harness {
    static func main() { runFuzzer(fuzzOTLPDecoding) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLPDecoding(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size > 0 else { return 0 }
    let selector = data[0]
    let signal = [OTLPSignal.traces, .logs, .metrics][Int(selector >> 3 & 0x3) % 3]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch selector % 8 {
    case 0:
        _ = try? body.withUnsafeBytes { bytes throws(OTLPResponseDecodingError) in
            try signal.partialSuccess(protobuf: bytes)
        }
    case 1: _ = try? signal.partialSuccess(json: body)
    case 2: _ = GRPCStatus.retryDelay(detailsBase64: String(decoding: body, as: UTF8.self))
    case 3:
        // Counting walks any bytes; a request that decodes must count as many spans as it
        // has, and encode and decode back to the same spans.
        let counted = try? body.withUnsafeBytes { try OTLPTraceDecoder.countSpans(inRequest: $0) }
        if let spans = try? OTLPTraceDecoder.decodeRequest(body) {
            precondition(counted == spans.count, "counting disagrees with decoding")
            var encoded: [UInt8] = []
            OTLPProtobufTraceEncoder(maximumRequestBytes: .max).encode(spans) { encoded += $0.bytes }
            let again = (try? OTLPTraceDecoder.decodeRequest(encoded)) ?? []
            precondition(again.count == spans.count, "a decoded request did not survive encoding")
        }
    case 4: _ = receiverDecoder.decode(body, signal: signal, json: selector & 0x40 != 0, gzip: selector & 0x80 != 0)
    case 5:
        // A log request that decodes must encode and decode back to as many records.
        if let records = try? OTLPLogDecoder.decodeRequest(body) {
            var encoded: [UInt8] = []
            OTLPProtobufLogEncoder(maximumRequestBytes: .max).encode(records) { encoded += $0.bytes }
            let again = (try? OTLPLogDecoder.decodeRequest(encoded)) ?? []
            precondition(again.count == records.count, "a decoded log request did not survive encoding")
        }
    case 6:
        // A metric request that decodes must encode and decode back to as many data points.
        if let metrics = try? OTLPMetricDecoder.decodeRequest(body) {
            var encoded: [UInt8] = []
            OTLPProtobufMetricEncoder(maximumRequestBytes: .max).encode(metrics) { encoded += $0.bytes }
            let again = (try? OTLPMetricDecoder.decodeRequest(encoded)) ?? []
            precondition(
                again.reduce(0) { $0 + $1.points.count } == metrics.reduce(0) { $0 + $1.points.count },
                "a decoded metric request did not survive encoding"
            )
        }
    default:
        switch signal {
        case .logs: _ = try? OTLPLogDecoder.decodeJSONRequest(body)
        case .metrics: _ = try? OTLPMetricDecoder.decodeJSONRequest(body)
        default: _ = try? OTLPTraceDecoder.decodeJSONRequest(body)
        }
    }
    return 0
}
