import COTLPProto
import OTelSDK
import Tracing

/// Builds protobuf-c messages for spans, resources and scopes in an ``EncodingArena``.
///
/// Every struct, pointer array, string and id is arena memory, so building a batch costs
/// no allocation per span. The messages are valid until the arena is reset.
struct MessageTreeBuilder {
    private let arena: EncodingArena
    private let spanTemplate: ProtoSpan
    private let eventTemplate: ProtoEvent
    private let linkTemplate: ProtoLink
    private let statusTemplate: ProtoStatus
    private let keyValueTemplate: ProtoKeyValue
    private let anyValueTemplate: ProtoAnyValue
    private let arrayValueTemplate: ProtoArrayValue
    private let resourceTemplate: ProtoResource
    private let scopeTemplate: ProtoScope

    init(arena: EncodingArena) {
        self.arena = arena
        // The generated init functions fill in each message's descriptor and defaults.
        var span = ProtoSpan()
        opentelemetry__proto__trace__v1__span__init(&span)
        spanTemplate = span
        var event = ProtoEvent()
        opentelemetry__proto__trace__v1__span__event__init(&event)
        eventTemplate = event
        var link = ProtoLink()
        opentelemetry__proto__trace__v1__span__link__init(&link)
        linkTemplate = link
        var status = ProtoStatus()
        opentelemetry__proto__trace__v1__status__init(&status)
        statusTemplate = status
        var keyValue = ProtoKeyValue()
        opentelemetry__proto__common__v1__key_value__init(&keyValue)
        keyValueTemplate = keyValue
        var anyValue = ProtoAnyValue()
        opentelemetry__proto__common__v1__any_value__init(&anyValue)
        anyValueTemplate = anyValue
        var arrayValue = ProtoArrayValue()
        opentelemetry__proto__common__v1__array_value__init(&arrayValue)
        arrayValueTemplate = arrayValue
        var resource = ProtoResource()
        opentelemetry__proto__resource__v1__resource__init(&resource)
        resourceTemplate = resource
        var scope = ProtoScope()
        opentelemetry__proto__common__v1__instrumentation_scope__init(&scope)
        scopeTemplate = scope
    }

    func span(_ span: SpanData) -> UnsafeMutablePointer<ProtoSpan> {
        let message = arena.allocate(ProtoSpan.self)
        message.initialize(to: spanTemplate)
        message.pointee.trace_id = traceID(span.context.traceID)
        message.pointee.span_id = spanID(span.context.spanID)
        if !span.context.traceState.isEmpty {
            message.pointee.trace_state = traceState(span.context.traceState)
        }
        if let parent = span.parentSpanID {
            message.pointee.parent_span_id = spanID(parent)
        }
        message.pointee.flags = ProtoSpanFlags.encode(
            traceFlags: span.context.traceFlags.rawValue,
            isRemote: span.parentIsRemote
        )
        message.pointee.name = arena.copy(span.name)
        message.pointee.kind = Self.kind(span.kind)
        message.pointee.start_time_unix_nano = span.startTimeUnixNano
        message.pointee.end_time_unix_nano = span.endTimeUnixNano
        (message.pointee.n_attributes, message.pointee.attributes) = keyValues(span.attributes)
        message.pointee.dropped_attributes_count = Self.count(span.droppedAttributeCount)
        if !span.events.isEmpty {
            message.pointee.n_events = span.events.count
            message.pointee.events = pointerArray(span.events) { event($0) }
        }
        message.pointee.dropped_events_count = Self.count(span.droppedEventCount)
        if !span.links.isEmpty {
            message.pointee.n_links = span.links.count
            message.pointee.links = pointerArray(span.links) { link($0) }
        }
        message.pointee.dropped_links_count = Self.count(span.droppedLinkCount)
        if let status = span.status {
            message.pointee.status = self.status(status)
        }
        return message
    }

    func resource(_ resource: Resource) -> UnsafeMutablePointer<ProtoResource> {
        let message = arena.allocate(ProtoResource.self)
        message.initialize(to: resourceTemplate)
        (message.pointee.n_attributes, message.pointee.attributes) = keyValues(resource.attributes)
        message.pointee.dropped_attributes_count = Self.count(resource.droppedAttributeCount)
        return message
    }

    func scope(_ scope: InstrumentationScope) -> UnsafeMutablePointer<ProtoScope> {
        let message = arena.allocate(ProtoScope.self)
        message.initialize(to: scopeTemplate)
        message.pointee.name = arena.copy(scope.name)
        if let version = scope.version {
            message.pointee.version = arena.copy(version)
        }
        (message.pointee.n_attributes, message.pointee.attributes) = keyValues(scope.attributes)
        message.pointee.dropped_attributes_count = Self.count(scope.droppedAttributeCount)
        return message
    }

