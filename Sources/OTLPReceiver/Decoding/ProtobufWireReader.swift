/// Reads the fields of one protobuf message from its wire bytes, without materializing them:
/// each field's number and wire type, and the bytes of length-delimited ones.
///
/// It checks what the wire format requires (well-formed varints, lengths inside the message,
/// no groups), so that a walk over every field of a message is a validation of its framing.
/// Like protobuf-c, it takes a field numbered 0 for an unknown field rather than an error.
struct ProtobufWireReader {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// One field: its number and type, and for length-delimited fields the bytes inside.
    struct Field {
        let number: UInt64
        let wireType: WireType
        let contents: UnsafeRawBufferPointer
    }

    struct Malformed: Error {}

    private var remaining: UnsafeRawBufferPointer.SubSequence

    init(_ bytes: UnsafeRawBufferPointer) {
        remaining = bytes[...]
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(Malformed) -> Field? {
        guard !remaining.isEmpty else { return nil }
        let tag = try varint()
        let number = tag >> 3
        guard let wireType = WireType(rawValue: UInt8(tag & 7)) else { throw Malformed() }
        let size: Int
        switch wireType {
        case .varint:
            _ = try varint()
            return Field(number: number, wireType: wireType, contents: UnsafeRawBufferPointer(start: nil, count: 0))
        case .fixed64: size = 8
        case .fixed32: size = 4
        case .lengthDelimited:
            let length = try varint()
            guard length <= UInt64(remaining.count) else { throw Malformed() }
            size = Int(length)
        }
        guard size <= remaining.count else { throw Malformed() }
        let end = remaining.startIndex + size
        let contents = UnsafeRawBufferPointer(rebasing: remaining[remaining.startIndex..<end])
        remaining = remaining[end...]
        return Field(number: number, wireType: wireType, contents: contents)
    }

    private mutating func varint() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = remaining.startIndex
        while index < remaining.endIndex, shift < 64 {
            let byte = remaining[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                remaining = remaining[index...]
                return value
            }
            shift += 7
        }
        throw Malformed()
    }
}

extension ProtobufWireReader {
    /// A reader of the message that `field` holds; it must be length-delimited.
    init(messageIn field: Field) throws(Malformed) {
        guard field.wireType == .lengthDelimited else { throw Malformed() }
        self.init(field.contents)
    }
}
