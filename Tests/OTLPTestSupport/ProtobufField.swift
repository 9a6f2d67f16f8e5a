/// Protobuf wire bytes written field by field, for requests this project's encoder never
/// sends (fields of newer OTLP releases, fields meant for other signals).
public enum ProtobufField {
    /// A varint field (wire type 0): int32, int64, uint32, bool, enum.
    /// - Parameters:
    ///   - number: the field number.
    ///   - value: the value; a negative int32 or int64 is written as its 64-bit two's complement.
    public static func varint(_ number: UInt64, _ value: UInt64) -> [UInt8] {
        varintBytes(number << 3) + varintBytes(value)
    }

    /// A fixed64 field (wire type 1), little-endian.
    /// - Parameters:
    ///   - number: the field number.
    ///   - value: the value.
    public static func fixed64(_ number: UInt64, _ value: UInt64) -> [UInt8] {
        varintBytes(number << 3 | 1) + (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// A length-delimited field (wire type 2): bytes, or an embedded message's own fields.
    /// - Parameters:
    ///   - number: the field number.
    ///   - contents: the bytes inside.
    public static func lengthDelimited(_ number: UInt64, _ contents: [UInt8]) -> [UInt8] {
        varintBytes(number << 3 | 2) + varintBytes(UInt64(contents.count)) + contents
    }

    /// A string field: its UTF-8 bytes, length-delimited.
    /// - Parameters:
    ///   - number: the field number.
    ///   - text: the string.
    public static func string(_ number: UInt64, _ text: String) -> [UInt8] {
        lengthDelimited(number, Array(text.utf8))
    }

    private static func varintBytes(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        return bytes
    }
}
