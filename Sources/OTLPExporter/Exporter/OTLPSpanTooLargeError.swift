import OTelSDK

/// A span whose request would exceed the byte limit even with nothing else in it.
///
/// The encoder leaves such a span out and reports it, so that the exporter can count it as
/// failed instead of sending a request the collector would refuse.
public struct OTLPSpanTooLargeError: Error, Equatable, CustomStringConvertible {
    /// The span's position in the batch given to the encoder.
    public let spanIndex: Int
    /// The span's trace id.
    public let traceID: TraceID
    /// The span's id.
    public let spanID: SpanID
    /// The size of a request holding just this span.
    public let requestBytes: Int
    /// The limit it exceeds.
    public let maximumRequestBytes: Int

    public var description: String {
        "span \(spanID) of trace \(traceID) needs a \(requestBytes)-byte OTLP request, over the \(maximumRequestBytes)-byte limit"
    }
}
