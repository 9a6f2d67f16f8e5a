import COTLPProto
import OTLPExporter
import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes OTLP log requests, protobuf (with protobuf-c) or JSON, back into ``LogRecordData``:
/// the receiving side, for the receiver, the tests and the fuzz harness. Resources, scopes and
/// their attributes are read as ``OTLPTraceDecoder`` reads a trace request's.
package enum OTLPLogDecoder {
    /// Decodes an ExportLogsServiceRequest into its records, in message order.
    /// - Parameter bytes: the protobuf bytes.
    /// - Throws: ``OTLPDecodingError`` when the bytes are not such a request.
    package static func decodeRequest(_ bytes: [UInt8]) throws -> [LogRecordData] {
        try bytes.withUnsafeBytes { bytes in
            let arena = MessageArena(chunkSize: max(64 * 1024, bytes.count * 4))
            return try arena.withProtobufAllocator { allocator in
                guard
                    let request = opentelemetry__proto__collector__logs__v1__export_logs_service_request__unpack(
                        allocator,
                        bytes.count,
                        bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    )
                else { throw OTLPDecodingError.malformedMessage("ExportLogsServiceRequest") }
                return try decode(request.pointee)
            }
        }
    }

    private static func decode(_ request: ProtoExportLogsRequest) throws -> [LogRecordData] {
        var records: [LogRecordData] = []
        var references = 0
        for resourceLogs in OTLPTraceDecoder.buffer(request.resource_logs, request.n_resource_logs) {
            let resource = try OTLPTraceDecoder.decodeResource(
                resourceLogs.pointee.resource,
                schemaURL: resourceLogs.pointee.schema_url,
                references: &references
            ).resource
            for scopeLogs in OTLPTraceDecoder.buffer(resourceLogs.pointee.scope_logs, resourceLogs.pointee.n_scope_logs)
            {
                let scope = try OTLPTraceDecoder.decodeScope(
                    scopeLogs.pointee.scope,
                    schemaURL: scopeLogs.pointee.schema_url,
                    references: &references
                )
                for record in OTLPTraceDecoder.buffer(scopeLogs.pointee.log_records, scopeLogs.pointee.n_log_records) {
                    records.append(try decode(record.pointee, resource: resource, scope: scope))
                }
            }
        }
        return records
    }

    private static func decode(
        _ record: ProtoLogRecord,
        resource: Resource,
        scope: InstrumentationScope
    ) throws -> LogRecordData {
        var attributes: [LogAttribute] = []
        for keyValue in OTLPTraceDecoder.buffer(record.attributes, record.n_attributes) {
            let key = OTLPTraceDecoder.string(keyValue.pointee.key) ?? ""
            guard let value = keyValue.pointee.value, let decoded = decodeValue(value.pointee) else {
                throw OTLPDecodingError.unsupportedAttributeValue(key: key)
            }
            attributes.append(LogAttribute(key, decoded))
        }
        var spanContext: SpanContext?
        if record.trace_id.len > 0 || record.span_id.len > 0 {
            spanContext = SpanContext(
                traceID: try OTLPTraceDecoder.decodeTraceID(record.trace_id, field: "trace_id"),
                spanID: try OTLPTraceDecoder.decodeSpanID(record.span_id, field: "span_id"),
                traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: record.flags & 0xFF))
            )
        }
        return LogRecordData(
            timeUnixNano: record.time_unix_nano,
            observedTimeUnixNano: record.observed_time_unix_nano,
            severity: LogSeverity(
                number: Int(record.severity_number.rawValue),
                text: OTLPTraceDecoder.string(record.severity_text) ?? ""
            ),
            body: record.body.flatMap { decodeValue($0.pointee) },
            attributes: attributes,
            droppedAttributeCount: Int(record.dropped_attributes_count),
            spanContext: spanContext,
            eventName: OTLPTraceDecoder.nonEmptyString(record.event_name),
            resource: resource,
            instrumentationScope: scope
        )
    }

    /// An AnyValue as a log value, nested arrays and maps included; nil for none set (or a
    /// string-table index, which only profiles have).
    private static func decodeValue(_ value: ProtoAnyValue) -> LogValue? {
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE:
            return .string(OTLPTraceDecoder.string(value.string_value) ?? "")
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE:
            return .bool(value.bool_value != 0)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE:
            return .int(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE:
            return .double(value.double_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BYTES_VALUE:
            return .bytes(Array(UnsafeBufferPointer(start: value.bytes_value.data, count: value.bytes_value.len)))
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            guard let array = value.array_value?.pointee else { return .array([]) }
            let elements = OTLPTraceDecoder.buffer(array.values, array.n_values).map { decodeValue($0.pointee) }
            return elements.contains { $0 == nil } ? nil : .array(elements.map { $0! })
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE:
            guard let list = value.kvlist_value?.pointee else { return .map([]) }
            var entries: [LogAttribute] = []
            for keyValue in OTLPTraceDecoder.buffer(list.values, list.n_values) {
                guard let entry = keyValue.pointee.value, let decoded = decodeValue(entry.pointee) else { return nil }
                entries.append(LogAttribute(OTLPTraceDecoder.string(keyValue.pointee.key) ?? "", decoded))
            }
            return .map(entries)
        default:
            return nil
        }
    }

    // MARK: JSON

    /// Decodes an OTLP/JSON ExportLogsServiceRequest into its records, in message order: ids in
    /// hex (either case), 64-bit integers as strings or numbers, bytes in base64.
    /// - Parameter bytes: the JSON body.
    /// - Throws: ``OTLPDecodingError`` when the body is not such a request.
    package static func decodeJSONRequest(_ bytes: [UInt8]) throws -> [LogRecordData] {
        guard let request = JSONValue(parsing: bytes), case .object = request else {
            throw OTLPDecodingError.malformedMessage("ExportLogsServiceRequest (JSON)")
        }
        var records: [LogRecordData] = []
        var references = 0
        for resourceLogs in try OTLPTraceDecoder.objects(request["resourceLogs"], "resourceLogs") {
            let resource = try OTLPTraceDecoder.jsonResource(of: resourceLogs, references: &references).resource
            for scopeLogs in try OTLPTraceDecoder.objects(resourceLogs["scopeLogs"], "scopeLogs") {
                let scope = try OTLPTraceDecoder.jsonScope(of: scopeLogs, references: &references)
                for record in try OTLPTraceDecoder.objects(scopeLogs["logRecords"], "logRecords") {
                    records.append(try jsonRecord(record, resource: resource, scope: scope))
                }
            }
        }
        return records
    }

    private static func jsonRecord(
        _ record: JSONValue,
        resource: Resource,
        scope: InstrumentationScope
    ) throws -> LogRecordData {
        var attributes: [LogAttribute] = []
        for keyValue in try OTLPTraceDecoder.objects(record["attributes"], "attributes") {
            let key = keyValue["key"]?.string ?? ""
            guard let value = try OTLPTraceDecoder.object(keyValue["value"], "value"),
                let decoded = try jsonValue(value)
            else { throw OTLPDecodingError.unsupportedAttributeValue(key: key) }
            attributes.append(LogAttribute(key, decoded))
        }
        let traceHex = record["traceId"]?.string ?? ""
        let spanHex = record["spanId"]?.string ?? ""
        var spanContext: SpanContext?
        if !traceHex.isEmpty || !spanHex.isEmpty {
            let flags = try OTLPTraceDecoder.integer(record["flags"], "flags")
            spanContext = SpanContext(
                traceID: try OTLPTraceDecoder.traceID(.string(traceHex), "traceId"),
                spanID: try OTLPTraceDecoder.spanID(.string(spanHex), "spanId"),
                traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags & 0xFF))
            )
        }
        return LogRecordData(
            timeUnixNano: UInt64(
                truncatingIfNeeded: try OTLPTraceDecoder.integer(record["timeUnixNano"], "timeUnixNano")
            ),
            observedTimeUnixNano: UInt64(
                truncatingIfNeeded: try OTLPTraceDecoder.integer(record["observedTimeUnixNano"], "observedTimeUnixNano")
            ),
            severity: LogSeverity(
                number: Int(try severityNumber(record["severityNumber"])),
                text: record["severityText"]?.string ?? ""
            ),
            body: try OTLPTraceDecoder.object(record["body"], "body").flatMap { try jsonValue($0) },
            attributes: attributes,
            droppedAttributeCount: Int(
                try OTLPTraceDecoder.integer(record["droppedAttributesCount"], "droppedAttributesCount")
            ),
            spanContext: spanContext,
            eventName: OTLPTraceDecoder.nonEmpty(record["eventName"]?.string),
            resource: resource,
            instrumentationScope: scope
        )
    }

    /// The severity number, as an integer or, as the JSON mapping allows enums, as its name.
    private static func severityNumber(_ value: JSONValue?) throws -> Int64 {
        guard let name = value?.string, Int64(name) == nil else {
            return try OTLPTraceDecoder.integer(value, "severityNumber")
        }
        let levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        guard name.hasPrefix("SEVERITY_NUMBER_") else {
            throw OTLPDecodingError.malformedMessage("severityNumber \(name)")
        }
        let level = name.dropFirst("SEVERITY_NUMBER_".count)
        for (index, base) in levels.enumerated() where level.hasPrefix(base) {
            let step = Int64(level.dropFirst(base.count)) ?? 1
            guard (1...4).contains(step) else { break }
            return Int64(index * 4) + step
        }
        if level == "UNSPECIFIED" { return 0 }
        throw OTLPDecodingError.malformedMessage("severityNumber \(name)")
    }

    private static func jsonValue(_ value: JSONValue) throws -> LogValue? {
        if let string = value["stringValue"]?.string { return .string(string) }
        if let bool = value["boolValue"]?.bool { return .bool(bool) }
        if let int = value["intValue"] { return .int(try OTLPTraceDecoder.integer(int, "intValue")) }
        if let double = value["doubleValue"] { return .double(try OTLPTraceDecoder.double(double)) }
        if let bytes = value["bytesValue"]?.string {
            guard let data = Data(base64Encoded: bytes) else {
                throw OTLPDecodingError.malformedMessage("bytesValue is not base64")
            }
            return .bytes(Array(data))
        }
        if let array = try OTLPTraceDecoder.object(value["arrayValue"], "arrayValue") {
            let elements = try OTLPTraceDecoder.objects(array["values"], "values").map { try jsonValue($0) }
            return elements.contains { $0 == nil } ? nil : .array(elements.map { $0! })
        }
        if let list = try OTLPTraceDecoder.object(value["kvlistValue"], "kvlistValue") {
            var entries: [LogAttribute] = []
            for keyValue in try OTLPTraceDecoder.objects(list["values"], "values") {
                guard let entry = try OTLPTraceDecoder.object(keyValue["value"], "value"),
                    let decoded = try jsonValue(entry)
                else { return nil }
                entries.append(LogAttribute(keyValue["key"]?.string ?? "", decoded))
            }
            return .map(entries)
        }
        return nil
    }
}
