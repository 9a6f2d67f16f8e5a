/// The value of a span, event, link, resource or scope attribute.
///
/// The OpenTelemetry specification allows exactly these: a string, a boolean, a 64-bit
/// integer, a double, or a homogeneous array of one of them.
public enum AttributeValue: Sendable, CustomStringConvertible {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case stringArray([String])
    case boolArray([Bool])
    case intArray([Int64])
    case doubleArray([Double])

    public var description: String {
        switch self {
        case .string(let value): value
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .stringArray(let values): values.description
        case .boolArray(let values): values.description
        case .intArray(let values): values.description
        case .doubleArray(let values): values.description
        }
    }
}

extension AttributeValue: Equatable {
    /// Values are equal when they would be the same OTLP value: NaN equals NaN, and
    /// empty arrays are equal whatever their element type (OTLP cannot tell them apart).
    public static func == (lhs: AttributeValue, rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let left), .string(let right)): left == right
        case (.bool(let left), .bool(let right)): left == right
        case (.int(let left), .int(let right)): left == right
        case (.double(let left), .double(let right)): sameDouble(left, right)
        case (.stringArray(let left), .stringArray(let right)): left == right
        case (.boolArray(let left), .boolArray(let right)): left == right
        case (.intArray(let left), .intArray(let right)): left == right
        case (.doubleArray(let left), .doubleArray(let right)):
            left.count == right.count && zip(left, right).allSatisfy { sameDouble($0, $1) }
        default: lhs.isEmptyArray && rhs.isEmptyArray
        }
    }

    private static func sameDouble(_ left: Double, _ right: Double) -> Bool {
        left == right || (left.isNaN && right.isNaN)
    }

    private var isEmptyArray: Bool {
        switch self {
        case .stringArray(let values): values.isEmpty
        case .boolArray(let values): values.isEmpty
        case .intArray(let values): values.isEmpty
        case .doubleArray(let values): values.isEmpty
        case .string, .bool, .int, .double: false
        }
    }
}

extension AttributeValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension AttributeValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension AttributeValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension AttributeValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}
