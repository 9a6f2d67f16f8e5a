/// gRPC status codes by name (the gRPC "Status codes and their use" table): what the exporter
/// reads from trailers and the project's receiver answers with.
package enum GRPCStatusCode {
    package static let ok = 0
    package static let cancelled = 1
    package static let unknown = 2
    package static let invalidArgument = 3
    package static let deadlineExceeded = 4
    package static let permissionDenied = 7
    package static let resourceExhausted = 8
    package static let aborted = 10
    package static let outOfRange = 11
    package static let unimplemented = 12
    package static let internalError = 13
    package static let unavailable = 14
    package static let dataLoss = 15
    package static let unauthenticated = 16
}
