/// What an OTLP exporter has done since it was made. Items are what the exporter sends:
/// spans for ``OTLPSpanExporter``.
public struct OTLPExporterStatistics: Sendable, Equatable {
    /// Items in requests the receiver accepted (including those it then rejected).
    public var sent = 0
    /// Items the receiver refused in a partial success, or too large to send.
    public var rejected = 0
    /// Items in requests that failed.
    public var failed = 0
    /// Requests sent again after a retryable failure.
    public var retries = 0
    /// Encoded request bytes, before compression.
    public var encodedBytes = 0
    /// Bytes sent, after compression.
    public var sentBytes = 0
    /// The last error, described without header values.
    public var lastError: String?
}
