import COTLPProto
import OTelSDK

/// Builds the protobuf-c message tree of an `ExportLogsServiceRequest` in a ``MessageArena``:
/// every struct, pointer array and string is arena memory, valid until the arena is reset.
struct LogMessageBuilder {
    private let common: CommonMessageBuilder
    private var arena: MessageArena { common.arena }
    private let requestTemplate: ProtoExportLogsRequest
    private let resourceLogsTemplate: ProtoResourceLogs
    private let scopeLogsTemplate: ProtoScopeLogs
    private let logRecordTemplate: ProtoLogRecord
    private let keyValueListTemplate: ProtoKeyValueList

    init(arena: MessageArena) {
        common = CommonMessageBuilder(arena: arena)
        // The generated init functions fill in each message's descriptor and defaults.
        requestTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__collector__logs__v1__export_logs_service_request__init($0)
        }
        resourceLogsTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__logs__v1__resource_logs__init($0)
        }
        scopeLogsTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__logs__v1__scope_logs__init($0) }
        logRecordTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__logs__v1__log_record__init($0) }
        keyValueListTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__common__v1__key_value_list__init($0)
        }
    }

    /// The request holding `records`, grouped by resource and scope.
    func request(_ records: ArraySlice<LogRecordData>) -> UnsafeMutablePointer<ProtoExportLogsRequest> {
        let groups = ResourceScopeGroups(records).resources
        let request = arena.allocate(ProtoExportLogsRequest.self)
        request.initialize(to: requestTemplate)
        request.pointee.n_resource_logs = groups.count
        request.pointee.resource_logs = common.pointerArray(groups) { group in
            let resourceLogs = arena.allocate(ProtoResourceLogs.self)
            resourceLogs.initialize(to: resourceLogsTemplate)
            resourceLogs.pointee.resource = common.resource(group.resource)
            resourceLogs.pointee.schema_url =
                common.schemaURL(group.resource.schemaURL) ?? resourceLogsTemplate.schema_url
            resourceLogs.pointee.n_scope_logs = group.scopes.count
            resourceLogs.pointee.scope_logs = common.pointerArray(group.scopes) { scopeGroup in
                let scopeLogs = arena.allocate(ProtoScopeLogs.self)
                scopeLogs.initialize(to: scopeLogsTemplate)
                scopeLogs.pointee.scope = common.scope(scopeGroup.scope)
                scopeLogs.pointee.schema_url =
                    common.schemaURL(scopeGroup.scope.schemaURL) ?? scopeLogsTemplate.schema_url
                scopeLogs.pointee.n_log_records = scopeGroup.indices.count
                scopeLogs.pointee.log_records = common.pointerArray(scopeGroup.indices) { logRecord(records[$0]) }
                return scopeLogs
            }
            return resourceLogs
        }
        return request
    }

    private func logRecord(_ record: LogRecordData) -> UnsafeMutablePointer<ProtoLogRecord> {
        let message = arena.allocate(ProtoLogRecord.self)
        message.initialize(to: logRecordTemplate)
        message.pointee.time_unix_nano = record.timeUnixNano
        message.pointee.observed_time_unix_nano = record.observedTimeUnixNano
        message.pointee.severity_number = Opentelemetry__Proto__Logs__V1__SeverityNumber(
            rawValue: UInt32(clamping: max(0, min(24, record.severity.number)))
        )
        message.pointee.severity_text = arena.copy(record.severity.text)
        if let body = record.body {
            message.pointee.body = anyValue(body)
        }
        if !record.attributes.isEmpty {
            message.pointee.n_attributes = record.attributes.count
            message.pointee.attributes = common.pointerArray(record.attributes) { keyValue($0) }
        }
        message.pointee.dropped_attributes_count = CommonMessageBuilder.count(record.droppedAttributeCount)
        if let span = record.spanContext {
            message.pointee.flags = UInt32(span.traceFlags.rawValue)
            message.pointee.trace_id = common.traceID(span.traceID)
            message.pointee.span_id = common.spanID(span.spanID)
        }
        if let eventName = record.eventName {
            message.pointee.event_name = arena.copy(eventName)
        }
        return message
    }

    private func keyValue(_ attribute: LogAttribute) -> UnsafeMutablePointer<ProtoKeyValue> {
        common.keyValue(key: arena.copy(attribute.key), valueMessage: anyValue(attribute.value), in: arena)
    }

    /// A log value as an AnyValue: the primitives as for span attributes, arrays and maps nested.
    private func anyValue(_ value: LogValue) -> UnsafeMutablePointer<ProtoAnyValue> {
        let message = arena.allocate(ProtoAnyValue.self)
        fill(message, with: value)
        return message
    }

    /// Initializes `message` as the AnyValue of `value`.
    private func fill(_ message: UnsafeMutablePointer<ProtoAnyValue>, with value: LogValue) {
        switch value {
        case .string(let string): common.fill(message, with: .string(string), in: arena)
        case .bool(let bool): common.fill(message, with: .bool(bool), in: arena)
        case .int(let int): common.fill(message, with: .int(int), in: arena)
        case .double(let double): common.fill(message, with: .double(double), in: arena)
        case .bytes(let bytes):
            common.initializeAnyValue(message)
            let data = arena.allocate(UInt8.self, count: max(1, bytes.count))
            data.initialize(from: bytes, count: bytes.count)
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BYTES_VALUE
            message.pointee.bytes_value = ProtobufCBinaryData(len: bytes.count, data: data)
        case .array(let values):
            common.initializeAnyValue(message)
            common.setArray(message, count: values.count, in: arena) { fill($0, with: values[$1]) }
        case .map(let attributes):
            common.initializeAnyValue(message)
            let list = arena.allocate(ProtoKeyValueList.self)
            list.initialize(to: keyValueListTemplate)
            list.pointee.n_values = attributes.count
            if !attributes.isEmpty {
                list.pointee.values = common.pointerArray(attributes) { keyValue($0) }
            }
            message.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE
            message.pointee.kvlist_value = list
        }
    }
}
