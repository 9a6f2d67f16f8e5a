import Foundation
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
        guard let request = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw OTLPDecodingError.malformedMessage("ExportTraceServiceRequest (JSON)")
        }
        var spans: [SpanData] = []
        for resourceSpans in try objects(request["resourceSpans"], "resourceSpans") {
            let resourceObject = try object(resourceSpans["resource"], "resource") ?? [:]
            let resource = Resource(
                attributes: try jsonAttributes(resourceObject["attributes"]),
                droppedAttributeCount: Int(try integer(resourceObject["droppedAttributesCount"], "droppedAttributesCount")),
                schemaURL: nonEmpty(resourceSpans["schemaUrl"] as? String)
            )
            for scopeSpans in try objects(resourceSpans["scopeSpans"], "scopeSpans") {
                let scopeObject = try object(scopeSpans["scope"], "scope") ?? [:]
                let scope = InstrumentationScope(
                    name: scopeObject["name"] as? String ?? "",
                    version: nonEmpty(scopeObject["version"] as? String),
                    schemaURL: nonEmpty(scopeSpans["schemaUrl"] as? String),
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

    private static func jsonSpan(_ span: [String: Any], resource: Resource, scope: InstrumentationScope) throws -> SpanData {
        let flags = UInt32(truncatingIfNeeded: try integer(span["flags"], "flags"))
        let parentHex = span["parentSpanId"] as? String ?? ""
        return SpanData(
            context: SpanContext(
                traceID: try traceID(span["traceId"], "traceId"),
                spanID: try spanID(span["spanId"], "spanId"),
                traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags & ProtoSpanFlags.traceFlagsMask)),
                traceState: traceState(span["traceState"])
            ),
            parentSpanID: parentHex.isEmpty ? nil : try spanID(parentHex, "parentSpanId"),
            parentIsRemote: flags & ProtoSpanFlags.contextIsRemote != 0,
            name: span["name"] as? String ?? "",
            kind: try kind(span["kind"]),
            startTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["startTimeUnixNano"], "startTimeUnixNano")),
            endTimeUnixNano: UInt64(truncatingIfNeeded: try integer(span["endTimeUnixNano"], "endTimeUnixNano")),
            attributes: try jsonAttributes(span["attributes"]),
            events: try objects(span["events"], "events").map { (event) in
                SpanData.Event(
                    name: event["name"] as? String ?? "",
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

    private static func kind(_ value: Any?) throws -> SpanKind {
        let number: Int64
        switch value {
        case let name as String:
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

    private static func status(_ value: Any?) throws -> SpanStatus? {
        guard let status = try object(value, "status") else { return nil }
        let code: Int64
        switch status["code"] {
        case "STATUS_CODE_OK" as String: code = 1
        case "STATUS_CODE_ERROR" as String: code = 2
        case let other: code = try integer(other, "status.code")
        }
        let message = nonEmpty(status["message"] as? String)
        switch code {
        case 1: return SpanStatus(code: .ok, message: message)
        case 2: return SpanStatus(code: .error, message: message)
        default: return nil
        }
    }

    // MARK: Attributes

    private static func jsonAttributes(_ value: Any?) throws -> [Attribute] {
        try objects(value, "attributes").map { (keyValue) in
            let key = keyValue["key"] as? String ?? ""
            guard let any = keyValue["value"] as? [String: Any], let decoded = try anyValue(any) else {
                throw OTLPDecodingError.unsupportedAttributeValue(key: key)
            }
            return Attribute(key, decoded)
        }
    }

    private static func anyValue(_ value: [String: Any]) throws -> AttributeValue? {
        if let string = value["stringValue"] as? String { return .string(string) }
        if let bool = value["boolValue"] as? Bool { return .bool(bool) }
        if let int = value["intValue"] { return .int(try integer(int, "intValue")) }
        if let double = value["doubleValue"] { return .double(try self.double(double)) }
        if let array = value["arrayValue"] as? [String: Any] {
            return decodeArray(try objects(array["values"], "values").map { try anyValue($0) })
        }
        return nil
    }

    // MARK: Fields

    private static func objects(_ value: Any?, _ field: String) throws -> [[String: Any]] {
        guard let value, !(value is NSNull) else { return [] }
        guard let array = value as? [[String: Any]] else { throw OTLPDecodingError.malformedMessage("\(field) is not a list of objects") }
        return array
    }

    private static func object(_ value: Any?, _ field: String) throws -> [String: Any]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw OTLPDecodingError.malformedMessage("\(field) is not an object") }
        return object
    }

    /// A 64-bit integer written as a decimal string or as a JSON number; absent is zero.
    private static func integer(_ value: Any?, _ field: String) throws -> Int64 {
        switch value {
        case nil, is NSNull: return 0
        case let text as String:
            if let signed = Int64(text) { return signed }
            if let unsigned = UInt64(text) { return Int64(bitPattern: unsigned) }
        case let number as NSNumber:
            // A number with a fraction is not an integer; anything else keeps its full precision.
            if number.doubleValue.rounded() == number.doubleValue { return number.int64Value }
        default: break
        }
        throw OTLPDecodingError.malformedMessage("\(field) is not an integer")
    }

    private static func double(_ value: Any) throws -> Double {
        switch value {
        case "NaN" as String: return .nan
        case "Infinity" as String: return .infinity
        case "-Infinity" as String: return -.infinity
        case let text as String:
            if let double = Double(text) { return double }
        case let number as NSNumber: return number.doubleValue
        default: break
        }
        throw OTLPDecodingError.malformedMessage("doubleValue is not a number")
    }

    private static func traceID(_ value: Any?, _ field: String) throws -> TraceID {
        let hex = value as? String ?? ""
        guard let id = TraceID(hexString: hex) else { throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2) }
        return id
    }

    private static func spanID(_ value: Any?, _ field: String) throws -> SpanID {
        let hex = value as? String ?? ""
        guard let id = SpanID(hexString: hex) else { throw OTLPDecodingError.invalidID(field: field, byteCount: hex.utf8.count / 2) }
        return id
    }

    private static func traceState(_ value: Any?) -> TraceState {
        guard let header = nonEmpty(value as? String) else { return .empty }
        return TraceState(headerValue: header) ?? .empty
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
