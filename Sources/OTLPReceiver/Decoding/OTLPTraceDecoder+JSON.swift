import OTLPExporter
import OTelSDK
import Tracing

extension OTLPTraceDecoder {
    /// Decodes an OTLP/JSON ExportTraceServiceRequest into its spans, in message order.
    ///
    /// Reads what the OTLP JSON mapping allows a sender to write: hex trace and span ids,
    /// enums as integers or as their names, 64-bit integers as strings or numbers, and
    /// `"NaN"`, `"Infinity"` and `"-Infinity"` for doubles. Unknown fields are ignored, as
    /// the specification requires of receivers; an attribute whose `keyStrindex` or
    /// `stringValueStrindex` stands for its key or value is left out and counted as dropped
    /// (see ``DecodedRequest``).
    /// - Parameter bytes: the JSON body.
    /// - Throws: ``OTLPDecodingError`` when the body is not such a request.
    package static func decodeJSONRequest(_ bytes: [UInt8]) throws -> [SpanData] {
        try decodeFullJSONRequest(bytes).spans
    }

    /// Decodes an OTLP/JSON ExportTraceServiceRequest into its spans and what they have no
    /// place for: each resource's `entityRefs`, and how many attributes were sent as
    /// references into the profiles signal's string table (see ``DecodedRequest``).
    /// - Parameter bytes: the JSON body.
    /// - Throws: ``OTLPDecodingError`` when the body is not such a request.
    package static func decodeFullJSONRequest(_ bytes: [UInt8]) throws -> DecodedRequest {
        guard let request = JSONValue(parsing: bytes), case .object = request else {
            throw OTLPDecodingError.malformedMessage("ExportTraceServiceRequest (JSON)")
        }
        var spans: [SpanData] = []
        var resources: [DecodedResource] = []
        var references = 0
        for resourceSpans in try objects(request["resourceSpans"], "resourceSpans") {
            let (resource, resourceObject) = try jsonResource(of: resourceSpans, references: &references)
            resources.append(
                DecodedResource(
                    resource: resource,
                    entityRefs: try objects(resourceObject["entityRefs"], "entityRefs").map { (entity) in
                        EntityRef(
                            schemaURL: nonEmpty(entity["schemaUrl"]?.string),
                            type: entity["type"]?.string ?? "",
                            idKeys: try strings(entity["idKeys"], "idKeys"),
                            descriptionKeys: try strings(entity["descriptionKeys"], "descriptionKeys")
                        )
                    }
                )
            )
            for scopeSpans in try objects(resourceSpans["scopeSpans"], "scopeSpans") {
                let scope = try jsonScope(of: scopeSpans, references: &references)
                for span in try objects(scopeSpans["spans"], "spans") {
                    spans.append(try jsonSpan(span, resource: resource, scope: scope, references: &references))
                }
            }
        }
        return DecodedRequest(spans: spans, resources: resources, profilesStringTableReferenceCount: references)
    }