    /// A NUL-terminated copy of a schema URL, or nil (the field is then left out).
    func schemaURL(_ url: String?) -> UnsafeMutablePointer<CChar>? {
        url.map { arena.copy($0) }
    }

    /// An arena array of pointers to fresh messages, one per element.
    func pointerArray<Element, Message>(
        _ elements: [Element],
        _ makeMessage: (Element) -> UnsafeMutablePointer<Message>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Message>?> {
        let pointers = arena.allocate(UnsafeMutablePointer<Message>?.self, count: elements.count)
        for (index, element) in elements.enumerated() {
            (pointers + index).initialize(to: makeMessage(element))
        }
        return pointers
    }

    private func event(_ event: SpanData.Event) -> UnsafeMutablePointer<ProtoEvent> {
        let message = arena.allocate(ProtoEvent.self)
        message.initialize(to: eventTemplate)
        message.pointee.time_unix_nano = event.timeUnixNano
        message.pointee.name = arena.copy(event.name)
        (message.pointee.n_attributes, message.pointee.attributes) = keyValues(event.attributes)
        message.pointee.dropped_attributes_count = Self.count(event.droppedAttributeCount)
        return message
    }

    private func link(_ link: SpanData.Link) -> UnsafeMutablePointer<ProtoLink> {
        let message = arena.allocate(ProtoLink.self)
        message.initialize(to: linkTemplate)
        message.pointee.trace_id = traceID(link.context.traceID)
        message.pointee.span_id = spanID(link.context.spanID)
        if !link.context.traceState.isEmpty {
            message.pointee.trace_state = traceState(link.context.traceState)
        }
        (message.pointee.n_attributes, message.pointee.attributes) = keyValues(link.attributes)
        message.pointee.dropped_attributes_count = Self.count(link.droppedAttributeCount)
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

    private func keyValues(
        _ attributes: [Attribute]
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<ProtoKeyValue>?>?) {
        guard !attributes.isEmpty else { return (0, nil) }
        let keyValues = arena.allocate(ProtoKeyValue.self, count: attributes.count)
        let values = arena.allocate(ProtoAnyValue.self, count: attributes.count)
        let pointers = arena.allocate(UnsafeMutablePointer<ProtoKeyValue>?.self, count: attributes.count)
        for (index, attribute) in attributes.enumerated() {
            let keyValue = keyValues + index
            keyValue.initialize(to: keyValueTemplate)
            keyValue.pointee.key = arena.copy(attribute.key)
            keyValue.pointee.value = values + index
            fill(values + index, with: attribute.value)
            (pointers + index).initialize(to: keyValue)
        }
        return (attributes.count, pointers)
    }

    private func fill(_ message: UnsafeMutablePointer<ProtoAnyValue>, with value: AttributeValue) {
        message.initialize(to: anyValueTemplate)
        switch value {
        case .string(let string):
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE
            message.pointee.string_value = arena.copy(string)
        case .bool(let bool):
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE
            message.pointee.bool_value = bool ? 1 : 0
        case .int(let int):
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE
            message.pointee.int_value = int
        case .double(let double):
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE
            message.pointee.double_value = double
        case .stringArray(let strings):
            setArray(message, strings) { .string($0) }
        case .boolArray(let bools):
            setArray(message, bools) { .bool($0) }
        case .intArray(let ints):
            setArray(message, ints) { .int($0) }
        case .doubleArray(let doubles):
            setArray(message, doubles) { .double($0) }
        }
    }

    private func setArray<Element>(
        _ message: UnsafeMutablePointer<ProtoAnyValue>,
        _ elements: [Element],
        _ wrap: (Element) -> AttributeValue
    ) {
        let array = arena.allocate(ProtoArrayValue.self)
        array.initialize(to: arrayValueTemplate)
        if !elements.isEmpty {
            let values = arena.allocate(ProtoAnyValue.self, count: elements.count)
            let pointers = arena.allocate(UnsafeMutablePointer<ProtoAnyValue>?.self, count: elements.count)
            for (index, element) in elements.enumerated() {
                fill(values + index, with: wrap(element))
                (pointers + index).initialize(to: values + index)
            }
            array.pointee.n_values = elements.count
            array.pointee.values = pointers
        }
        message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
        message.pointee.array_value = array
    }

    private func traceID(_ id: TraceID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(UInt8.self, count: 16)
        id.write(to: bytes)
        return ProtobufCBinaryData(len: 16, data: bytes)
    }

    private func spanID(_ id: SpanID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(UInt8.self, count: 8)
        id.write(to: bytes)
        return ProtobufCBinaryData(len: 8, data: bytes)
    }

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

    /// Dropped counts are uint32 on the wire.
    private static func count(_ count: Int) -> UInt32 {
        UInt32(clamping: count)
    }
}
