import COTLPProto
import OTelSDK

/// Builds the protobuf-c messages every signal's request shares (resources, scopes, attributes
/// and their values, ids) in a ``MessageArena``: every struct, pointer array and string is
/// arena memory, valid until the arena is reset.
struct CommonMessageBuilder {
    let arena: MessageArena
    private let keyValueTemplate: ProtoKeyValue
    private let anyValueTemplate: ProtoAnyValue
    private let arrayValueTemplate: ProtoArrayValue
    private let resourceTemplate: ProtoResource
    private let scopeTemplate: ProtoScope

    init(arena: MessageArena) {
        self.arena = arena
        // The generated init functions fill in each message's descriptor and defaults.
        keyValueTemplate = Self.initialized { opentelemetry__proto__common__v1__key_value__init($0) }
        anyValueTemplate = Self.initialized { opentelemetry__proto__common__v1__any_value__init($0) }
        arrayValueTemplate = Self.initialized { opentelemetry__proto__common__v1__array_value__init($0) }
        resourceTemplate = Self.initialized { opentelemetry__proto__resource__v1__resource__init($0) }
        scopeTemplate = Self.initialized { opentelemetry__proto__common__v1__instrumentation_scope__init($0) }
    }

    /// A message as its generated init function leaves it.
    static func initialized<Message>(_ initialize: (UnsafeMutablePointer<Message>) -> Void) -> Message {
        withUnsafeTemporaryAllocation(of: Message.self, capacity: 1) { buffer in
            initialize(buffer.baseAddress!)
            return buffer.baseAddress!.move()
        }
    }

    /// Dropped counts are uint32 on the wire.
    static func count(_ count: Int) -> UInt32 {
        UInt32(clamping: count)
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
    func pointerArray<Elements: Collection, Message>(
        _ elements: Elements,
        _ makeMessage: (Elements.Element) -> UnsafeMutablePointer<Message>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Message>?> {
        let pointers = arena.allocate(UnsafeMutablePointer<Message>?.self, count: elements.count)
        for (index, element) in elements.enumerated() {
            (pointers + index).initialize(to: makeMessage(element))
        }
        return pointers
    }

    func keyValues(
        _ attributes: [Attribute]
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<ProtoKeyValue>?>?) {
        guard !attributes.isEmpty else { return (0, nil) }
        let pointers = arena.allocate(UnsafeMutablePointer<ProtoKeyValue>?.self, count: attributes.count)
        for (index, attribute) in attributes.enumerated() {
            (pointers + index).initialize(
                to: keyValue(key: arena.copy(attribute.key), value: attribute.value, in: arena)
            )
        }
        return (attributes.count, pointers)
    }

    /// A KeyValue of `key` and `value`, built in `arena` (the builder's, or a scratch one).
    func keyValue(
        key: UnsafeMutablePointer<CChar>,
        value: AttributeValue,
        in arena: MessageArena
    ) -> UnsafeMutablePointer<ProtoKeyValue> {
        let valueMessage = arena.allocate(ProtoAnyValue.self)
        fill(valueMessage, with: value, in: arena)
        return keyValue(key: key, valueMessage: valueMessage, in: arena)
    }

    /// A KeyValue of `key` and an AnyValue already built.
    func keyValue(
        key: UnsafeMutablePointer<CChar>,
        valueMessage: UnsafeMutablePointer<ProtoAnyValue>,
        in arena: MessageArena
    ) -> UnsafeMutablePointer<ProtoKeyValue> {
        let message = arena.allocate(ProtoKeyValue.self)
        message.initialize(to: keyValueTemplate)
        message.pointee.key = key
        message.pointee.value = valueMessage
        return message
    }

    /// Initializes `message` as an AnyValue with no value set, for the caller to set one.
    func initializeAnyValue(_ message: UnsafeMutablePointer<ProtoAnyValue>) {
        message.initialize(to: anyValueTemplate)
    }

    /// Initializes `message` as the AnyValue of `value`.
    func fill(
        _ message: UnsafeMutablePointer<ProtoAnyValue>,
        with value: AttributeValue,
        in arena: MessageArena
    ) {
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
            setArray(message, count: strings.count, in: arena) { fill($0, with: .string(strings[$1]), in: arena) }
        case .boolArray(let bools):
            setArray(message, count: bools.count, in: arena) { fill($0, with: .bool(bools[$1]), in: arena) }
        case .intArray(let ints):
            setArray(message, count: ints.count, in: arena) { fill($0, with: .int(ints[$1]), in: arena) }
        case .doubleArray(let doubles):
            setArray(message, count: doubles.count, in: arena) { fill($0, with: .double(doubles[$1]), in: arena) }
        }
    }

    /// Makes the AnyValue `message` (already initialized) an array of `count` values, each
    /// initialized by `fillElement` with its index.
    func setArray(
        _ message: UnsafeMutablePointer<ProtoAnyValue>,
        count: Int,
        in arena: MessageArena,
        _ fillElement: (UnsafeMutablePointer<ProtoAnyValue>, Int) -> Void
    ) {
        let array = arena.allocate(ProtoArrayValue.self)
        array.initialize(to: arrayValueTemplate)
        if count > 0 {
            let values = arena.allocate(ProtoAnyValue.self, count: count)
            let pointers = arena.allocate(UnsafeMutablePointer<ProtoAnyValue>?.self, count: count)
            for index in 0..<count {
                fillElement(values + index, index)
                (pointers + index).initialize(to: values + index)
            }
            array.pointee.n_values = count
            array.pointee.values = pointers
        }
        message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
        message.pointee.array_value = array
    }

    func traceID(_ id: TraceID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(UInt8.self, count: 16)
        id.write(to: bytes)
        return ProtobufCBinaryData(len: 16, data: bytes)
    }

    func spanID(_ id: SpanID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(UInt8.self, count: 8)
        id.write(to: bytes)
        return ProtobufCBinaryData(len: 8, data: bytes)
    }
}
