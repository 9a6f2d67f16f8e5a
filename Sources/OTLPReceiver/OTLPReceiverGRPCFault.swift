/// The ways a gRPC server or proxy can break an answer, for ``OTLPReceiverResponse/grpcFault(_:)``.
public enum OTLPReceiverGRPCFault: Sendable, CaseIterable {
    /// The stream is reset (RST_STREAM, INTERNAL_ERROR) instead of answered.
    case resetStream
    /// The connection is told to go away (GOAWAY naming no stream as processed) and closed.
    case goAway
    /// A normal answer whose trailers lack grpc-status.
    case missingStatus
    /// grpc-status 0, but the response message is shorter than its length prefix announces.
    case truncatedMessage
    /// grpc-status 0, but the response body is not a length-prefixed message at all.
    case garbageMessage
}
