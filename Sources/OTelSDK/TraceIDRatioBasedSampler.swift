import Tracing

/// Samples a fixed fraction of traces, deciding from the trace id alone so that every
/// service with the same ratio makes the same decision for a trace.
///
/// "The sampling algorithm MUST be deterministic. A trace sampled with probability p must be
/// sampled at all lower probabilities" (OpenTelemetry trace SDK specification): the decision
/// compares the trace id's last 8 bytes (the random part under W3C Trace Context Level 2)
/// against a bound proportional to the ratio.
public struct TraceIDRatioBasedSampler: Sampler {
    /// The fraction of traces sampled, from 0 to 1.
    public let ratio: Double
    private let upperBound: UInt64

    /// Creates the sampler.
    /// - Parameter ratio: the fraction to sample; clamped to 0...1 (NaN counts as 0).
    public init(ratio: Double) {
        let ratio = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        self.ratio = ratio
        // The decision uses 63 bits, so that ratio 1 maps to a bound every id is under.
        self.upperBound = ratio >= 1 ? UInt64(1) << 63 : UInt64(ratio * Double(UInt64(1) << 63))
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
        traceID.low >> 1 < upperBound ? .recordAndSample : .drop
    }

    public var description: String { "TraceIdRatioBased{\(ratio)}" }
}
