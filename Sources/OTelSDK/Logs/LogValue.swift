/// A log record's body or attribute value: OTLP's `AnyValue`, which, unlike a span
/// attribute's value, can nest (arrays of values of any kind, and lists of named values).
public indirect enum LogValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    /// Values of any kind, in order.
    case array([LogValue])
    /// Named values, in order: OTLP's `kvlist_value`.
    case map([LogAttribute])

    public var description: String {
        switch self {
        case .string(let value): value
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bytes(let value): "\(value.count) bytes"
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let attributes):
            "[" + attributes.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
        }
    }
}
