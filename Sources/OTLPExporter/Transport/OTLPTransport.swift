/// Sends encoded OTLP requests, one try per call: OTLP/HTTP or OTLP/gRPC. The delivery lanes
/// retry; a transport only says whether a retry makes sense.
protocol OTLPTransport: AnyObject {
    /// Sends `body` once, waiting at most `timeout`.
    func attempt(_ body: UnsafeRawBufferPointer, timeout: Duration) -> DeliveryAttempt

    /// The size on the wire of the last request sent.
    var lastRequestBytes: Int { get }
}
