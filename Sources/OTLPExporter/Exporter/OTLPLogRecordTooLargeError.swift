/// A log record whose request would exceed the byte limit even with nothing else in it.
///
/// The encoder leaves such a record out and reports it, so that the exporter can count it as
/// rejected instead of sending a request the collector would refuse.
public struct OTLPLogRecordTooLargeError: Error, Equatable, CustomStringConvertible {
    /// The record's position in the batch given to the encoder.
    public let recordIndex: Int
    /// The size of a request holding just this record.
    public let requestBytes: Int
    /// The limit it exceeds.
    public let maximumRequestBytes: Int

    public var description: String {
        "log record \(recordIndex) of its batch needs a \(requestBytes)-byte OTLP request, over the \(maximumRequestBytes)-byte limit"
    }
}
