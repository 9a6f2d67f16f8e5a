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
    package var maximumRequestBytes: Int { packer.maximumRequestBytes }

    private let packer: HalvingRequestPacker
    private let messages: LogMessageBuilder

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to 4 MiB.
    package init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        packer = HalvingRequestPacker(maximumRequestBytes: maximumRequestBytes)
        messages = LogMessageBuilder(arena: packer.arena)
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
        try packer.pack(records[...], build: messages.request, body) { index, size in
            oversized.append(
                OTLPLogRecordTooLargeError(
                    recordIndex: index,
                    requestBytes: size,
                    maximumRequestBytes: packer.maximumRequestBytes
                )
            )
        }
        return oversized
    }
}
