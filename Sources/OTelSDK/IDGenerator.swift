/// Makes trace and span ids for new spans.
public protocol IDGenerator: Sendable {
    /// A new trace id; must be valid (not all zero).
    func newTraceID() -> TraceID
    /// A new span id; must be valid (not all zero).
    func newSpanID() -> SpanID
}
