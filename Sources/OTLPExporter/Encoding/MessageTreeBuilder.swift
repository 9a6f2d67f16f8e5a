import COTLPProto
import OTelSDK
import Tracing

/// Builds protobuf-c messages for spans, resources and scopes in a ``MessageArena``.
///
/// Every struct, pointer array, string and id is arena memory, so building a batch costs
/// no allocation per span. The messages are valid until ``reset()``.
///
/// A span's attributes are KeyValues that protobuf-c packs as they are built (see
/// proto/otlp_prepacked/v1/prepacked_trace.proto). Spans from one call site repeat most
/// attributes, so the builder remembers the previous spans' packed attributes: an identical
/// one reuses the bytes, which protobuf-c then copies rather than walking its KeyValue and
/// AnyValue again. An identical span name reuses its C string.
struct MessageTreeBuilder {
    /// An attribute of an earlier span and its KeyValue, packed.
    private struct PreviousAttribute {
        let attribute: Attribute
        /// The key's length in UTF-8 bytes, compared before the key itself.
        let keyLength: Int
        /// The key as a C string, for packing another value with it.
        let key: UnsafeMutablePointer<CChar>
        let packed: ProtobufCBinaryData

        init(attribute: Attribute, key: UnsafeMutablePointer<CChar>, packed: ProtobufCBinaryData) {
            self.attribute = attribute
            self.keyLength = attribute.key.utf8.count
            self.key = key
            self.packed = packed
        }
    }

    private let arena: MessageArena
    /// Where span attributes' KeyValues are built to be packed into `arena`: only their bytes
    /// are part of the request.
    private let attributeScratch = MessageArena(chunkSize: 64 * 1024)
    private var previousAttributes: [PreviousAttribute] = []
    private var previousSpanName = LastStringCopy()
    /// The previous span's trace id and parent id bytes: spans of one trace, or children of
    /// one parent, come in runs.
    private var previousTraceID: (id: TraceID, bytes: ProtobufCBinaryData)?
    private var previousParentID: (id: SpanID, bytes: ProtobufCBinaryData)?
    private var previousEventName = LastStringCopy()
    /// The bytes of what the tree points to more than once (a reused name or attribute)
    /// beyond the first time: the arena holds them once, a packed request once per reference.
    private var sharedBytes = 0

    /// A size that the packed tree built since the last ``reset()`` cannot exceed, found
    /// without walking the tree, so that the common request can be packed without being sized
    /// first (sizing is a full walk of the tree, a fifth of the worker's time).
    ///
    /// Every field protobuf-c writes takes at most twice the bytes its value occupies in the
    /// message structs and the memory they point to: a tag and a length (at most 7 bytes) for
    /// a string, bytes or submessage pointer (8 bytes) plus the data it points to; at most 11
    /// for an 8-byte number, 7 for a 4-byte one (the OTLP enumerations are small and not
    /// negative). Each message's 24-byte header and unset fields write nothing. So twice the
    /// bytes taken from the arena, plus twice what is referenced more than once, bounds it.
    var packedSizeBound: Int {
        2 * (arena.usedBytes + sharedBytes) + 64
    }
    private let spanTemplate: PrepackedSpan
    private let eventTemplate: ProtoEvent
    private let linkTemplate: ProtoLink
    private let statusTemplate: ProtoStatus
    /// Resources, scopes, attribute values and ids: what every signal's tree shares.
    let common: CommonMessageBuilder

