/// One key/value pair of a span, event, link, resource or instrumentation scope.
///
/// Attributes are kept in flat arrays in insertion order; keys are unique within one array.
public struct Attribute: Sendable, Equatable {
    /// The attribute name, for example `messaging.system`.
    public let key: String
    /// The value.
    public let value: AttributeValue

    /// Creates an attribute.
    /// - Parameters:
    ///   - key: the attribute name.
    ///   - value: the value.
    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

// Package-wide conveniences, not API: extending the standard library's Array for everyone who
// imports the SDK would be a surprise.
extension Array where Element == Attribute {
    /// The value of the first attribute named `key`, if any.
    package subscript(key: String) -> AttributeValue? {
        first { $0.key == key }?.value
    }

    /// Attributes from a dictionary, sorted by key so that the order is the same on every run.
    /// - Parameter dictionary: names and values.
    package init(_ dictionary: [String: AttributeValue]) {
        self = dictionary.sorted { $0.key < $1.key }.map { Attribute($0.key, $0.value) }
    }
}
