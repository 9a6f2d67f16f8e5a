import Tracing

/// Records and samples every span.
public struct AlwaysOnSampler: Sampler {
    /// Creates the sampler.
    public init() {}

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
        .recordAndSample
    }

    public var description: String { "AlwaysOnSampler" }
}