    private static func jsonSpan(
        _ span: JSONValue,
        resource: Resource,
        scope: InstrumentationScope,
        references: inout Int
    ) throws -> SpanData {
        let flags = UInt32(truncatingIfNeeded: try integer(span["flags"], "flags"))
        let parentHex = span["parentSpanId"]?.string ?? ""
        let attributes = try jsonAttributes(span, references: &references)
        let context = SpanContext(
            traceID: try traceID(span["traceId"], "traceId"),
            spanID: try spanID(span["spanId"], "spanId"),
            traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags & ProtoSpanFlags.traceFlagsMask)),
            traceState: traceState(span["traceState"])
        )
        return SpanData(
            context: context,
            parentSpanContext: parentContext(
                parentHex.isEmpty ? nil : try spanID(.string(parentHex), "parentSpanId"),
                of: context,
                flags: flags
            ),
            name: span["name"]?.string ?? "",
            kind: try kind(span["kind"]),
            startTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["startTimeUnixNano"], "startTimeUnixNano")),
            endTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["endTimeUnixNano"], "endTimeUnixNano")),
            attributes: attributes.kept,
            events: try objects(span["events"], "events").map { (event) in
                let eventAttributes = try jsonAttributes(event, references: &references)
                return SpanData.Event(
                    name: event["name"]?.string ?? "",
                    timeUnixNano: UInt64(truncatingIfNeeded: try integer(event["timeUnixNano"], "timeUnixNano")),
                    attributes: eventAttributes.kept,
                    droppedAttributeCount: eventAttributes.droppedCount
                )
            },
            links: try objects(span["links"], "links").map { (link) in
                let linkFlags = UInt32(truncatingIfNeeded: try integer(link["flags"], "flags"))
                let linkAttributes = try jsonAttributes(link, references: &references)
                return SpanData.Link(
                    context: SpanContext(
                        traceID: try traceID(link["traceId"], "link traceId"),
                        spanID: try spanID(link["spanId"], "link spanId"),
                        traceFlags: TraceFlags(
                            rawValue: UInt8(truncatingIfNeeded: linkFlags & ProtoSpanFlags.traceFlagsMask)
                        ),
                        traceState: traceState(link["traceState"]),
                        isRemote: linkFlags & ProtoSpanFlags.contextIsRemote != 0
                    ),
                    attributes: linkAttributes.kept,
                    droppedAttributeCount: linkAttributes.droppedCount
                )
            },
            status: try status(span["status"]),
            droppedAttributeCount: attributes.droppedCount,
            droppedEventCount: Int(try integer(span["droppedEventsCount"], "droppedEventsCount")),
            droppedLinkCount: Int(try integer(span["droppedLinksCount"], "droppedLinksCount")),
            resource: resource,
            instrumentationScope: scope
        )
    }

    private static func kind(_ value: JSONValue?) throws -> SpanKind {
        let number: Int64
        switch value {
        case .string(let name)?:
            let names = [
                "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
            ]
            guard let index = names.firstIndex(of: name) else {
                throw OTLPDecodingError.malformedMessage("Span.kind \"\(name)\"")
            }
            number = Int64(index)
        default:
            number = try integer(value, "kind")
        }
        switch number {
        case 2: return .server
        case 3: return .client
        case 4: return .producer
        case 5: return .consumer
        default: return .internal
        }
    }

    private static func status(_ value: JSONValue?) throws -> SpanStatus? {
        guard let status = try object(value, "status") else { return nil }
        let code: Int64
        switch status["code"] {
        case .string("STATUS_CODE_OK")?: code = 1
        case .string("STATUS_CODE_ERROR")?: code = 2
        case let other: code = try integer(other, "status.code")
        }
        let message = nonEmpty(status["message"]?.string)
        switch code {
        case 1: return SpanStatus(code: .ok, message: message)
        case 2: return SpanStatus(code: .error, message: message)
        default: return nil
        }
    }

    // MARK: Attributes

    /// The resource of a ResourceSpans, ResourceLogs or ResourceMetrics object (`holder`, whose
    /// `schemaUrl` it takes), and the resource's own object.
    static func jsonResource(
        of holder: JSONValue,
        references: inout Int
    ) throws -> (resource: Resource, object: JSONValue) {
        let resourceObject = try object(holder["resource"], "resource") ?? .object([:])
        let attributes = try jsonAttributes(resourceObject, references: &references)
        let resource = Resource(
            attributes: attributes.kept,
            droppedAttributeCount: attributes.droppedCount,
            schemaURL: nonEmpty(holder["schemaUrl"]?.string)
        )
        return (resource, resourceObject)
    }

    /// The instrumentation scope of a ScopeSpans, ScopeLogs or ScopeMetrics object (`holder`,
    /// whose `schemaUrl` it takes).
    static func jsonScope(of holder: JSONValue, references: inout Int) throws -> InstrumentationScope {
        let scopeObject = try object(holder["scope"], "scope") ?? .object([:])
        let attributes = try jsonAttributes(scopeObject, references: &references)
        return InstrumentationScope(
            name: scopeObject["name"]?.string ?? "",
            version: nonEmpty(scopeObject["version"]?.string),
            schemaURL: nonEmpty(holder["schemaUrl"]?.string),
            attributes: attributes.kept,
            droppedAttributeCount: attributes.droppedCount
        )
    }

    /// The `attributes` of `holder` a span can hold, and its dropped count: the
    /// `droppedAttributesCount` it was sent with plus the attributes left out because their key
    /// or value is only an index into the profiles string table, as the protobuf decoder does.
    static func jsonAttributes(
        _ holder: JSONValue,
        references: inout Int
    ) throws -> (kept: [Attribute], droppedCount: Int) {
        var kept: [Attribute] = []
        var droppedCount = Int(try integer(holder["droppedAttributesCount"], "droppedAttributesCount"))
        for keyValue in try objects(holder["attributes"], "attributes") {
            let key = keyValue["key"]?.string ?? ""
            let keyIsIndex = try integer(keyValue["keyStrindex"], "keyStrindex") != 0
            let any = try object(keyValue["value"], "value")
            let valueIndexes = any.map { stringTableReferences(in: $0) } ?? 0
            references += (keyIsIndex ? 1 : 0) + valueIndexes
            if (keyIsIndex && key.isEmpty) || valueIndexes > 0 {
                droppedCount += 1
                continue
            }
            guard let any, let decoded = try anyValue(any) else {
                throw OTLPDecodingError.unsupportedAttributeValue(key: key)
            }
            kept.append(Attribute(key, decoded))
        }
        return (kept, droppedCount)
    }

    /// How many string values in `value` (itself or, for an array, its elements) are a
    /// `stringValueStrindex`.
    private static func stringTableReferences(in value: JSONValue) -> Int {
        switch value["stringValueStrindex"] {
        case nil, .null?:
            guard case .array(let elements)? = value["arrayValue"]?["values"] else { return 0 }
            return elements.reduce(0) { $0 + stringTableReferences(in: $1) }
        default:
            return 1
        }
    }

    private static func anyValue(_ value: JSONValue) throws -> AttributeValue? {
        if let string = value["stringValue"]?.string { return .string(string) }
        if let bool = value["boolValue"]?.bool { return .bool(bool) }
        if let int = value["intValue"] { return .int(try integer(int, "intValue")) }
        if let double = value["doubleValue"] { return .double(try self.double(double)) }
        if let array = try object(value["arrayValue"], "arrayValue") {
            return decodeArray(try objects(array["values"], "values").map { try anyValue($0) })
        }
        return nil
    }

    // MARK: Fields

    static func objects(_ value: JSONValue?, _ field: String) throws -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)? where elements.allSatisfy({ if case .object = $0 { true } else { false } }):
            return elements
        default: throw OTLPDecodingError.malformedMessage("\(field) is not a list of objects")
        }
    }

    static func strings(_ value: JSONValue?, _ field: String) throws -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?:
            return try elements.map { (element) in
                guard let text = element.string else {
                    throw OTLPDecodingError.malformedMessage("\(field) is not a list of strings")
                }
                return text
            }
        default: throw OTLPDecodingError.malformedMessage("\(field) is not a list of strings")
        }
    }

    static func object(_ value: JSONValue?, _ field: String) throws -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value
        default: throw OTLPDecodingError.malformedMessage("\(field) is not an object")
        }
    }

    /// A 64-bit integer written as a decimal string or as a JSON number; absent is zero.
    static func integer(_ value: JSONValue?, _ field: String) throws -> Int64 {
        switch value {
        case nil, .null?: return 0
        case .string(let text)?:
            if let signed = Int64(text) { return signed }
            if let unsigned = UInt64(text) { return Int64(bitPattern: unsigned) }
        case .integer(let integer)?: return integer
        case .unsignedInteger(let integer)?: return Int64(bitPattern: integer)
        case .double(let double)?:
            // A number with a fraction is not an integer.
            if double.rounded() == double, let integer = Int64(exactly: double) { return integer }
        default: break
        }
        throw OTLPDecodingError.malformedMessage("\(field) is not an integer")
    }

    static func double(_ value: JSONValue) throws -> Double {
        switch value {
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text):
            if let double = Double(text) { return double }
        case .integer(let integer): return Double(integer)
        case .unsignedInteger(let integer): return Double(integer)
        case .double(let double): return double
        default: break
        }
        throw OTLPDecodingError.malformedMessage("doubleValue is not a number")
    }

    static func traceID(_ value: JSONValue?, _ field: String) throws -> TraceID {
        let hex = value?.string ?? ""
        // "case-insensitive hex-encoded strings" (OTLP specification, JSON Protobuf Encoding).
        guard let id = TraceID(hexString: hex.lowercased()) else {
            throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2)
        }
        return id
    }

    static func spanID(_ value: JSONValue?, _ field: String) throws -> SpanID {
        let hex = value?.string ?? ""
        guard let id = SpanID(hexString: hex.lowercased()) else {
            throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2)
        }
        return id
    }

    private static func traceState(_ value: JSONValue?) -> TraceState {
        guard let header = nonEmpty(value?.string) else { return .empty }
        return TraceState(headerValue: header) ?? .empty
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
