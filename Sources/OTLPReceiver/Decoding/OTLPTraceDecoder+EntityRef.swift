extension OTLPTraceDecoder {
    /// A reference from a resource to one of the entities it describes: OTLP's `EntityRef`
    /// (status: development). "Entity represents an object of interest associated with
    /// produced telemetry: e.g spans, metrics, profiles, or logs."
    ///
    /// The decoder keeps what the sender wrote, without checking it against the resource's
    /// attributes: it is for receivers and tests to look at, not to act on.
    package struct EntityRef: Sendable, Hashable, CustomStringConvertible {
        /// The schema URL of the entity's data and of the attributes its keys name; nil when
        /// none was sent.
        package let schemaURL: String?
        /// The entity type, for example `service` or `host` ("This field is required and MUST
        /// not be empty for valid entities"); empty when none was sent.
        package let type: String
        /// The resource attribute keys that identify the entity.
        package let idKeys: [String]
        /// The resource attribute keys that describe the entity without being part of its identity.
        package let descriptionKeys: [String]

        /// Creates an entity reference.
        /// - Parameters:
        ///   - schemaURL: the schema URL; defaults to nil.
        ///   - type: the entity type.
        ///   - idKeys: the identifying attribute keys.
        ///   - descriptionKeys: the descriptive attribute keys; defaults to none.
        package init(schemaURL: String? = nil, type: String, idKeys: [String], descriptionKeys: [String] = []) {
            self.schemaURL = schemaURL
            self.type = type
            self.idKeys = idKeys
            self.descriptionKeys = descriptionKeys
        }

        package var description: String {
            "\(type)(\(idKeys.joined(separator: ", ")))"
        }
    }
}
