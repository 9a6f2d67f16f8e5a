import Tracing

/// Decides, when a span starts, whether it is recorded and whether it is exported.
///
/// Samplers run on the app thread for every span: keep them cheap and free of locks.
///
/// The specification gives a sampler the span's initial attributes and links; this one sees
/// neither, because swift-distributed-tracing's `startSpan` takes none (they are set after
/// the span starts).
public protocol Sampler: Sendable, CustomStringConvertible {
    /// The decision for a span about to start.
    /// - Parameters:
    ///   - parent: the parent's context, local or remote; nil for a root span.
    ///   - traceID: the trace id the span will have.
    ///   - name: the span's operation name.
    ///   - kind: the span's kind.
    func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult
}

/// What a ``Sampler`` decided.
public struct SamplingResult: Sendable, Equatable {
    /// Whether the span is recorded and exported.
    public enum Decision: Sendable, Equatable {
        /// Not recorded: a non-recording span that still carries the context.
        case drop
        /// Recorded and given to span processors, but not sampled (exporters skip it).
        case recordOnly
        /// Recorded and sampled.
        case recordAndSample
    }

    /// The decision.
    public let decision: Decision
    /// Attributes the sampler adds to the span.
    public let attributes: [Attribute]
    /// The trace state the span gets; nil keeps the parent's.
    public let traceState: TraceState?

    /// Creates a result.
    /// - Parameters:
    ///   - decision: the decision.
    ///   - attributes: attributes to add; defaults to none.
    ///   - traceState: a trace state to use instead of the parent's; defaults to nil.
    public init(decision: Decision, attributes: [Attribute] = [], traceState: TraceState? = nil) {
        self.decision = decision
        self.attributes = attributes
        self.traceState = traceState
    }

    static let drop = SamplingResult(decision: .drop)
    static let recordAndSample = SamplingResult(decision: .recordAndSample)
}
