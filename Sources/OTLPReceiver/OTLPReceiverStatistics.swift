/// Counters of an ``OTLPReceiver`` since it started.
public struct OTLPReceiverStatistics: Sendable, Equatable {
    /// Requests that arrived on either listener, answered or not.
    public var requests: Int = 0
    /// Requests refused as undecodable, too large, of an unknown content type or path.
    public var refusedRequests: Int = 0
    /// Spans in requests the receiver accepted (including those past the storage limit).
    public var spans: Int = 0
    /// Log records in requests the receiver accepted (including those past the storage limit).
    public var logRecords: Int = 0
    /// Metric data points in requests the receiver accepted (including those past the storage
    /// limit).
    public var dataPoints: Int = 0
    /// Request body bytes as they arrived on the wire (compressed if the sender compressed).
    public var bytes: Int = 0
}
