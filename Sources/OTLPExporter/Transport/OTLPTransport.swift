/// What one try at sending one encoded request came to.
enum DeliveryAttempt {
    /// The receiver took the request; it may have refused some spans.
    case accepted(OTLPPartialSuccess?)
    /// Worth another try, after `delay` when the receiver said how long to wait.
    case retryable(any Error, delay: Duration?)
    /// Final: the receiver refused the request.
    case refused(any Error)
}

/// Sends encoded OTLP requests, one try per call: OTLP/HTTP or OTLP/gRPC. The exporter
/// retries; a transport only says whether a retry makes sense.
protocol OTLPTransport: AnyObject {
    /// Sends `body` once, waiting at most `timeout`.
    func attempt(_ body: UnsafeRawBufferPointer, timeout: Duration) -> DeliveryAttempt

    /// The size on the wire of the last request sent.
    var lastRequestBytes: Int { get }
}
