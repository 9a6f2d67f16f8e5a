import FuzzDriver

@testable import OTLPExporter

// Collector answers: gRPC trailer parsing (grpc-status, percent-encoded grpc-message, base64
// google.rpc.Status with RetryInfo), the length-prefixed response message, and an HTTP
// answer's Retry-After (seconds or an HTTP date). The input's first line is the header
// fields ("name: value" separated by "|"), the rest the response body.

@main
enum Harness {
    static func main() { runFuzzer(fuzzGRPCResponse) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGRPCResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let trailerText = String(decoding: bytes[..<newline], as: UTF8.self)
    var headers: [String: String] = [:]
    for field in trailerText.split(separator: "|") {
        guard let colon = field.firstIndex(of: ":") else { continue }
        headers[field[..<colon].lowercased()] = String(field[field.index(after: colon)...])
    }
    if let status = GRPCStatus(headers: headers) {
        _ = status.isRetryable
        _ = status.description
    }
    if let retryAfter = headers["retry-after"] {
        _ = RetryPolicy.delay(retryAfter: retryAfter)
    }
    let body = Array(bytes[min(newline + 1, bytes.endIndex)...])
    // A body that inflates past the limit is an error, not a crash.
    _ = try? OTLPGRPCSender.partialSuccess(
        in: body,
        of: .traces,
        maximumResponseBytes: OTLPSpanExporter.defaultMaximumResponseBytes
    )
    return 0
}
