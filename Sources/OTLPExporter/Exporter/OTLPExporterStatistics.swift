/// What an ``OTLPSpanExporter`` has done since it was made.
public struct OTLPExporterStatistics: Sendable, Equatable {
    /// Spans in requests the receiver accepted (including those it then rejected).
    public var sentSpans = 0
    /// Spans the receiver refused in a partial success, or too large to send.
    public var rejectedSpans = 0
    /// Spans in exports that failed.
    public var failedSpans = 0
    /// Requests sent again after a retryable failure.
    public var retries = 0
    /// Encoded request bytes, before compression.
    public var encodedBytes = 0
    /// Bytes sent, after compression.
    public var sentBytes = 0
    /// The last error, described without header values.
    public var lastError: String?
}
