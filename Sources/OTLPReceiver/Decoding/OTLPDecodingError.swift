/// Why OTLP protobuf bytes could not be turned into spans.
package enum OTLPDecodingError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a valid protobuf encoding of the named message.
    case malformedMessage(String)
    /// A trace id or span id field has the wrong length (16 and 8 bytes are required).
    case invalidID(field: String, byteCount: Int)
    /// An attribute value of a kind spans cannot carry (key/value list, bytes, mixed or nested
    /// arrays, or no value at all).
    case unsupportedAttributeValue(key: String)

    package var description: String {
        switch self {
        case .malformedMessage(let message): "malformed protobuf for \(message)"
        case .invalidID(let field, let count): "\(field) has \(count) bytes"
        case .unsupportedAttributeValue(let key): "attribute \"\(key)\" has a value of a kind spans cannot carry"
        }
    }
}
