/// Where every item (span, log record) a batch processor received ended up, at one moment.
///
/// `exported + rejected + dropped + failed + lost + queued + exporting == received` always
/// holds; when nothing is being exported, `exporting` is 0.
public struct BatchProcessorStatistics: Sendable, Equatable {
    /// Items handed to the processor (for spans, the sampled ones).
    public var received: Int
    /// Items the exporter delivered and the receiver kept.
    public var exported: Int
    /// Items the receiver refused in a partial success.
    public var rejected: Int
    /// Items refused because the queue was full, or because the processor was shut down.
    public var dropped: Int
    /// Items in exports that failed.
    public var failed: Int
    /// Items still queued or being exported when shutdown's deadline passed.
    public var lost: Int
    /// Items waiting in the queue.
    public var queued: Int
    /// Items in the export under way.
    public var exporting: Int
}
