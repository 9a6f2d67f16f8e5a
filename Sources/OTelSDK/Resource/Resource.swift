/// The entity that produces telemetry: a service, with `service.name` and the rest.
///
/// One instance is shared by every span of a tracer provider; the exporter groups spans by it.
public final class Resource: Sendable, Equatable, CustomStringConvertible {
    /// The attributes, keys unique, in the order given.
    public let attributes: [Attribute]
    /// How many resource attributes were discarded.
    public let droppedAttributeCount: Int
    /// The schema URL of the semantic conventions the attributes follow, if any.
    public let schemaURL: String?

    /// Creates a resource. Where a key repeats, the last value wins at the first position; an
    /// attribute with an empty key is left out ("The attribute key MUST be a non-null and
    /// non-empty string").
    /// - Parameters:
    ///   - attributes: the attributes.
    ///   - droppedAttributeCount: attributes discarded; defaults to 0.
    ///   - schemaURL: the semantic conventions' schema URL; defaults to nil.
    public init(attributes: [Attribute], droppedAttributeCount: Int = 0, schemaURL: String? = nil) {
        var unique: [Attribute] = []
        unique.reserveCapacity(attributes.count)
        for attribute in attributes where !attribute.key.isEmpty {
            if let index = unique.firstIndex(where: { $0.key == attribute.key }) {
                unique[index] = attribute
            } else {
                unique.append(attribute)
            }
        }
        self.attributes = unique
        self.droppedAttributeCount = droppedAttributeCount
        self.schemaURL = schemaURL
    }

    /// Creates a resource from a dictionary, keys sorted.
    /// - Parameters:
    ///   - attributes: names and values, for example `["service.name": "checkout"]`.
    ///   - schemaURL: the semantic conventions' schema URL; defaults to nil.
    public convenience init(attributes: [String: AttributeValue], schemaURL: String? = nil) {
        self.init(attributes: [Attribute](attributes), schemaURL: schemaURL)
    }

    /// This resource updated by `updating`: the specification's Merge operation. "If a key
    /// exists on both the old and updating resource, the value of the updating resource MUST
    /// be picked (even if the updated value is empty)."
    ///
    /// The schema URL is the one that is set (an empty one counts as unset); when both are set
    /// and differ (which the specification calls a merging error, with an
    /// implementation-specific result), the updating resource's.
    /// - Parameter updating: the resource whose attributes win.
    /// - Returns: the merged resource; its attributes keep this resource's order, then the new keys.
    public func merging(_ updating: Resource) -> Resource {
        Resource(
            attributes: attributes + updating.attributes,
            droppedAttributeCount: droppedAttributeCount + updating.droppedAttributeCount,
            schemaURL: updating.schemaURL.flatMap { $0.isEmpty ? nil : $0 } ?? schemaURL
        )
    }

    /// The value of `service.name`, if set.
    public var serviceName: String? {
        if case .string(let name)? = attributes["service.name"] { name } else { nil }
    }

    public static func == (lhs: Resource, rhs: Resource) -> Bool {
        lhs === rhs
            || (lhs.attributes == rhs.attributes && lhs.droppedAttributeCount == rhs.droppedAttributeCount
                && lhs.schemaURL == rhs.schemaURL)
    }

    public var description: String {
        attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}
