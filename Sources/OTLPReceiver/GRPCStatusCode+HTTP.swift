import NIOHTTP1
import OTLPExporter

/// How the receiver translates between gRPC codes and HTTP statuses when a test asks one
/// transport for the other's answer.
extension GRPCStatusCode {
    /// The HTTP status an OTLP/HTTP request gets for a gRPC code a test asked for.
    static func httpStatus(forGRPCCode code: Int) -> HTTPResponseStatus {
        switch code {
        case invalidArgument: .badRequest
        case resourceExhausted: .tooManyRequests
        case unimplemented: .notFound
        case unavailable: .serviceUnavailable
        case deadlineExceeded: .gatewayTimeout
        default: .internalServerError
        }
    }

    /// The gRPC code for an HTTP status, per gRPC's "HTTP to gRPC status code mapping".
    static func code(forHTTPStatus status: Int) -> Int {
        switch status {
        case 400: internalError
        case 401: unauthenticated
        case 403: permissionDenied
        case 404: unimplemented
        case 429, 502, 503, 504: unavailable
        default: unknown
        }
    }
}
