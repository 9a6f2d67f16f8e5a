import COTLPProto
import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The status a gRPC call ended with: `grpc-status`, `grpc-message` and, when the server sent
/// `grpc-status-details-bin`, the delay its google.rpc.RetryInfo asks for.
struct GRPCStatus: Error, CustomStringConvertible {
    let code: Int
    let message: String
    let retryDelay: Duration?

    /// Reads the status from a response's headers and trailers; nil when there is none.
    init?(headers: [String: String]) {
        guard let text = headers["grpc-status"], let code = Int(text) else { return nil }
        self.code = code
        // grpc-message is percent-encoded (gRPC over HTTP/2 specification).
        let raw = headers["grpc-message"] ?? ""
        self.message = PercentEncoding.decode(raw) ?? raw
        self.retryDelay = headers["grpc-status-details-bin"].flatMap(Self.retryDelay(detailsBase64:))
    }

    /// Codes the OTLP specification calls retryable: CANCELLED, DEADLINE_EXCEEDED, ABORTED,
    /// OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS; RESOURCE_EXHAUSTED only when the server sent a
    /// RetryInfo (it can recover).
    var isRetryable: Bool {
        switch code {
        case GRPCStatusCode.cancelled, GRPCStatusCode.deadlineExceeded, GRPCStatusCode.aborted,
            GRPCStatusCode.outOfRange, GRPCStatusCode.unavailable, GRPCStatusCode.dataLoss:
            true
        case GRPCStatusCode.resourceExhausted: retryDelay != nil
        default: false
        }
    }

    var description: String {
        "gRPC status \(code)\(message.isEmpty ? "" : ": \(message)")"
    }

    /// The RetryInfo delay inside a base64 google.rpc.Status (padding optional).
    static func retryDelay(detailsBase64 text: String) -> Duration? {
        var base64 = String(text.trimmingWhitespace())
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return data.withUnsafeBytes { bytes -> Duration? in
            GoogleRPCStatus.withUnpacked(bytes) { status in
                for index in 0..<status.pointee.n_details {
                    guard let detail = status.pointee.details[index],
                        String(cString: detail.pointee.type_url).hasSuffix("/google.rpc.RetryInfo"),
                        let info = google__rpc__retry_info__unpack(
                            nil,
                            detail.pointee.value.len,
                            detail.pointee.value.data
                        )
                    else { continue }
                    defer { google__rpc__retry_info__free_unpacked(info, nil) }
                    guard let delay = info.pointee.retry_delay else { return nil }
                    return .seconds(delay.pointee.seconds) + .nanoseconds(Int64(delay.pointee.nanos))
                }
                return nil
            }
        }
    }
}
