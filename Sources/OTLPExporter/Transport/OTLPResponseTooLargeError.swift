/// A collector's response larger than the exporter's limit: the transfer is cut off where the
/// body passes the limit (for gRPC also when the message inflates past it), the response is
/// discarded, and its request fails without a retry.
///
/// The OTLP specification: "The client MUST limit the size of the response body when parsing
/// it, including after decompression, to mitigate possible excessive memory usage caused by a
/// misconfigured or malicious server. [...] If the limit is exceeded, the client MUST treat the
/// response as a non-retryable error and SHOULD record the fact that the response was
/// discarded."
public struct OTLPResponseTooLargeError: Error, Equatable, CustomStringConvertible {
    /// The response's HTTP status (200 for gRPC).
    public let status: Int
    /// The limit the response passed: the exporter's `maximumResponseBytes`.
    public let maximumResponseBytes: Int

    public var description: String {
        "the collector's response (HTTP \(status)) was discarded: it is larger than the \(maximumResponseBytes)-byte limit"
            + " (the exporter's maximumResponseBytes)"
    }
}
