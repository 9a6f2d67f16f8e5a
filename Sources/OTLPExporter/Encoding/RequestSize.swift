/// The exact size of an ExportTraceServiceRequest assembled span by span, so that a batch can
/// be cut into requests under a byte limit without packing it first.
///
/// Every nested field on the path (resource_spans = 1, resource = 1, scope_spans = 2, scope = 1,
/// spans = 2, schema_url = 3) has a one-byte tag followed by a varint length.
struct RequestSize {
    /// The complete ResourceSpans entries before the open one.
    private var closedResources = 0
    /// The complete ScopeSpans entries of the open ResourceSpans.
    private var closedScopes = 0
    /// The span entries of the open ScopeSpans.
    private var spans = 0
    /// Bytes of the open ResourceSpans that are not its ScopeSpans (resource and schema_url).
    private var resourceOverhead = 0
    /// Bytes of the open ScopeSpans that are not its spans (scope and schema_url).
    private var scopeOverhead = 0
    private var openGroup: Int?
    private var openResource: Int?

    /// Whether no span was added.
    private(set) var isEmpty = true

    /// The packed size of the request so far.
    var bytes: Int {
        guard !isEmpty else { return 0 }
        let scopeSpans = Self.field(scopeOverhead + spans)
        return closedResources + Self.field(resourceOverhead + closedScopes + scopeSpans)
    }

    /// Adds one span of `spanBytes` packed bytes, in group `group` of resource `resource`.
    /// - Parameters:
    ///   - resourceOverhead: the ResourceSpans bytes besides its ScopeSpans, for a new resource.
    ///   - scopeOverhead: the ScopeSpans bytes besides its spans, for a new group.
    mutating func add(spanBytes: Int, group: Int, scopeOverhead: Int, resource: Int, resourceOverhead: Int) {
        if openGroup != group {
            if openGroup != nil {
                closedScopes += Self.field(self.scopeOverhead + spans)
            }
            if openResource != resource {
                if openResource != nil {
                    closedResources += Self.field(self.resourceOverhead + closedScopes)
                }
                closedScopes = 0
                openResource = resource
                self.resourceOverhead = resourceOverhead
            }
            spans = 0
            openGroup = group
            self.scopeOverhead = scopeOverhead
        }
        spans += Self.field(spanBytes)
        isEmpty = false
    }

    /// A length-delimited field: tag, varint length, payload.
    static func field(_ payloadBytes: Int) -> Int {
        1 + varintBytes(payloadBytes) + payloadBytes
    }

    /// A string field, left out when empty (proto3).
    static func stringField(_ string: String?) -> Int {
        guard let string, !string.isEmpty else { return 0 }
        return field(string.utf8.count)
    }

    static func varintBytes(_ value: Int) -> Int {
        var value = UInt64(value)
        var bytes = 1
        while value >= 0x80 {
            value >>= 7
            bytes += 1
        }
        return bytes
    }
}
