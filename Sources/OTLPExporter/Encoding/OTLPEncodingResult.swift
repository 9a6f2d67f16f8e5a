/// What ``OTLPProtobufTraceEncoder/encode(_:_:)`` produced for one batch.
public struct OTLPEncodingResult: Equatable {
    /// How many requests were handed to the closure.
    public let requestCount: Int
    /// How many spans those requests carry together.
    public let encodedSpanCount: Int
    /// Spans left out because each alone exceeds the request limit.
    public let oversizedSpans: [OTLPSpanTooLargeError]
}
