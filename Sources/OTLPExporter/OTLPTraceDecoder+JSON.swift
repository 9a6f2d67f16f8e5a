import OTelSDK
import Tracing

extension OTLPTraceDecoder {
    /// Decodes an OTLP/JSON ExportTraceServiceRequest into its spans, in message order.
    ///
    /// Reads what the OTLP JSON mapping allows a sender to write: hex trace and span ids,
    /// enums as integers or as their names, 64-bit integers as strings or numbers, and
    /// `"NaN"`, `"Infinity"` and `"-Infinity"` for doubles. Unknown fields are ignored, as
    /// the specification requires of receivers.
    /// - Parameter bytes: the JSON body.
    /// - Throws: ``OTLPDecodingError`` when the body is not such a request.
    public static func decodeJSONRequest(_ bytes: [UInt8]) throws -> [SpanData] {
        guard let request = JSONValue(parsing: bytes), case .object = request else {
            throw OTLPDecodingError.malformedMessage("ExportTraceServiceRequest (JSON)")
        }
        var spans: [SpanData] = []
        for resourceSpans in try objects(request["resourceSpans"], "resourceSpans") {
            let resourceObject = try object(resourceSpans["resource"], "resource") ?? .object([:])
            let resource = Resource(
                attributes: try jsonAttributes(resourceObject["attributes"]),
                droppedAttributeCount: Int(try integer(resourceObject["droppedAttributesCount"], "droppedAttributesCount")),
                schemaURL: nonEmpty(resourceSpans["schemaUrl"]?.string)
            )
            for scopeSpans in try objects(resourceSpans["scopeSpans"], "scopeSpans") {
                let scopeObject = try object(scopeSpans["scope"], "scope") ?? .object([:])
                let scope = InstrumentationScope(
                    name: scopeObject["name"]?.string ?? "",
                    version: nonEmpty(scopeObject["version"]?.string),
                    schemaURL: nonEmpty(scopeSpans["schemaUrl"]?.string),
                    attributes: try jsonAttributes(scopeObject["attributes"]),
                    droppedAttributeCount: Int(try integer(scopeObject["droppedAttributesCount"], "droppedAttributesCount"))
                )
                for span in try objects(scopeSpans["spans"], "spans") {
                    spans.append(try jsonSpan(span, resource: resource, scope: scope))
                }
            }
        }
        return spans
    }

    private static func jsonSpan(_ span: JSONValue, resource: Resource, scope: InstrumentationScope) throws -> SpanData {
        let flags = UInt32(truncatingIfNeeded: try integer(span["flags"], "flags"))
        let parentHex = span["parentSpanId"]?.string ?? ""
        return SpanData(
            context: SpanContext(
                traceID: try traceID(span["traceId"], "traceId"),
                spanID: try spanID(span["spanId"], "spanId"),
                traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags & ProtoSpanFlags.traceFlagsMask)),
                traceState: traceState(span["traceState"])
            ),
            parentSpanID: parentHex.isEmpty ? nil : try spanID(.string(parentHex), "parentSpanId"),
            parentIsRemote: flags & ProtoSpanFlags.contextIsRemote != 0,
            name: span["name"]?.string ?? "",
            kind: try kind(span["kind"]),
            startTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["startTimeUnixNano"], "startTimeUnixNano")),
            endTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["endTimeUnixNano"], "endTimeUnixNano")),
            attributes: try jsonAttributes(span["attributes"]),
            events: try objects(span["events"], "events").map { (event) in
                SpanData.Event(
                    name: event["name"]?.string ?? "",
                    timeUnixNano: UInt64(truncatingIfNeeded: try integer(event["timeUnixNano"], "timeUnixNano")),
                    attributes: try jsonAttributes(event["attributes"]),
                    droppedAttributeCount: Int(try integer(event["droppedAttributesCount"], "droppedAttributesCount"))
                )
            },
            links: try objects(span["links"], "links").map { (link) in
                let linkFlags = UInt32(truncatingIfNeeded: try integer(link["flags"], "flags"))
                return SpanData.Link(
                    context: SpanContext(
                        traceID: try traceID(link["traceId"], "link traceId"),
                        spanID: try spanID(link["spanId"], "link spanId"),
                        traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: linkFlags & ProtoSpanFlags.traceFlagsMask)),
                        traceState: traceState(link["traceState"]),
                        isRemote: linkFlags & ProtoSpanFlags.contextIsRemote != 0
                    ),
                    attributes: try jsonAttributes(link["attributes"]),
                    droppedAttributeCount: Int(try integer(link["droppedAttributesCount"], "droppedAttributesCount"))
                )
            },
            status: try status(span["status"]),
            droppedAttributeCount: Int(try integer(span["droppedAttributesCount"], "droppedAttributesCount")),
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
            let names = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                         "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]
            guard let index = names.firstIndex(of: name) else { throw OTLPDecodingError.malformedMessage("Span.kind \"\(name)\"") }
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

    private static func jsonAttributes(_ value: JSONValue?) throws -> [Attribute] {
        try objects(value, "attributes").map { (keyValue) in
            let key = keyValue["key"]?.string ?? ""
            guard let any = try object(keyValue["value"], "value"), let decoded = try anyValue(any) else {
                throw OTLPDecodingError.unsupportedAttributeValue(key: key)
            }
            return Attribute(key, decoded)
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

    private static func objects(_ value: JSONValue?, _ field: String) throws -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)? where elements.allSatisfy({ if case .object = $0 { true } else { false } }): return elements
        default: throw OTLPDecodingError.malformedMessage("\(field) is not a list of objects")
        }
    }

    private static func object(_ value: JSONValue?, _ field: String) throws -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value
        default: throw OTLPDecodingError.malformedMessage("\(field) is not an object")
        }
    }

    /// A 64-bit integer written as a decimal string or as a JSON number; absent is zero.
    private static func integer(_ value: JSONValue?, _ field: String) throws -> Int64 {
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

    private static func double(_ value: JSONValue) throws -> Double {
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

    private static func traceID(_ value: JSONValue?, _ field: String) throws -> TraceID {
        let hex = value?.string ?? ""
        guard let id = TraceID(hexString: hex) else { throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2) }
        return id
    }

    private static func spanID(_ value: JSONValue?, _ field: String) throws -> SpanID {
        let hex = value?.string ?? ""
        guard let id = SpanID(hexString: hex) else { throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2) }
        return id
    }

    private static func traceState(_ value: JSONValue?) -> TraceState {
        guard let header = nonEmpty(value?.string) else { return .empty }
        return TraceState(headerValue: header) ?? .empty
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
