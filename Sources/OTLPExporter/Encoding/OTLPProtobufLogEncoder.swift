import COTLPProto
import OTelSDK

/// Encodes batches of log records into OTLP `ExportLogsServiceRequest` protobuf bytes with
/// protobuf-c.
///
/// Records are grouped by resource and instrumentation scope (one ResourceLogs per resource,
/// one ScopeLogs per scope), keeping the batch order within each group. The message tree is
/// built in an arena and packed into a buffer, both reused from batch to batch. A batch whose
/// request would exceed ``maximumRequestBytes`` is cut in halves until each part fits; a record
/// too large for a request of its own is left out and reported. Not thread-safe.
package final class OTLPProtobufLogEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    package let maximumRequestBytes: Int

    private let arena = MessageArena()
    private let messages: LogMessageBuilder
    private var output: [UInt8] = []

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to 4 MiB.
    package init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
        messages = LogMessageBuilder(arena: arena)
    }

    /// Encodes `records` into one or more requests and hands each to `body` in turn.
    /// - Parameters:
    ///   - records: the batch.
    ///   - body: called once per request; the bytes are valid only during the call.
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
        arena.reset()
        let request = messages.request(records)
        let size = protobuf_c_message_get_packed_size(messageHeader(request))
        if size <= maximumRequestBytes {
            if output.count < size { output = [UInt8](repeating: 0, count: max(size, output.count * 2)) }
            let packed = output.withUnsafeMutableBytes { buffer in
                protobuf_c_message_pack(messageHeader(request), buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            try output.withUnsafeBytes { buffer in
                try body(
                    OTLPEncodedRequest(
                        bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<packed]),
                        itemCount: records.count
                    )
                )
            }
        } else if records.count == 1 {
            oversized.append(
                OTLPLogRecordTooLargeError(
                    recordIndex: records.startIndex,
                    requestBytes: size,
                    maximumRequestBytes: maximumRequestBytes
                )
            )
        } else {
            let middle = records.startIndex + records.count / 2
            try encode(records[..<middle], body, oversized: &oversized)
            try encode(records[middle...], body, oversized: &oversized)
        }
    }
}
