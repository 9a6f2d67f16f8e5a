import Tracing

extension AttributeValue {
    /// The OpenTelemetry value of a swift-distributed-tracing attribute; values that are only
    /// `CustomStringConvertible` become their descriptions.
    @inlinable
    public init?(_ attribute: consuming SpanAttribute) {
        // Consumed: `SpanAttribute` can hold an existential, so each copy of it goes through
        // its generic value witnesses; taking the payload out of the value given costs none.
        switch consume attribute {
        case .int32(let value): self = .int(Int64(value))
        case .int64(let value): self = .int(value)
        case .int32Array(let values): self = .intArray(values.map(Int64.init))
        case .int64Array(let values): self = .intArray(values)
        case .double(let value): self = .double(value)
        case .doubleArray(let values): self = .doubleArray(values)
        case .bool(let value): self = .bool(value)
        case .boolArray(let values): self = .boolArray(values)
        case .string(let value): self = .string(value)
        case .stringArray(let values): self = .stringArray(values)
        case .stringConvertible(let value): self = .string(value.description)
        case .stringConvertibleArray(let values): self = .stringArray(values.map(\.description))
        default: return nil
        }
    }

    /// The swift-distributed-tracing form of this value.
    public var spanAttribute: SpanAttribute {
        switch self {
        case .string(let value): .string(value)
        case .bool(let value): .bool(value)
        case .int(let value): .int64(value)
        case .double(let value): .double(value)
        case .stringArray(let values): .stringArray(values)
        case .boolArray(let values): .boolArray(values)
        case .intArray(let values): .int64Array(values)
        case .doubleArray(let values): .doubleArray(values)
        }
    }
}
