import COTLPProto
import OTLPExporter
import OTelSDK
import Tracing

/// Decodes OTLP trace requests with protobuf-c back into ``SpanData``: the receiving side, for
/// the receiver, the tests and the fuzz harness. (An exporter decodes only responses, beside
/// its senders.)
package enum OTLPTraceDecoder {
    /// Decodes an ExportTraceServiceRequest into its spans, in message order. Spans of one
    /// ResourceSpans share one ``Resource``; spans of one ScopeSpans share one scope. An
    /// attribute sent with its key or value only as an index into the profiles string table
    /// is left out and counted as dropped (see ``DecodedRequest``).
    /// Throws ``OTLPDecodingError``.
    /// - Parameter bytes: the protobuf bytes.
    package static func decodeRequest(_ bytes: UnsafeRawBufferPointer) throws -> [SpanData] {
        try decodeFullRequest(bytes).spans
    }

    /// Decodes an ExportTraceServiceRequest into its spans and what they have no place for:
    /// each resource's entity references, and how many attributes were sent as references
    /// into the profiles signal's string table (see ``DecodedRequest``).
    /// Throws ``OTLPDecodingError``.
    /// - Parameter bytes: the protobuf bytes.
    package static func decodeFullRequest(_ bytes: UnsafeRawBufferPointer) throws -> DecodedRequest {
        try withUnpackedRequest(bytes) { request in try decodeRequestMessage(request) }
    }

    /// Decodes an ExportTraceServiceRequest from an array of bytes, with what its spans have
    /// no place for (see ``DecodedRequest``).
    /// - Parameter bytes: the protobuf bytes.
    package static func decodeFullRequest(_ bytes: [UInt8]) throws -> DecodedRequest {
        try bytes.withUnsafeBytes { (buffer) in try decodeFullRequest(buffer) }
    }

    private static func decodeRequestMessage(_ request: UnsafePointer<ProtoExportRequest>) throws -> DecodedRequest {
        var spans: [SpanData] = []
        var resources: [DecodedResource] = []
        var references = 0
        for resourceSpans in buffer(request.pointee.resource_spans, request.pointee.n_resource_spans) {
            let resource = try decodeResource(
                resourceSpans.pointee.resource,
                schemaURL: resourceSpans.pointee.schema_url,
                references: &references
            )
            resources.append(resource)
            for scopeSpans in buffer(resourceSpans.pointee.scope_spans, resourceSpans.pointee.n_scope_spans) {
                let scope = try decodeScope(
                    scopeSpans.pointee.scope,
                    schemaURL: scopeSpans.pointee.schema_url,
                    references: &references
                )
                for span in buffer(scopeSpans.pointee.spans, scopeSpans.pointee.n_spans) {
                    spans.append(
                        try decodeSpan(span.pointee, resource: resource.resource, scope: scope, references: &references)
                    )
                }
            }
        }
        return DecodedRequest(spans: spans, resources: resources, profilesStringTableReferenceCount: references)
    }

    /// The number of spans in an ExportTraceServiceRequest, for receivers that only count.
    ///
    /// It walks the wire format instead of unpacking: every field of the request, of each
    /// ResourceSpans and ScopeSpans, and of each Span is checked for framing (the message
    /// fields the count passes through must be length-delimited), but nothing is built,
    /// which makes counting cheap next to ``decodeRequest(_:)-([UInt8])``.
    /// Throws ``OTLPDecodingError/malformedMessage(_:)``.
    package static func countSpans(inRequest bytes: UnsafeRawBufferPointer) throws(OTLPDecodingError) -> Int {
        do {
            var count = 0
            var request = ProtobufWireReader(bytes)
            while let resourceSpans = try request.next() {
                guard resourceSpans.number == 1 else { continue }
                var resource = try ProtobufWireReader(messageIn: resourceSpans)
                while let scopeSpans = try resource.next() {
                    guard scopeSpans.number == 2 else { continue }
                    var scope = try ProtobufWireReader(messageIn: scopeSpans)
                    while let span = try scope.next() {
                        guard span.number == 2 else { continue }
                        var fields = try ProtobufWireReader(messageIn: span)
                        while try fields.next() != nil {}
                        count += 1
                    }
                }
            }
            return count
        } catch {
            throw .malformedMessage("ExportTraceServiceRequest")
        }
    }

    /// Unpacks an ExportTraceServiceRequest with protobuf-c into an arena that lives for the
    /// call (a request of this size unpacks to a few times its bytes).
    private static func withUnpackedRequest<Result>(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafePointer<ProtoExportRequest>) throws -> Result
    ) throws -> Result {
        let arena = MessageArena(chunkSize: max(64 * 1024, bytes.count * 4))
        return try arena.withProtobufAllocator { allocator in
            guard
                let request = opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack(
                    allocator,
                    bytes.count,
                    bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                )
            else { throw OTLPDecodingError.malformedMessage("ExportTraceServiceRequest") }
            return try body(request)
        }
    }

    /// Decodes an ExportTraceServiceRequest from an array of bytes.
    /// - Parameter bytes: the protobuf bytes.
    package static func decodeRequest(_ bytes: [UInt8]) throws -> [SpanData] {
        try bytes.withUnsafeBytes { (buffer) in try decodeRequest(buffer) }
    }

    // MARK: Messages

    /// A resource message (of any signal's request) and its entity references; `schemaURL` is
    /// the enclosing ResourceSpans' or ResourceLogs'.
    static func decodeResource(
        _ message: UnsafeMutablePointer<ProtoResource>?,
        schemaURL: UnsafeMutablePointer<CChar>?,
        references: inout Int
    ) throws -> DecodedResource {
        guard let resource = message?.pointee else {
            return DecodedResource(
                resource: Resource(attributes: [], schemaURL: nonEmptyString(schemaURL)),
                entityRefs: []
            )
        }
        let attributes = try decodeAttributes(
            resource.attributes,
            resource.n_attributes,
            dropped: resource.dropped_attributes_count,
            references: &references
        )
        return DecodedResource(
            resource: Resource(
                attributes: attributes.kept,
                droppedAttributeCount: attributes.droppedCount,
                schemaURL: nonEmptyString(schemaURL)
            ),
            entityRefs: buffer(resource.entity_refs, resource.n_entity_refs).map { (entity) in
                EntityRef(
                    schemaURL: nonEmptyString(entity.pointee.schema_url),
                    type: string(entity.pointee.type) ?? "",
                    idKeys: buffer(entity.pointee.id_keys, entity.pointee.n_id_keys).map { String(cString: $0) },
                    descriptionKeys: buffer(entity.pointee.description_keys, entity.pointee.n_description_keys)
                        .map { String(cString: $0) }
                )
            }
        )
    }

    /// An instrumentation scope message (of any signal's request); `schemaURL` is the
    /// enclosing ScopeSpans' or ScopeLogs'.
    static func decodeScope(
        _ message: UnsafeMutablePointer<ProtoScope>?,
        schemaURL: UnsafeMutablePointer<CChar>?,
        references: inout Int
    ) throws -> InstrumentationScope {
        guard let scope = message?.pointee else {
            return InstrumentationScope(name: "", schemaURL: nonEmptyString(schemaURL))
        }
        let attributes = try decodeAttributes(
            scope.attributes,
            scope.n_attributes,
            dropped: scope.dropped_attributes_count,
            references: &references
        )
        return InstrumentationScope(
            name: string(scope.name) ?? "",
            version: nonEmptyString(scope.version),
            schemaURL: nonEmptyString(schemaURL),
            attributes: attributes.kept,
            droppedAttributeCount: attributes.droppedCount
        )
    }

    /// The parent's context as OTLP carries it: its span id and, in the span's flags, whether
    /// it is remote; its trace flags are not sent.
    static func parentContext(_ spanID: SpanID?, of context: SpanContext, flags: UInt32) -> SpanContext? {
        spanID.map {
            SpanContext(
                traceID: context.traceID,
                spanID: $0,
                traceState: context.traceState,
                isRemote: flags & ProtoSpanFlags.contextIsRemote != 0
            )
        }
    }

    private static func decodeSpan(
        _ span: ProtoSpan,
        resource: Resource,
        scope: InstrumentationScope,
        references: inout Int
    ) throws -> SpanData {
        let parentSpanID: SpanID? =
            span.parent_span_id.len == 0 ? nil : try decodeSpanID(span.parent_span_id, field: "parent_span_id")
        let attributes = try decodeAttributes(
            span.attributes,
            span.n_attributes,
            dropped: span.dropped_attributes_count,
            references: &references
        )
        let context = SpanContext(
            traceID: try decodeTraceID(span.trace_id, field: "trace_id"),
            spanID: try decodeSpanID(span.span_id, field: "span_id"),
            traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: span.flags & ProtoSpanFlags.traceFlagsMask)),
            traceState: decodeTraceState(span.trace_state)
        )
        return SpanData(
            context: context,
            parentSpanContext: parentContext(parentSpanID, of: context, flags: span.flags),
            name: string(span.name) ?? "",
            kind: decodeKind(span.kind),
            startTimeUnixNano: span.start_time_unix_nano,
            endTimeUnixNano: span.end_time_unix_nano,
            attributes: attributes.kept,
            events: try buffer(span.events, span.n_events).map { (event) in
                let eventAttributes = try decodeAttributes(
                    event.pointee.attributes,
                    event.pointee.n_attributes,
                    dropped: event.pointee.dropped_attributes_count,
                    references: &references
                )
                return SpanData.Event(
                    name: string(event.pointee.name) ?? "",
                    timeUnixNano: event.pointee.time_unix_nano,
                    attributes: eventAttributes.kept,
                    droppedAttributeCount: eventAttributes.droppedCount
                )
            },
            links: try buffer(span.links, span.n_links).map { (link) in
                let linkAttributes = try decodeAttributes(
                    link.pointee.attributes,
                    link.pointee.n_attributes,
                    dropped: link.pointee.dropped_attributes_count,
                    references: &references
                )
                return SpanData.Link(
                    context: SpanContext(
                        traceID: try decodeTraceID(link.pointee.trace_id, field: "link trace_id"),
                        spanID: try decodeSpanID(link.pointee.span_id, field: "link span_id"),
                        traceFlags: TraceFlags(
                            rawValue: UInt8(truncatingIfNeeded: link.pointee.flags & ProtoSpanFlags.traceFlagsMask)
                        ),
                        traceState: decodeTraceState(link.pointee.trace_state),
                        isRemote: link.pointee.flags & ProtoSpanFlags.contextIsRemote != 0
                    ),
                    attributes: linkAttributes.kept,
                    droppedAttributeCount: linkAttributes.droppedCount
                )
            },
            status: decodeStatus(span.status),
            droppedAttributeCount: attributes.droppedCount,
            droppedEventCount: Int(span.dropped_events_count),
            droppedLinkCount: Int(span.dropped_links_count),
            resource: resource,
            instrumentationScope: scope
        )
    }

    private static func decodeStatus(_ status: UnsafeMutablePointer<ProtoStatus>?) -> SpanStatus? {
        guard let status = status?.pointee else { return nil }
        switch status.code {
        case OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_OK:
            return SpanStatus(code: .ok, message: nonEmptyString(status.message))
        case OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR:
            return SpanStatus(code: .error, message: nonEmptyString(status.message))
        default:
            return nil
        }
    }

    private static func decodeKind(_ kind: Opentelemetry__Proto__Trace__V1__Span__SpanKind) -> SpanKind {
        switch kind {
        case OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER: .server
        case OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CLIENT: .client
        case OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_PRODUCER: .producer
        case OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CONSUMER: .consumer
        // UNSPECIFIED may be read as INTERNAL, as the specification allows.
        default: .internal
        }
    }

    // MARK: Attributes

    /// The attributes a span can hold, and the holder's dropped count: the `dropped` it was
    /// sent with plus the attributes left out because their key or value is only an index into
    /// the profiles string table (counted in `references`, see ``DecodedRequest``).
    static func decodeAttributes(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<ProtoKeyValue>?>?,
        _ count: Int,
        dropped: UInt32,
        references: inout Int
    ) throws -> (kept: [Attribute], droppedCount: Int) {
        var kept: [Attribute] = []
        kept.reserveCapacity(count)
        var droppedCount = Int(dropped)
        for keyValue in buffer(pointers, count) {
            let key = string(keyValue.pointee.key) ?? ""
            // Index 0 is the table's empty string, which the wire cannot tell from no index.
            let keyIsIndex = keyValue.pointee.key_strindex != 0
            let valueIndexes = keyValue.pointee.value.map { stringTableReferences(in: $0.pointee) } ?? 0
            references += (keyIsIndex ? 1 : 0) + valueIndexes
            // Read "as if this value were absent", an attribute without its key or value is
            // not one a span can hold; decoding it as "" would make up an attribute.
            if (keyIsIndex && key.isEmpty) || valueIndexes > 0 {
                droppedCount += 1
                continue
            }
            guard let value = keyValue.pointee.value, let decoded = decodeValue(value.pointee) else {
                throw OTLPDecodingError.unsupportedAttributeValue(key: key)
            }
            kept.append(Attribute(key, decoded))
        }
        return (kept, droppedCount)
    }

    /// How many string values in `value` (itself or, for an array, its elements) are indexes
    /// into the profiles string table.
    static func stringTableReferences(in value: ProtoAnyValue) -> Int {
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE_STRINDEX:
            return 1
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            guard let array = value.array_value?.pointee else { return 0 }
            return buffer(array.values, array.n_values).reduce(0) { $0 + stringTableReferences(in: $1.pointee) }
        default:
            return 0
        }
    }

    private static func decodeValue(_ value: ProtoAnyValue) -> AttributeValue? {
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE:
            return .string(string(value.string_value) ?? "")
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE:
            return .bool(value.bool_value != 0)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE:
            return .int(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE:
            return .double(value.double_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            guard let array = value.array_value?.pointee else { return .stringArray([]) }
            return decodeArray(buffer(array.values, array.n_values).map { decodeValue($0.pointee) })
        default:
            return nil
        }
    }

    /// A homogeneous array of primitives; nil for a mixed or nested one.
    static func decodeArray(_ elements: [AttributeValue?]) -> AttributeValue? {
        guard let first = elements.first else { return .stringArray([]) }
        switch first {
        case .string:
            let values = elements.compactMap { if case .string(let value)? = $0 { value } else { nil } }
            return values.count == elements.count ? .stringArray(values) : nil
        case .bool:
            let values = elements.compactMap { if case .bool(let value)? = $0 { value } else { nil } }
            return values.count == elements.count ? .boolArray(values) : nil
        case .int:
            let values = elements.compactMap { if case .int(let value)? = $0 { value } else { nil } }
            return values.count == elements.count ? .intArray(values) : nil
        case .double:
            let values = elements.compactMap { if case .double(let value)? = $0 { value } else { nil } }
            return values.count == elements.count ? .doubleArray(values) : nil
        default:
            return nil
        }
    }

    // MARK: Fields

    static func decodeTraceID(_ data: ProtobufCBinaryData, field: String) throws -> TraceID {
        guard let id = TraceID(bytes: UnsafeBufferPointer(start: data.data, count: data.len)) else {
            throw OTLPDecodingError.invalidID(field: field, byteCount: data.len)
        }
        return id
    }

    static func decodeSpanID(_ data: ProtobufCBinaryData, field: String) throws -> SpanID {
        guard let id = SpanID(bytes: UnsafeBufferPointer(start: data.data, count: data.len)) else {
            throw OTLPDecodingError.invalidID(field: field, byteCount: data.len)
        }
        return id
    }

    private static func decodeTraceState(_ header: UnsafeMutablePointer<CChar>?) -> TraceState {
        guard let header = nonEmptyString(header) else { return .empty }
        // OTLP carries the header text; an invalid one is dropped as a propagator would drop it.
        return TraceState(headerValue: header) ?? .empty
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    static func nonEmptyString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer, pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
    }

    static func buffer<Element>(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?,
        _ count: Int
    ) -> [UnsafeMutablePointer<Element>] {
        UnsafeBufferPointer(start: pointers, count: count).compactMap { $0 }
    }
}
