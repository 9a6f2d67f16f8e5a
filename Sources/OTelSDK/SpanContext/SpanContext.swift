/// The part of a span that crosses process boundaries: ids, flags and trace state.
public struct SpanContext: Sendable, Hashable {
    /// The trace this span belongs to.
    public let traceID: TraceID
    /// This span's id.
    public let spanID: SpanID
    /// The W3C trace flags (sampled, random).
    public let traceFlags: TraceFlags
    /// Vendor data from the `tracestate` header.
    public let traceState: TraceState
    /// Whether the context was received from another process (extracted by a propagator).
    public let isRemote: Bool

    /// Creates a span context.
    /// - Parameters:
    ///   - traceID: the trace id.
    ///   - spanID: the span id.
    ///   - traceFlags: the trace flags; defaults to none.
    ///   - traceState: the trace state; defaults to empty.
    ///   - isRemote: whether it came from another process; defaults to false.
    public init(
        traceID: TraceID,
        spanID: SpanID,
        traceFlags: TraceFlags = [],
        traceState: TraceState = .empty,
        isRemote: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// The context of no span: both ids zero, no flags. What a non-recording span of a disabled
    /// provider has when it has no parent; it is never injected.
    public static let invalid = SpanContext(traceID: .invalid, spanID: .invalid)

    /// Both ids are non-zero, as the specification requires of a valid context.
    public var isValid: Bool { traceID.isValid && spanID.isValid }

    /// Whether the sampled flag is set.
    public var isSampled: Bool { traceFlags.contains(.sampled) }
}
