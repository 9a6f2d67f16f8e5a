/// Makes trace and span ids for new spans.
public protocol IDGenerator: Sendable {
    /// A new trace id; must be valid (not all zero).
    func newTraceID() -> TraceID
    /// A new span id; must be valid (not all zero).
    func newSpanID() -> SpanID
    /// Whether the rightmost 7 bytes of every trace id this generator makes are random, as W3C
    /// Trace Context Level 2 asks of a trace id sent with the `random` flag. Only then do new
    /// traces get the flag, and samplers may rely on those bytes. Default: false.
    var generatesRandomTraceIDs: Bool { get }
}

extension IDGenerator {
    /// False: a generator must opt in to the W3C `random` flag.
    public var generatesRandomTraceIDs: Bool { false }
}
