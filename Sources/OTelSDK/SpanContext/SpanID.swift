/// The 8-byte identifier of one span within a trace.
///
/// Its text form is 16 lowercase hexadecimal digits, as in the W3C `traceparent` header.
/// An all-zero span id is invalid (``isValid``).
public struct SpanID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 8 bytes as one number, most significant byte first.
    public let value: UInt64

    /// Creates a span id from its 8 bytes read as a big-endian number.
    /// - Parameter value: the id.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// Creates a span id from exactly 8 bytes, or returns nil for any other count.
    /// - Parameter bytes: the id's bytes in wire order.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        self.init(bytes.reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// Parses 16 lowercase hexadecimal digits; returns nil for anything else.
    /// - Parameter hexString: the text form, for example `b7ad6b7169203331`.
    public init?(hexString: some StringProtocol) {
        guard hexString.utf8.count == 16, let value = HexEncoding.parseUInt64(hexString.utf8) else { return nil }
        self.init(value)
    }

    /// The all-zero span id, which the specification calls invalid.
    public static let invalid = SpanID(0)

    /// Whether any byte is non-zero.
    public var isValid: Bool { value != 0 }

    /// The 8 bytes in wire order.
    public var bytes: [UInt8] { HexEncoding.bigEndianBytes(value) }

    /// Writes the 8 bytes in wire order to `destination`, which must have room for them.
    public func write(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: value.bigEndian, as: UInt64.self)
    }

    /// 16 lowercase hexadecimal digits.
    public var hexString: String { HexEncoding.hexString(value) }

    public var description: String { hexString }

    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.value < rhs.value }
}
