/// Why an ``OTLPReceiver`` could not start or a wait ended without its spans.
public enum OTLPReceiverError: Error, CustomStringConvertible {
    /// A listener could not bind, for example because the port is in use.
    case bindFailed(host: String, port: Int, reason: String)
    /// ``OTLPReceiver/waitForSpans(count:timeout:)`` or
    /// ``OTLPReceiver/waitForLogRecords(count:timeout:)`` timed out; `received` had arrived.
    case timedOut(expected: Int, received: Int)
    /// The receiver was stopped while a wait was pending.
    case stopped

    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason):
            "the OTLP receiver cannot listen on \(host):\(port): \(reason)"
        case .timedOut(let expected, let received):
            "timed out waiting for \(expected) spans; \(received) arrived"
        case .stopped:
            "the OTLP receiver was stopped"
        }
    }
}
