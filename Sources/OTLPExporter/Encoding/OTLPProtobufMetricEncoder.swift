import COTLPProto
import OTelSDK

/// Encodes batches of metrics into OTLP `ExportMetricsServiceRequest` protobuf bytes with
/// protobuf-c.
///
/// Metrics are grouped by resource and instrumentation scope, keeping the batch order within
/// each group. A batch whose request would exceed ``maximumRequestBytes`` is cut in halves, a
/// metric with all its points being the smallest part; a metric too large for a request of its
/// own is left out and reported. Not thread-safe.
package final class OTLPProtobufMetricEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    package var maximumRequestBytes: Int { packer.maximumRequestBytes }

    private let packer: HalvingRequestPacker
    private let messages: MetricMessageBuilder

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to 4 MiB.
    package init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        packer = HalvingRequestPacker(maximumRequestBytes: maximumRequestBytes)
        messages = MetricMessageBuilder(arena: packer.arena)
    }

    /// Encodes `metrics` into one or more requests and hands each to `body` in turn; a
    /// request's ``OTLPEncodedRequest/itemCount`` is its metrics' data points.
    /// - Parameters:
    ///   - metrics: the batch.
    ///   - body: called once per request; the bytes are valid only during the call.
    /// - Returns: the metrics too large to send, each alone over the limit.
    @discardableResult
    package func encode(
        _ metrics: [MetricData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> [OTLPMetricTooLargeError] {
        var oversized: [OTLPMetricTooLargeError] = []
        try packer.pack(
            metrics[...],
            build: messages.request,
            itemCount: { $0.reduce(0) { $0 + $1.points.count } },
            body
        ) { index, size in
            oversized.append(
                OTLPMetricTooLargeError(
                    metricIndex: index,
                    dataPoints: metrics[index].points.count,
                    requestBytes: size,
                    maximumRequestBytes: packer.maximumRequestBytes
                )
            )
        }
        return oversized
    }
}
