/// How a receiver answers a decodable request: like a healthy collector, or like one of the
/// failing collectors an exporter must survive.
public indirect enum OTLPReceiverResponse: Sendable {
    /// Success: HTTP 200 or gRPC OK with an empty ExportTraceServiceResponse. The spans are kept.
    case accept
    /// Success with `partial_success` set. The spans are kept (the sender counts the rejected).
    case partialSuccess(rejected: Int64, message: String)
    /// An HTTP error status (OTLP/HTTP only; a gRPC request gets the matching gRPC code),
    /// with an optional `Retry-After` header value. The spans are not kept.
    case httpStatus(Int, retryAfter: String? = nil)
    /// A gRPC status in a trailers-only response (gRPC only; an HTTP request gets the matching
    /// HTTP status), with RetryInfo in grpc-status-details-bin when `retryDelay` is set.
    /// The spans are not kept.
    case grpcStatus(code: Int, message: String, retryDelay: Duration? = nil)
    /// The connection is closed without an answer. The spans are not kept.
    case closeConnection
    /// A broken gRPC answer (an HTTP request gets its connection closed). The spans are not kept.
    case grpcFault(OTLPReceiverGRPCFault)
    /// `response`, after `delay`.
    case delayed(Duration, OTLPReceiverResponse)
}
