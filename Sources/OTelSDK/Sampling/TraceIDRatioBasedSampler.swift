import Tracing

/// Samples a fixed fraction of traces, deciding from the trace id alone so that every
/// service with the same ratio makes the same decision for a trace.
///
/// "The sampling algorithm MUST be deterministic. A trace sampled with probability p must be
/// sampled at all lower probabilities" (OpenTelemetry trace SDK specification): the decision
/// reads the trace id's rightmost 7 bytes (56 bits), the part that W3C Trace Context Level 2
/// requires to be random when the `random` flag is set, as an unsigned number and samples
/// the trace when it is below `ratio` × 2⁵⁶. The other 9 bytes play no part.
public struct TraceIDRatioBasedSampler: Sampler {
    /// The fraction of traces sampled, from 0 to 1.
    public let ratio: Double
    private let upperBound: UInt64

    /// Creates the sampler.
    /// - Parameter ratio: the fraction to sample; clamped to 0...1 (NaN counts as 0).
    public init(ratio: Double) {
        let ratio = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        self.ratio = ratio
        self.upperBound = UInt64(ratio * Double(Self.randomnessRange))
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind) -> SamplingResult {
        traceID.low & (Self.randomnessRange - 1) < upperBound ? .recordAndSample : .drop
    }

    /// 2⁵⁶: the values the trace id's 7 random bytes can take.
    private static let randomnessRange: UInt64 = 1 << 56

    /// "TraceIdRatioBased{RATIO} with RATIO replaced with the Sampler instance's trace sampling
    /// ratio represented as a decimal number" (OpenTelemetry trace SDK).
    public var description: String { "TraceIdRatioBased{\(ratio.decimalText)}" }
}
