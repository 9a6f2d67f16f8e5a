extension BatchSpanProcessor {
    /// Where every span a batch processor received ended up, at one moment.
    ///
    /// `exported + rejected + dropped + failed + lost + queued + exporting == received` always
    /// holds; when nothing is being exported, `exporting` is 0.
    public struct Statistics: Sendable, Equatable {
        /// Sampled spans handed to the processor.
        public var received: Int
        /// Spans the exporter delivered and the receiver kept.
        public var exported: Int
        /// Spans the receiver refused in a partial success.
        public var rejected: Int
        /// Spans refused because the queue was full, or because the processor was shut down.
        public var dropped: Int
        /// Spans in exports that failed.
        public var failed: Int
        /// Spans still queued or being exported when shutdown's deadline passed.
        public var lost: Int
        /// Spans waiting in the queue.
        public var queued: Int
        /// Spans in the export under way.
        public var exporting: Int
    }
}
