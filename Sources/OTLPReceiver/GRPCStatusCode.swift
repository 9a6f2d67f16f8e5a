import NIOHTTP1

/// The gRPC status codes the receiver answers with, and their HTTP counterparts.
enum GRPCStatusCode {
    static let ok = 0
    static let unknown = 2
    static let invalidArgument = 3
    static let resourceExhausted = 8
    static let unimplemented = 12
    static let internalError = 13
    static let unavailable = 14

    /// The HTTP status an OTLP/HTTP request gets for a gRPC code a test asked for.
    static func httpStatus(forGRPCCode code: Int) -> HTTPResponseStatus {
        switch code {
        case invalidArgument: .badRequest
        case resourceExhausted: .tooManyRequests
        case unimplemented: .notFound
        case unavailable: .serviceUnavailable
        case 4: .gatewayTimeout
        default: .internalServerError
        }
    }

    /// The gRPC code for an HTTP status, per gRPC's "HTTP to gRPC status code mapping".
    static func code(forHTTPStatus status: Int) -> Int {
        switch status {
        case 400: internalError
        case 401: 16
        case 403: 7
        case 404: unimplemented
        case 429, 502, 503, 504: unavailable
        default: unknown
        }
    }
}
