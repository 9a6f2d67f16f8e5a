import Tracing

/// Drops every span (they still carry their context for propagation).
public struct AlwaysOffSampler: Sampler {
    /// Creates the sampler.
    public init() {}

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
        .drop
    }

    public var description: String { "AlwaysOffSampler" }
}
