/// What one try at sending one encoded request came to.
enum DeliveryAttempt {
    /// The receiver took the request; it may have refused some items.
    case accepted(OTLPPartialSuccess?)
    /// Worth another try, after `delay` when the receiver said how long to wait.
    case retryable(any Error, delay: Duration?)
    /// Final: the receiver refused the request.
    case refused(any Error)
}
