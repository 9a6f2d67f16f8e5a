import OTelSDK
import Tracing

/// Encodes batches of spans as OTLP/JSON `ExportTraceServiceRequest` bodies, following the
/// OTLP JSON mapping: lowerCamelCase field names, trace and span ids as hex strings, enums
/// as integers, 64-bit integers as decimal strings.
///
/// protobuf-c has no JSON, so this writer is the project's own. Spans are grouped by resource
/// and scope as in ``OTLPProtobufTraceEncoder``, and, as there, a batch whose request would exceed
/// ``maximumRequestBytes`` is cut into several requests under the limit, each span in exactly
/// one; a span too large for a request of its own is left out and reported in
/// ``OTLPEncodingResult/oversizedSpans``. Not thread-safe; one encoder per exporting thread.
public final class OTLPJSONTraceEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    public let maximumRequestBytes: Int

    private var grouping = SpanGrouping()
    private var output: [UInt8] = []
    /// The group whose ScopeSpans is open in `output`, nil before the request's first span.
    private var openGroup: Int?
    /// What ``writeClosers()`` would append to `output` now.
    private var closersBytes = 0

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit of ``encode(_:_:)``; defaults to
    ///   ``OTLPProtobufTraceEncoder/defaultMaximumRequestBytes`` (4 MiB).
    public init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
    }

    /// The whole batch as one JSON body, whatever its size (for a file, say); valid until the
    /// next call.
    public func encode(_ spans: [SpanData]) -> [UInt8] {
        grouping.group(spans)
        beginRequest()
        var groupIndex = 0
        for position in grouping.order.indices {
            groupIndex = group(holding: position, from: groupIndex)
            appendSpan(spans[grouping.order[position]], inGroup: groupIndex)
        }
        writeClosers()
        return output
    }

    /// Encodes `spans` into one or more JSON requests of at most ``maximumRequestBytes`` and
    /// hands each to `body` in turn.
    /// - Parameters:
    ///   - spans: the batch.
    ///   - body: called once per request; the bytes are valid only during the call.
    /// - Returns: how many requests and spans were produced, and which spans were too large.
    @discardableResult
    public func encode(
        _ spans: [SpanData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> OTLPEncodingResult {
        guard !spans.isEmpty else {
            return OTLPEncodingResult(requestCount: 0, encodedSpanCount: 0, oversizedSpans: [])
        }
        grouping.group(spans)
        var requestCount = 0
        var encodedSpanCount = 0
        var oversized: [OTLPSpanTooLargeError] = []
        var runCount = 0
        func emitRun() throws {
            writeClosers()
            try output.withUnsafeBytes { try body(OTLPEncodedRequest(bytes: $0, spanCount: runCount)) }
            requestCount += 1
            encodedSpanCount += runCount
        }

        beginRequest()
        var groupIndex = 0
        for position in grouping.order.indices {
            groupIndex = group(holding: position, from: groupIndex)
            let span = spans[grouping.order[position]]
            let before = (bytes: output.count, openGroup: openGroup, closersBytes: closersBytes)
            appendSpan(span, inGroup: groupIndex)
            if output.count + closersBytes <= maximumRequestBytes {
                runCount += 1
                continue
            }
            if runCount > 0 {
                // The span does not fit after the others: send them, and start over with it.
                output.removeSubrange(before.bytes...)
                openGroup = before.openGroup
                closersBytes = before.closersBytes
                try emitRun()
                beginRequest()
                runCount = 0
                appendSpan(span, inGroup: groupIndex)
                if output.count + closersBytes <= maximumRequestBytes {
                    runCount = 1
                    continue
                }
            }
            oversized.append(
                OTLPSpanTooLargeError(
                    spanIndex: grouping.order[position],
                    traceID: span.context.traceID,
                    spanID: span.context.spanID,
                    requestBytes: output.count + closersBytes,
                    maximumRequestBytes: maximumRequestBytes
                )
            )
            beginRequest()
        }
        if runCount > 0 {
            try emitRun()
        }
        return OTLPEncodingResult(
            requestCount: requestCount,
            encodedSpanCount: encodedSpanCount,
            oversizedSpans: oversized
        )
    }

    /// The group holding `position` of `grouping.order`, searching on from `groupIndex`.
    private func group(holding position: Int, from groupIndex: Int) -> Int {
        var groupIndex = groupIndex
        while position >= grouping.groups[groupIndex].start + grouping.groups[groupIndex].count {
            groupIndex += 1
        }
        return groupIndex
    }

    /// Starts a new request in `output`, with no ResourceSpans yet.
    private func beginRequest() {
        output.removeAll(keepingCapacity: true)
        append("{\"resourceSpans\":[")
        openGroup = nil
        closersBytes = measureClosers()
    }

    /// Appends `span`, opening its ResourceSpans and ScopeSpans (and closing the open ones)
    /// when it is the first span of group `groupIndex` in the request.
    private func appendSpan(_ span: SpanData, inGroup groupIndex: Int) {
        guard openGroup != groupIndex else {
            append(",")
            self.span(span)
            return
        }
        let group = grouping.groups[groupIndex]
        if let open = openGroup {
            closeSpans(schemaURL: grouping.groups[open].scope.schemaURL)
            if grouping.groups[open].resourceIndex == group.resourceIndex {
                append(",")
            } else {
                closeSpans(schemaURL: grouping.groups[open].resource.schemaURL)
                append(",")
                openResourceSpans(group)
            }
        } else {
            openResourceSpans(group)
        }
        openScopeSpans(group)
        openGroup = groupIndex
        closersBytes = measureClosers()
        self.span(span)
    }

    /// Closes the open ScopeSpans and ResourceSpans, if any, and the request.
    private func writeClosers() {
        if let open = openGroup {
            closeSpans(schemaURL: grouping.groups[open].scope.schemaURL)
            closeSpans(schemaURL: grouping.groups[open].resource.schemaURL)
        }
        append("]}")
    }

    /// The bytes ``writeClosers()`` would append now: written once per group and taken back,
    /// so that the escaping of the schema URLs is counted exactly.
    private func measureClosers() -> Int {
        let end = output.count
        writeClosers()
        defer { output.removeSubrange(end...) }
        return output.count - end
    }

    private func openResourceSpans(_ group: SpanGrouping.Group) {
        append("{\"resource\":{")
        attributes(group.resource.attributes)
        append(",\"droppedAttributesCount\":\(group.resource.droppedAttributeCount)},\"scopeSpans\":[")
    }

    /// Ends a ResourceSpans or ScopeSpans object: its list of children, then its schema URL.
    private func closeSpans(schemaURL: String?) {
        append("]")
        if let schemaURL {
            append(",\"schemaUrl\":")
            string(schemaURL)
        }
        append("}")
    }

    private func openScopeSpans(_ group: SpanGrouping.Group) {
        append("{\"scope\":{\"name\":")
        string(group.scope.name)
        if let version = group.scope.version {
            append(",\"version\":")
            string(version)
        }
        append(",")
        attributes(group.scope.attributes)
        append(",\"droppedAttributesCount\":\(group.scope.droppedAttributeCount)},\"spans\":[")
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
        append(
            ",\"startTimeUnixNano\":\"\(span.startTimeUnixNano)\",\"endTimeUnixNano\":\"\(span.endTimeUnixNano)\",\"attributes\":["
        )
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
            let linkFlags = ProtoSpanFlags.encode(
                traceFlags: link.context.traceFlags.rawValue,
                isRemote: link.context.isRemote
            )
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
