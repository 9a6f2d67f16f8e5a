/// The 16-byte identifier shared by every span of one trace.
///
/// Its text form is 32 lowercase hexadecimal digits, as in the W3C `traceparent` header.
/// An all-zero trace id is invalid (``isValid``).
public struct TraceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first 8 bytes, most significant byte first.
    public let high: UInt64
    /// The last 8 bytes, most significant byte first.
    public let low: UInt64

    /// Creates a trace id from its two 8-byte halves.
    /// - Parameters:
    ///   - high: bytes 0-7, big-endian.
    ///   - low: bytes 8-15, big-endian.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a trace id from exactly 16 bytes, or returns nil for any other count.
    /// - Parameter bytes: the id's bytes in wire order.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// Parses 32 lowercase hexadecimal digits; returns nil for anything else.
    /// - Parameter hexString: the text form, for example `0af7651916cd43dd8448eb211c80319c`.
    public init?(hexString: some StringProtocol) {
        let utf8 = hexString.utf8
        guard utf8.count == 32,
            let high = HexEncoding.parseUInt64(utf8.prefix(16)),
            let low = HexEncoding.parseUInt64(utf8.dropFirst(16))
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The all-zero trace id, which the specification calls invalid.
    public static let invalid = TraceID(high: 0, low: 0)

    /// Whether any byte is non-zero.
    public var isValid: Bool { high != 0 || low != 0 }

    /// The 16 bytes in wire order.
    public var bytes: [UInt8] {
        HexEncoding.bigEndianBytes(high) + HexEncoding.bigEndianBytes(low)
    }

    /// Writes the 16 bytes in wire order to `destination`, which must have room for them.
    public func write(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
        destination.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
    }

    /// 32 lowercase hexadecimal digits.
    public var hexString: String {
        HexEncoding.hexString(high) + HexEncoding.hexString(low)
    }

    public var description: String { hexString }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
