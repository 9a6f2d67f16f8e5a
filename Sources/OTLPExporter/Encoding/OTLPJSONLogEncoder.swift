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
        try RequestSplitting.split(
            records[...],
            maximumRequestBytes: maximumRequestBytes,
            encode: { part in
                write(part)
                return writer.output.count
            },
            send: { part in
                try writer.output.withUnsafeBytes { try body(OTLPEncodedRequest(bytes: $0, itemCount: part.count)) }
            },
            oversized: { index, size in
                oversized.append(
                    OTLPLogRecordTooLargeError(
                        recordIndex: index,
                        requestBytes: size,
                        maximumRequestBytes: maximumRequestBytes
                    )
                )
            }
        )
        return oversized
    }

    /// Writes one request holding `records`.
    private func write(_ records: ArraySlice<LogRecordData>) {
        writer.request(records, signalName: "Logs", itemsField: "logRecords") { Self.logRecord($1, into: &$0) }
    }

    private static func logRecord(_ record: LogRecordData, into writer: inout OTLPJSONWriter) {
        writer.append(
            "{\"timeUnixNano\":\"\(record.timeUnixNano)\",\"observedTimeUnixNano\":\"\(record.observedTimeUnixNano)\""
        )
        writer.append(",\"severityNumber\":\(record.severity.number),\"severityText\":")
        writer.string(record.severity.text)
        if let body = record.body {
            writer.append(",\"body\":")
            logValue(body, into: &writer)
        }
        writer.append(",\"attributes\":[")
        for (index, attribute) in record.attributes.enumerated() {
            if index > 0 { writer.append(",") }
            logKeyValue(attribute, into: &writer)
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

    private static func logKeyValue(_ attribute: LogAttribute, into writer: inout OTLPJSONWriter) {
        writer.append("{\"key\":")
        writer.string(attribute.key)
        writer.append(",\"value\":")
        logValue(attribute.value, into: &writer)
        writer.append("}")
    }

    private static func logValue(_ value: LogValue, into writer: inout OTLPJSONWriter) {
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
                logValue(element, into: &writer)
            }
            writer.append("]}}")
        case .map(let attributes):
            writer.append("{\"kvlistValue\":{\"values\":[")
            for (index, attribute) in attributes.enumerated() {
                if index > 0 { writer.append(",") }
                logKeyValue(attribute, into: &writer)
            }
            writer.append("]}}")
        }
    }
}
