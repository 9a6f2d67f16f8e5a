/// The `partial_success` of an ExportTraceServiceResponse: the collector accepted the request
/// but refused some of its spans.
public struct OTLPPartialSuccess: Sendable, Equatable {
    /// How many spans the collector refused.
    public let rejectedSpans: Int64
    /// The collector's explanation, possibly empty.
    public let errorMessage: String

    /// Creates a partial success.
    /// - Parameters:
    ///   - rejectedSpans: spans refused.
    ///   - errorMessage: the explanation.
    public init(rejectedSpans: Int64, errorMessage: String) {
        self.rejectedSpans = rejectedSpans
        self.errorMessage = errorMessage
    }
}
