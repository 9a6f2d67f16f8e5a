import OTLPExporter

/// What a receiver knows about a decoded request when it decides how to answer.
public struct OTLPReceivedRequest: Sendable {
    /// The transport a request arrived on.
    public enum Transport: String, Sendable {
        /// OTLP/HTTP with a protobuf body.
        case httpProtobuf = "http/protobuf"
        /// OTLP/HTTP with a JSON body.
        case httpJSON = "http/json"
        /// OTLP/gRPC.
        case grpc
    }

    /// The transport the request arrived on.
    public let transport: Transport
    /// The request's number among all requests this receiver decoded, from 1.
    public let sequenceNumber: Int
    /// What the request carries: traces or logs.
    public let signal: OTLPSignal
    /// The spans or log records in the request.
    public let itemCount: Int
    /// Whether the body was gzip-compressed.
    public let compressed: Bool
    /// The request's headers as they arrived, names lowercased; over gRPC, HTTP/2's
    /// pseudo-headers (`:path` and the rest) are left out.
    public let headers: [(name: String, value: String)]
}
