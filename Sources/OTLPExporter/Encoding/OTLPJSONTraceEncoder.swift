import OTelSDK
import Tracing

/// Encodes batches of spans as OTLP/JSON `ExportTraceServiceRequest` bodies, following the
/// OTLP JSON mapping: lowerCamelCase field names, trace and span ids as hex strings, enums
/// as integers, 64-bit integers as decimal strings.
///
/// protobuf-c has no JSON: the writing is `OTLPJSONWriter`'s. Spans are grouped by resource
/// and scope as in ``OTLPProtobufTraceEncoder``, and, as there, a batch whose request would exceed
/// ``maximumRequestBytes`` is cut into several requests under the limit, each span in exactly
/// one; a span too large for a request of its own is left out and reported in
/// ``OTLPEncodingResult/oversizedSpans``. Not thread-safe; one encoder per exporting thread.
public final class OTLPJSONTraceEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    public let maximumRequestBytes: Int

    private var grouping = SpanGrouping()
    private var writer = OTLPJSONWriter()
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
        return writer.output
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
            try writer.output.withUnsafeBytes { try body(OTLPEncodedRequest(bytes: $0, itemCount: runCount)) }
            requestCount += 1
            encodedSpanCount += runCount
        }

        beginRequest()
        var groupIndex = 0
        for position in grouping.order.indices {
            groupIndex = group(holding: position, from: groupIndex)
            let span = spans[grouping.order[position]]
            let before = (bytes: writer.output.count, openGroup: openGroup, closersBytes: closersBytes)
            appendSpan(span, inGroup: groupIndex)
            if writer.output.count + closersBytes <= maximumRequestBytes {
                runCount += 1
                continue
            }
            if runCount > 0 {
                // The span does not fit after the others: send them, and start over with it.
                writer.truncate(to: before.bytes)
                openGroup = before.openGroup
                closersBytes = before.closersBytes
                try emitRun()
                beginRequest()
                runCount = 0
                appendSpan(span, inGroup: groupIndex)
                if writer.output.count + closersBytes <= maximumRequestBytes {
                    runCount = 1
                    continue
                }
            }
            oversized.append(
                OTLPSpanTooLargeError(
                    spanIndex: grouping.order[position],
                    traceID: span.context.traceID,
                    spanID: span.context.spanID,
                    requestBytes: writer.output.count + closersBytes,
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
        writer.reset()
        writer.append("{\"resourceSpans\":[")
        openGroup = nil
        closersBytes = measureClosers()
    }

    /// Appends `span`, opening its ResourceSpans and ScopeSpans (and closing the open ones)
    /// when it is the first span of group `groupIndex` in the request.
    private func appendSpan(_ span: SpanData, inGroup groupIndex: Int) {
        guard openGroup != groupIndex else {
            writer.append(",")
            self.span(span)
            return
        }
        let group = grouping.groups[groupIndex]
        if let open = openGroup {
            closeSpans(schemaURL: grouping.groups[open].scope.schemaURL)
            if grouping.groups[open].resourceIndex == group.resourceIndex {
                writer.append(",")
            } else {
                closeSpans(schemaURL: grouping.groups[open].resource.schemaURL)
                writer.append(",")
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
        writer.append("]}")
    }

    /// The bytes ``writeClosers()`` would append now: written once per group and taken back,
    /// so that the escaping of the schema URLs is counted exactly.
    private func measureClosers() -> Int {
        let end = writer.output.count
        writeClosers()
        defer { writer.truncate(to: end) }
        return writer.output.count - end
    }

    private func openResourceSpans(_ group: SpanGrouping.Group) {
        writer.append("{")
        writer.resource(group.resource)
        writer.append(",\"scopeSpans\":[")
    }

    /// Ends a ResourceSpans or ScopeSpans object: its list of children, then its schema URL.
    private func closeSpans(schemaURL: String?) {
        writer.append("]")
        if let schemaURL {
            writer.append(",\"schemaUrl\":")
            writer.string(schemaURL)
        }
        writer.append("}")
    }

    private func openScopeSpans(_ group: SpanGrouping.Group) {
        writer.append("{")
        writer.scope(group.scope)
        writer.append(",\"spans\":[")
    }

    private func span(_ span: SpanData) {
        writer.append(
            "{\"traceId\":\"\(span.context.traceID.hexString)\",\"spanId\":\"\(span.context.spanID.hexString)\""
        )
        if !span.context.traceState.isEmpty {
            writer.append(",\"traceState\":")
            writer.string(span.context.traceState.headerValue)
        }
        if let parent = span.parentSpanID {
            writer.append(",\"parentSpanId\":\"\(parent.hexString)\"")
        }
        let flags = ProtoSpanFlags.encode(traceFlags: span.context.traceFlags.rawValue, isRemote: span.parentIsRemote)
        writer.append(",\"flags\":\(flags),\"name\":")
        writer.string(span.name)
        writer.append(",\"kind\":\(Self.kindNumber(span.kind))")
        writer.append(
            ",\"startTimeUnixNano\":\"\(span.startTimeUnixNano)\",\"endTimeUnixNano\":\"\(span.endTimeUnixNano)\",\"attributes\":["
        )
        var first = true
        span.forEachAttribute { key, value in
            if !first { writer.append(",") }
            first = false
            writer.keyValue(key, value)
        }
        writer.append("],\"droppedAttributesCount\":\(span.droppedAttributeCount),\"events\":[")
        for (index, event) in span.events.enumerated() {
            if index > 0 { writer.append(",") }
            writer.append("{\"timeUnixNano\":\"\(event.timeUnixNano)\",\"name\":")
            writer.string(event.name)
            writer.append(",")
            writer.attributes(event.attributes)
            writer.append(",\"droppedAttributesCount\":\(event.droppedAttributeCount)}")
        }
        writer.append("],\"droppedEventsCount\":\(span.droppedEventCount),\"links\":[")
        for (index, link) in span.links.enumerated() {
            if index > 0 { writer.append(",") }
            writer.append(
                "{\"traceId\":\"\(link.context.traceID.hexString)\",\"spanId\":\"\(link.context.spanID.hexString)\""
            )
            if !link.context.traceState.isEmpty {
                writer.append(",\"traceState\":")
                writer.string(link.context.traceState.headerValue)
            }
            writer.append(",")
            writer.attributes(link.attributes)
            let linkFlags = ProtoSpanFlags.encode(
                traceFlags: link.context.traceFlags.rawValue,
                isRemote: link.context.isRemote
            )
            writer.append(",\"droppedAttributesCount\":\(link.droppedAttributeCount),\"flags\":\(linkFlags)}")
        }
        writer.append("],\"droppedLinksCount\":\(span.droppedLinkCount)")
        if let status = span.status {
            writer.append(",\"status\":{\"code\":\(status.code == .ok ? 1 : 2)")
            if let message = status.message {
                writer.append(",\"message\":")
                writer.string(message)
            }
            writer.append("}")
        }
        writer.append("}")
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
