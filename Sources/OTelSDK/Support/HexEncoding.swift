/// Lowercase hexadecimal text for ids, as W3C Trace Context writes them.
enum HexEncoding {
    private static let digits = Array("0123456789abcdef".utf8)

    /// 16 lowercase hex digits for `value`, most significant first.
    static func hexString(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                buffer[index] = digits[Int((value >> shift) & 0xF)]
            }
            return 16
        }
    }

    /// Parses up to 16 lowercase hex digits; nil on any other character or on an empty input.
    static func parseUInt64(_ utf8: some Collection<UInt8>) -> UInt64? {
        guard !utf8.isEmpty, utf8.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in utf8 {
            guard let nibble = nibble(byte) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// The value of one lowercase hex digit.
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
