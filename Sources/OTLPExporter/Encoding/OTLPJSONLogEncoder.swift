import OTelSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes batches of log records as OTLP/JSON `ExportLogsServiceRequest` bodies (see
/// ``OTLPJSONWriter`` for the mapping): trace and span ids as hex strings, the severity number
/// as an integer, times as decimal strings.
///
/// Records are grouped by resource and scope as in ``OTLPProtobufLogEncoder``, and, as there,
/// a batch whose request would exceed ``maximumRequestBytes`` is cut in halves until each part
/// fits; a record too large for a request of its own is left out and reported. Not
/// thread-safe.
package final class OTLPJSONLogEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    package let maximumRequestBytes: Int
    private var writer = OTLPJSONWriter()

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to 4 MiB.
    package init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
    }

    /// The whole batch as one JSON body, whatever its size; valid until the next call.
    package func encode(_ records: [LogRecordData]) -> [UInt8] {
        write(records[...])
        return writer.output
    }

    /// Encodes `records` into one or more JSON requests of at most ``maximumRequestBytes`` and
    /// hands each to `body` in turn.
    /// - Returns: the records too large to send, each alone over the limit.
    @discardableResult
    package func encode(
        _ records: [LogRecordData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> [OTLPLogRecordTooLargeError] {
        var oversized: [OTLPLogRecordTooLargeError] = []
        try encode(records[...], body, oversized: &oversized)
        return oversized
    }

    private func encode(
        _ records: ArraySlice<LogRecordData>,
        _ body: (OTLPEncodedRequest) throws -> Void,
        oversized: inout [OTLPLogRecordTooLargeError]
    ) rethrows {
        guard !records.isEmpty else { return }
        write(records)
        if writer.output.count <= maximumRequestBytes {
            try writer.output.withUnsafeBytes { try body(OTLPEncodedRequest(bytes: $0, itemCount: records.count)) }
        } else if records.count == 1 {
            oversized.append(
                OTLPLogRecordTooLargeError(
                    recordIndex: records.startIndex,
                    requestBytes: writer.output.count,
                    maximumRequestBytes: maximumRequestBytes
                )
            )
        } else {
            let middle = records.startIndex + records.count / 2
            try encode(records[..<middle], body, oversized: &oversized)
            try encode(records[middle...], body, oversized: &oversized)
        }
    }

    /// Writes one request holding `records`.
    private func write(_ records: ArraySlice<LogRecordData>) {
        writer.reset()
        writer.append("{\"resourceLogs\":[")
        for (resourceIndex, resourceGroup) in ResourceScopeGroups(records).resources.enumerated() {
            if resourceIndex > 0 { writer.append(",") }
            writer.append("{")
            writer.resource(resourceGroup.resource)
            writer.append(",\"scopeLogs\":[")
            for (scopeIndex, scopeGroup) in resourceGroup.scopes.enumerated() {
                if scopeIndex > 0 { writer.append(",") }
                writer.append("{")
                writer.scope(scopeGroup.scope)
                writer.append(",\"logRecords\":[")
                for (recordIndex, index) in scopeGroup.indices.enumerated() {
                    if recordIndex > 0 { writer.append(",") }
                    logRecord(records[index])
                }
                writer.append("]")
                schemaURL(scopeGroup.scope.schemaURL)
                writer.append("}")
            }
            writer.append("]")
            schemaURL(resourceGroup.resource.schemaURL)
            writer.append("}")
        }
        writer.append("]}")
    }

    private func schemaURL(_ url: String?) {
        guard let url else { return }
        writer.append(",\"schemaUrl\":")
        writer.string(url)
    }

    private func logRecord(_ record: LogRecordData) {
        writer.append(
            "{\"timeUnixNano\":\"\(record.timeUnixNano)\",\"observedTimeUnixNano\":\"\(record.observedTimeUnixNano)\""
        )
        writer.append(",\"severityNumber\":\(record.severity.number),\"severityText\":")
        writer.string(record.severity.text)
        if let body = record.body {
            writer.append(",\"body\":")
            logValue(body)
        }
        writer.append(",\"attributes\":[")
        for (index, attribute) in record.attributes.enumerated() {
            if index > 0 { writer.append(",") }
            logKeyValue(attribute)
        }
        writer.append("],\"droppedAttributesCount\":\(record.droppedAttributeCount)")
        if let span = record.spanContext {
            writer.append(
                ",\"flags\":\(span.traceFlags.rawValue),\"traceId\":\"\(span.traceID.hexString)\",\"spanId\":\"\(span.spanID.hexString)\""
            )
        }
        if let eventName = record.eventName {
            writer.append(",\"eventName\":")
            writer.string(eventName)
        }
        writer.append("}")
    }

    private func logKeyValue(_ attribute: LogAttribute) {
        writer.append("{\"key\":")
        writer.string(attribute.key)
        writer.append(",\"value\":")
        logValue(attribute.value)
        writer.append("}")
    }

    private func logValue(_ value: LogValue) {
        switch value {
        case .string(let string): writer.anyValue(.string(string))
        case .bool(let bool): writer.anyValue(.bool(bool))
        case .int(let int): writer.anyValue(.int(int))
        case .double(let double): writer.anyValue(.double(double))
        case .bytes(let bytes):
            // proto3 JSON writes bytes as base64.
            writer.append("{\"bytesValue\":\"\(Data(bytes).base64EncodedString())\"}")
        case .array(let values):
            writer.append("{\"arrayValue\":{\"values\":[")
            for (index, element) in values.enumerated() {
                if index > 0 { writer.append(",") }
                logValue(element)
            }
            writer.append("]}}")
        case .map(let attributes):
            writer.append("{\"kvlistValue\":{\"values\":[")
            for (index, attribute) in attributes.enumerated() {
                if index > 0 { writer.append(",") }
                logKeyValue(attribute)
            }
            writer.append("]}}")
        }
    }
}
