import OTelSDK
import Tracing

/// Encodes batches of spans as OTLP/JSON `ExportTraceServiceRequest` bodies, following the
/// OTLP JSON mapping: lowerCamelCase field names, trace and span ids as hex strings, enums
/// as integers, 64-bit integers as decimal strings.
///
/// protobuf-c has no JSON, so this writer is the project's own. Spans are grouped by resource
/// and scope as in ``OTLPTraceEncoder``. Not thread-safe; one encoder per exporting thread.
public final class OTLPJSONEncoder {
    private var grouping = SpanGrouping()
    private var output: [UInt8] = []

    /// Creates an encoder.
    public init() {}

    /// The JSON body for `spans`; valid until the next call.
    public func encode(_ spans: [SpanData]) -> [UInt8] {
        output.removeAll(keepingCapacity: true)
        grouping.group(spans)
        let groups = grouping.groups
        append("{\"resourceSpans\":[")
        var groupIndex = 0
        while groupIndex < groups.count {
            let resource = groups[groupIndex].resource
            let resourceIndex = groups[groupIndex].resourceIndex
            if groupIndex > 0 { append(",") }
            append("{\"resource\":{")
            attributes(resource.attributes)
            append(",\"droppedAttributesCount\":\(resource.droppedAttributeCount)},\"scopeSpans\":[")
            var first = true
            while groupIndex < groups.count, groups[groupIndex].resourceIndex == resourceIndex {
                let group = groups[groupIndex]
                if !first { append(",") }
                first = false
                scopeSpans(group, spans)
                groupIndex += 1
            }
            append("]")
            if let schemaURL = resource.schemaURL {
                append(",\"schemaUrl\":")
                string(schemaURL)
            }
            append("}")
        }
        append("]}")
        return output
    }

    private func scopeSpans(_ group: SpanGrouping.Group, _ spans: [SpanData]) {
        append("{\"scope\":{\"name\":")
        string(group.scope.name)
        if let version = group.scope.version {
            append(",\"version\":")
            string(version)
        }
        append(",")
        attributes(group.scope.attributes)
        append(",\"droppedAttributesCount\":\(group.scope.droppedAttributeCount)},\"spans\":[")
        for position in group.start..<group.start + group.count {
            if position > group.start { append(",") }
            span(spans[grouping.order[position]])
        }
        append("]")
        if let schemaURL = group.scope.schemaURL {
            append(",\"schemaUrl\":")
            string(schemaURL)
        }
        append("}")
    }

    private func span(_ span: SpanData) {
        append("{\"traceId\":\"\(span.context.traceID.hexString)\",\"spanId\":\"\(span.context.spanID.hexString)\"")
        if !span.context.traceState.isEmpty {
            append(",\"traceState\":")
            string(span.context.traceState.headerValue)
        }
        if let parent = span.parentSpanID {
            append(",\"parentSpanId\":\"\(parent.hexString)\"")
        }
        let flags = ProtoSpanFlags.encode(traceFlags: span.context.traceFlags.rawValue, isRemote: span.parentIsRemote)
        append(",\"flags\":\(flags),\"name\":")
        string(span.name)
        append(",\"kind\":\(Self.kindNumber(span.kind))")
        append(",\"startTimeUnixNano\":\"\(span.startTimeUnixNano)\",\"endTimeUnixNano\":\"\(span.endTimeUnixNano)\",\"attributes\":[")
        var first = true
        span.forEachAttribute { key, value in
            if !first { append(",") }
            first = false
            keyValue(key, value)
        }
        append("],\"droppedAttributesCount\":\(span.droppedAttributeCount),\"events\":[")
        for (index, event) in span.events.enumerated() {
            if index > 0 { append(",") }
            append("{\"timeUnixNano\":\"\(event.timeUnixNano)\",\"name\":")
            string(event.name)
            append(",")
            attributes(event.attributes)
            append(",\"droppedAttributesCount\":\(event.droppedAttributeCount)}")
        }
        append("],\"droppedEventsCount\":\(span.droppedEventCount),\"links\":[")
        for (index, link) in span.links.enumerated() {
            if index > 0 { append(",") }
            append("{\"traceId\":\"\(link.context.traceID.hexString)\",\"spanId\":\"\(link.context.spanID.hexString)\"")
            if !link.context.traceState.isEmpty {
                append(",\"traceState\":")
                string(link.context.traceState.headerValue)
            }
            append(",")
            attributes(link.attributes)
            let linkFlags = ProtoSpanFlags.encode(traceFlags: link.context.traceFlags.rawValue, isRemote: link.context.isRemote)
            append(",\"droppedAttributesCount\":\(link.droppedAttributeCount),\"flags\":\(linkFlags)}")
        }
        append("],\"droppedLinksCount\":\(span.droppedLinkCount)")
        if let status = span.status {
            append(",\"status\":{\"code\":\(status.code == .ok ? 1 : 2)")
            if let message = status.message {
                append(",\"message\":")
                string(message)
            }
            append("}")
        }
        append("}")
    }

    private func attributes(_ attributes: [Attribute]) {
        append("\"attributes\":[")
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { append(",") }
            keyValue(attribute.key, attribute.value)
        }
        append("]")
    }

    private func keyValue(_ key: String, _ value: AttributeValue) {
        append("{\"key\":")
        string(key)
        append(",\"value\":")
        anyValue(value)
        append("}")
    }

    private func anyValue(_ value: AttributeValue) {
        switch value {
        case .string(let string):
            append("{\"stringValue\":")
            self.string(string)
            append("}")
        case .bool(let bool):
            append("{\"boolValue\":\(bool)}")
        case .int(let int):
            append("{\"intValue\":\"\(int)\"}")
        case .double(let double):
            append("{\"doubleValue\":")
            number(double)
            append("}")
        case .stringArray(let values):
            array(values) { self.anyValue(.string($0)) }
        case .boolArray(let values):
            array(values) { self.anyValue(.bool($0)) }
        case .intArray(let values):
            array(values) { self.anyValue(.int($0)) }
        case .doubleArray(let values):
            array(values) { self.anyValue(.double($0)) }
        }
    }

    private func array<Element>(_ values: [Element], _ write: (Element) -> Void) {
        append("{\"arrayValue\":{\"values\":[")
        for (index, value) in values.enumerated() {
            if index > 0 { append(",") }
            write(value)
        }
        append("]}}")
    }

    /// A double as proto3 JSON writes it: NaN and the infinities as strings.
    private func number(_ value: Double) {
        if value.isNaN {
            append("\"NaN\"")
        } else if value.isInfinite {
            append(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else {
            append("\(value)")
        }
    }

    /// A JSON string literal, escaped.
    private func string(_ value: String) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    private static func kindNumber(_ kind: SpanKind) -> Int {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }
}