    init(arena: MessageArena) {
        self.arena = arena
        // The generated init functions fill in each message's descriptor and defaults.
        spanTemplate = CommonMessageBuilder.initialized { otlp_prepacked__v1__span__init($0) }
        eventTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__trace__v1__span__event__init($0) }
        linkTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__trace__v1__span__link__init($0) }
        statusTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__trace__v1__status__init($0) }
        common = CommonMessageBuilder(arena: arena)
    }

    /// Forgets the reused messages; call when the arena is reset.
    mutating func reset() {
        arena.reset()
        attributeScratch.reset()
        previousAttributes.removeAll(keepingCapacity: true)
        sharedBytes = 0
        previousSpanName = LastStringCopy()
        previousTraceID = nil
        previousParentID = nil
        previousEventName = LastStringCopy()
    }

    /// Builds `spans[order[0]]`, `spans[order[1]]`, ... into `messages[0]`, `messages[1]`, ...
    mutating func spans(
        _ spans: [SpanData],
        in order: [Int],
        into messages: UnsafeMutablePointer<UnsafeMutablePointer<PrepackedSpan>?>
    ) {
        spans.withUnsafeBufferPointer { spans in
            for (position, spanIndex) in order.enumerated() {
                // By pointer: passing the element would copy it, retaining every field.
                (messages + position).initialize(to: span(spans.baseAddress! + spanIndex))
            }
        }
    }

    private mutating func span(_ span: UnsafePointer<SpanData>) -> UnsafeMutablePointer<PrepackedSpan> {
        let message = arena.allocate(PrepackedSpan.self)
        message.initialize(to: spanTemplate)
        let traceID = span.pointee.context.traceID
        if let previous = previousTraceID, previous.id == traceID {
            message.pointee.trace_id = previous.bytes
        } else {
            message.pointee.trace_id = common.traceID(traceID)
            previousTraceID = (traceID, message.pointee.trace_id)
        }
        message.pointee.span_id = common.spanID(span.pointee.context.spanID)
        if !span.pointee.context.traceState.isEmpty {
            message.pointee.trace_state = traceState(span.pointee.context.traceState)
        }
        if let parent = span.pointee.parentSpanID {
            if let previous = previousParentID, previous.id == parent {
                message.pointee.parent_span_id = previous.bytes
            } else {
                message.pointee.parent_span_id = common.spanID(parent)
                previousParentID = (parent, message.pointee.parent_span_id)
            }
        }
        message.pointee.flags = ProtoSpanFlags.encode(
            traceFlags: span.pointee.context.traceFlags.rawValue,
            isRemote: span.pointee.parentIsRemote
        )
        message.pointee.name = previousSpanName.cString(for: span.pointee.name, in: arena)
        sharedBytes += span.pointee.name.utf8.count + 1
        message.pointee.kind = Self.kind(span.pointee.kind)
        message.pointee.start_time_unix_nano = span.pointee.startTimeUnixNano
        message.pointee.end_time_unix_nano = span.pointee.endTimeUnixNano
        (message.pointee.n_attributes, message.pointee.attributes) = spanAttributes(span)
        message.pointee.dropped_attributes_count = CommonMessageBuilder.count(span.pointee.droppedAttributeCount)
        if !span.pointee.events.isEmpty {
            message.pointee.n_events = span.pointee.events.count
            let events = arena.allocate(UnsafeMutablePointer<ProtoEvent>?.self, count: span.pointee.events.count)
            for (index, event) in span.pointee.events.enumerated() {
                (events + index).initialize(to: self.event(event))
            }
            message.pointee.events = events
        }
        message.pointee.dropped_events_count = CommonMessageBuilder.count(span.pointee.droppedEventCount)
        if !span.pointee.links.isEmpty {
            message.pointee.n_links = span.pointee.links.count
            message.pointee.links = common.pointerArray(span.pointee.links) { link($0) }
        }
        message.pointee.dropped_links_count = CommonMessageBuilder.count(span.pointee.droppedLinkCount)
        if let status = span.pointee.status {
            message.pointee.status = self.status(status)
        }
        return message
    }

    private mutating func event(_ event: SpanData.Event) -> UnsafeMutablePointer<ProtoEvent> {
        let message = arena.allocate(ProtoEvent.self)
        message.initialize(to: eventTemplate)
        message.pointee.time_unix_nano = event.timeUnixNano
        message.pointee.name = previousEventName.cString(for: event.name, in: arena)
        sharedBytes += event.name.utf8.count + 1
        (message.pointee.n_attributes, message.pointee.attributes) = common.keyValues(event.attributes)
        message.pointee.dropped_attributes_count = CommonMessageBuilder.count(event.droppedAttributeCount)
        return message
    }

    private func link(_ link: SpanData.Link) -> UnsafeMutablePointer<ProtoLink> {
        let message = arena.allocate(ProtoLink.self)
        message.initialize(to: linkTemplate)
        message.pointee.trace_id = common.traceID(link.context.traceID)
        message.pointee.span_id = common.spanID(link.context.spanID)
        if !link.context.traceState.isEmpty {
            message.pointee.trace_state = traceState(link.context.traceState)
        }
        (message.pointee.n_attributes, message.pointee.attributes) = common.keyValues(link.attributes)
        message.pointee.dropped_attributes_count = CommonMessageBuilder.count(link.droppedAttributeCount)
        message.pointee.flags = ProtoSpanFlags.encode(
            traceFlags: link.context.traceFlags.rawValue,
            isRemote: link.context.isRemote
        )
        return message
    }

    private func status(_ status: SpanStatus) -> UnsafeMutablePointer<ProtoStatus> {
        let message = arena.allocate(ProtoStatus.self)
        message.initialize(to: statusTemplate)
        switch status.code {
        case .ok: message.pointee.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_OK
        case .error: message.pointee.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR
        }
        if let description = status.message {
            message.pointee.message = arena.copy(description)
        }
        return message
    }

    /// A span's attributes, each a packed KeyValue: an earlier span's bytes where it had the
    /// identical attribute.
    private mutating func spanAttributes(
        _ span: UnsafePointer<SpanData>
    ) -> (Int, UnsafeMutablePointer<ProtobufCBinaryData>?) {
        let capacity = span.pointee.attributeCount
        guard capacity > 0 else { return (0, nil) }
        let entries = arena.allocate(ProtobufCBinaryData.self, count: capacity)
        var index = 0
        span.pointee.forEachAttribute { key, value in
            guard index < capacity else { return }
            (entries + index).initialize(to: packedKeyValue(at: index, key: key, value: value))
            index += 1
        }
        return (index, entries)
    }

    /// The attribute at `index` of a span as a packed KeyValue: an earlier span's bytes when it
    /// had the identical attribute, else packed now and remembered.
    private mutating func packedKeyValue(at index: Int, key: String, value: AttributeValue) -> ProtobufCBinaryData {
        let keyLength = key.utf8.count
        guard let (position, identical) = previousAttribute(from: index, key: key, keyLength: keyLength, value: value)
        else {
            let keyCString = attributeScratch.copy(key)
            let packed = pack(key: keyCString, keyLength: keyLength, value: value)
            let remembered = PreviousAttribute(attribute: Attribute(key, value), key: keyCString, packed: packed)
            let count = previousAttributes.count
            if count < Self.rememberedAttributeLimit {
                previousAttributes.append(remembered)
            } else {
                previousAttributes[index % count] = remembered
            }
            return packed
        }
        if identical {
            let packed = previousAttributes[position].packed
            sharedBytes += packed.len
            return packed
        }
        let keyCString = previousAttributes[position].key
        let packed = pack(key: keyCString, keyLength: keyLength, value: value)
        previousAttributes[position] = PreviousAttribute(
            attribute: Attribute(key, value),
            key: keyCString,
            packed: packed
        )
        return packed
    }

    /// A KeyValue packed by protobuf-c into the arena; its message is built in the scratch arena.
    private func pack(key: UnsafeMutablePointer<CChar>, keyLength: Int, value: AttributeValue) -> ProtobufCBinaryData {
        let before = attributeScratch.usedBytes
        let message = common.keyValue(key: key, value: value, in: attributeScratch)
        // Twice the bytes of a message tree bound what it packs to (see `packedSizeBound`); the
        // key is counted apart, as it may have been copied for an earlier value.
        let bound = 2 * (attributeScratch.usedBytes - before + keyLength + 1) + 16
        let room = arena.allocateBytes(bound, alignment: 1)
        let length = protobuf_c_message_pack(messageHeader(message), room.assumingMemoryBound(to: UInt8.self))
        precondition(length <= bound, "protobuf-c packed a KeyValue to \(length) bytes, beyond its bound \(bound)")
        arena.shrinkLastAllocation(startingAt: room, toByteCount: length)
        return ProtobufCBinaryData(len: length, data: room.assumingMemoryBound(to: UInt8.self))
    }

    /// The position of the remembered attribute with `key`, and whether its value is
    /// identical to `value`. The one at `index` is tried first, then those after it, because a
    /// dictionary's order differs from one span's dictionary to the next. Read in place:
    /// copying each remembered attribute to compare it retained and released its strings.
    private func previousAttribute(
        from index: Int,
        key: String,
        keyLength: Int,
        value: AttributeValue
    ) -> (position: Int, identical: Bool)? {
        previousAttributes.withUnsafeBufferPointer { previous in
            let count = previous.count
            // Wrapped by a comparison rather than a remainder: a division per step costs more
            // than the comparisons it leads to.
            var position = index < count ? index : index % max(count, 1)
            for _ in 0..<count {
                // Lengths first: the keys of one span rarely share one, so most keys that
                // differ are told apart without a string comparison.
                if previous[position].keyLength == keyLength, previous[position].attribute.key.hasSameUTF8(as: key) {
                    return (position, previous[position].attribute.value.isIdentical(to: value))
                }
                position = position + 1 == count ? 0 : position + 1
            }
            return nil
        }
    }

    /// How many distinct attributes are remembered for reuse within a batch: enough for the
    /// attributes spans of one kind share, few enough that a miss stays cheap.
    private static let rememberedAttributeLimit = 32

    /// The `tracestate` header form, written straight into the arena.
    private func traceState(_ state: TraceState) -> UnsafeMutablePointer<CChar> {
        var length = state.entries.count - 1
        for entry in state.entries {
            length += entry.key.utf8.count + 1 + entry.value.utf8.count
        }
        let destination = arena.allocate(UInt8.self, count: length + 1)
        var position = 0
        func append(_ string: String) {
            for byte in string.utf8 {
                destination[position] = byte
                position += 1
            }
        }
        for (index, entry) in state.entries.enumerated() {
            if index > 0 { append(",") }
            append(entry.key)
            append("=")
            append(entry.value)
        }
        destination[position] = 0
        return UnsafeMutableRawPointer(destination).assumingMemoryBound(to: CChar.self)
    }

    private static func kind(_ kind: SpanKind) -> Opentelemetry__Proto__Trace__V1__Span__SpanKind {
        switch kind {
        case .internal: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_INTERNAL
        case .server: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER
        case .client: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CLIENT
        case .producer: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_PRODUCER
        case .consumer: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CONSUMER
        }
    }
}
