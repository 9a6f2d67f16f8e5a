/// The `partial_success` of an Export response: the collector accepted the request but refused
/// some of its items (spans, log records, data points).
struct OTLPPartialSuccess: Sendable, Equatable {
    /// How many items the collector refused.
    let rejected: Int64
    /// The collector's explanation, possibly empty.
    let errorMessage: String
}
