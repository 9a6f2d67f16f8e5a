/// The W3C trace flags byte carried in `traceparent` and in OTLP's span flags.
public struct TraceFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    /// Creates trace flags from the byte as it appears on the wire.
    /// - Parameter rawValue: the flags byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The caller may have recorded this trace (W3C `sampled`, bit 0).
    public static let sampled = TraceFlags(rawValue: 0x01)

    /// The trace id's rightmost 7 bytes are random (W3C Trace Context Level 2 `random`, bit 1).
    public static let random = TraceFlags(rawValue: 0x02)

    /// The two lowercase hex digits of the byte, as `traceparent` and log correlation write it.
    var hexString: String {
        String(HexEncoding.hexString(UInt64(rawValue)).suffix(2))
    }
}
