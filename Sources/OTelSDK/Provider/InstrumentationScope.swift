/// The library that created a span (the OpenTelemetry "instrumentation scope").
///
/// One instance is shared by every span its tracer creates; the exporter groups spans by it.
public final class InstrumentationScope: Sendable, Equatable, CustomStringConvertible {
    /// The library's name, for example `swift-kafka-client`; empty when unknown.
    public let name: String
    /// The library's version, if known.
    public let version: String?
    /// The schema URL of the semantic conventions the library follows, if any.
    public let schemaURL: String?
    /// Attributes describing the scope.
    public let attributes: [Attribute]
    /// How many scope attributes were discarded.
    public let droppedAttributeCount: Int

    /// Creates an instrumentation scope.
    /// - Parameters:
    ///   - name: the library's name.
    ///   - version: the library's version; defaults to nil.
    ///   - schemaURL: the semantic conventions' schema URL; defaults to nil.
    ///   - attributes: attributes of the scope; defaults to none. One with an empty key is left
    ///     out ("The attribute key MUST be a non-null and non-empty string").
    ///   - droppedAttributeCount: attributes discarded; defaults to 0.
    public init(
        name: String,
        version: String? = nil,
        schemaURL: String? = nil,
        attributes: [Attribute] = [],
        droppedAttributeCount: Int = 0
    ) {
        self.name = name
        self.version = version
        self.schemaURL = schemaURL
        self.attributes = attributes.filter { !$0.key.isEmpty }
        self.droppedAttributeCount = droppedAttributeCount
    }

    public static func == (lhs: InstrumentationScope, rhs: InstrumentationScope) -> Bool {
        lhs === rhs
            || (lhs.name == rhs.name && lhs.version == rhs.version && lhs.schemaURL == rhs.schemaURL
                && lhs.attributes == rhs.attributes && lhs.droppedAttributeCount == rhs.droppedAttributeCount)
    }

    public var description: String {
        version.map { "\(name) \($0)" } ?? name
    }
}
