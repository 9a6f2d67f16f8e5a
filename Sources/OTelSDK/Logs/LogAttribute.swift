/// One named value of a log record: an attribute, or an entry of a ``LogValue/map(_:)``.
public struct LogAttribute: Sendable, Equatable {
    /// The name.
    public let key: String
    /// The value.
    public let value: LogValue

    /// Creates a log attribute.
    /// - Parameters:
    ///   - key: the name.
    ///   - value: the value.
    public init(_ key: String, _ value: LogValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == LogAttribute {
    /// The value of the first attribute named `key`, if any.
    package subscript(key: String) -> LogValue? {
        first { $0.key == key }?.value
    }
}
