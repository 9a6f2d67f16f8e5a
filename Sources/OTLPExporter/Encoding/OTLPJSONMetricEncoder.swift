import OTelSDK

/// Encodes batches of metrics as OTLP/JSON `ExportMetricsServiceRequest` bodies (see
/// ``OTLPJSONWriter`` for the mapping): times and counts as decimal strings, integer values
/// (`asInt`) as numbers, the temporality as its number, exemplar ids as hex strings.
///
/// Metrics are grouped and split as in ``OTLPProtobufMetricEncoder``. Not thread-safe.
package final class OTLPJSONMetricEncoder {
    /// The largest request, in bytes, that ``encode(_:_:)`` hands out.
    package let maximumRequestBytes: Int
    private var writer = OTLPJSONWriter()

    /// Creates an encoder.
    /// - Parameter maximumRequestBytes: the request size limit; defaults to 4 MiB.
    package init(maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes) {
        precondition(maximumRequestBytes > 0, "maximumRequestBytes must be positive")
        self.maximumRequestBytes = maximumRequestBytes
    }

    /// Encodes `metrics` into one or more JSON requests of at most ``maximumRequestBytes`` and
    /// hands each to `body` in turn; a request's ``OTLPEncodedRequest/itemCount`` is its data
    /// points.
    /// - Returns: the metrics too large to send, each alone over the limit.
    @discardableResult
    package func encode(
        _ metrics: [MetricData],
        _ body: (OTLPEncodedRequest) throws -> Void
    ) rethrows -> [OTLPMetricTooLargeError] {
        var oversized: [OTLPMetricTooLargeError] = []
        try RequestSplitting.split(
            metrics[...],
            maximumRequestBytes: maximumRequestBytes,
            encode: { part in
                writer.request(part, signalName: "Metrics", itemsField: "metrics") { Self.metric($1, into: &$0) }
                return writer.output.count
            },
            send: { part in
                let points = part.reduce(0) { $0 + $1.points.count }
                try writer.output.withUnsafeBytes { try body(OTLPEncodedRequest(bytes: $0, itemCount: points)) }
            },
            oversized: { index, size in
                oversized.append(
                    OTLPMetricTooLargeError(
                        metricIndex: index,
                        dataPoints: metrics[index].points.count,
                        requestBytes: size,
                        maximumRequestBytes: maximumRequestBytes
                    )
                )
            }
        )
        return oversized
    }

    private static func metric(_ metric: MetricData, into writer: inout OTLPJSONWriter) {
        writer.append("{\"name\":")
        writer.string(metric.name)
        writer.append(",\"description\":")
        writer.string(metric.description)
        writer.append(",\"unit\":")
        writer.string(metric.unit)
        switch metric.points {
        case .gauge(let points):
            writer.append(",\"gauge\":{\"dataPoints\":[")
            list(points, into: &writer) { numberPoint($1, into: &$0) }
            writer.append("]}")
        case .sum(let points, let temporality, let isMonotonic):
            writer.append(",\"sum\":{\"dataPoints\":[")
            list(points, into: &writer) { numberPoint($1, into: &$0) }
            writer.append("],\"aggregationTemporality\":\(number(temporality)),\"isMonotonic\":\(isMonotonic)}")
        case .histogram(let points, let temporality):
            writer.append(",\"histogram\":{\"dataPoints\":[")
            list(points, into: &writer) { histogramPoint($1, into: &$0) }
            writer.append("],\"aggregationTemporality\":\(number(temporality))}")
        case .exponentialHistogram(let points, let temporality):
            writer.append(",\"exponentialHistogram\":{\"dataPoints\":[")
            list(points, into: &writer) { exponentialPoint($1, into: &$0) }
            writer.append("],\"aggregationTemporality\":\(number(temporality))}")
        }
        writer.append("}")
    }

    /// The temporality's enum number, as the JSON mapping may write an enum.
    private static func number(_ temporality: AggregationTemporality) -> Int {
        switch temporality {
        case .delta: 1
        case .cumulative: 2
        }
    }

    private static func list<Element>(
        _ elements: [Element],
        into writer: inout OTLPJSONWriter,
        _ write: (inout OTLPJSONWriter, Element) -> Void
    ) {
        for (index, element) in elements.enumerated() {
            if index > 0 { writer.append(",") }
            write(&writer, element)
        }
    }

    /// The fields every point has: attributes and the interval.
    private static func pointHeader(
        _ attributes: [Attribute],
        start: UInt64,
        time: UInt64,
        into writer: inout OTLPJSONWriter
    ) {
        writer.append("{")
        writer.attributes(attributes)
        writer.append(",\"startTimeUnixNano\":\"\(start)\",\"timeUnixNano\":\"\(time)\"")
    }

    private static func value(_ value: MetricValue, into writer: inout OTLPJSONWriter) {
        switch value {
        // A number, not the mapping's usual string for 64 bits: the mapping lets a parser take
        // either, and rotel refuses a string for this sfixed64 field (not for the counts).
        case .int(let int): writer.append(",\"asInt\":\(int)")
        case .double(let double):
            writer.append(",\"asDouble\":")
            writer.number(double)
        }
    }

    private static func optionalNumber(_ name: String, _ value: Double?, into writer: inout OTLPJSONWriter) {
        guard let value else { return }
        writer.append(",\"\(name)\":")
        writer.number(value)
    }

    private static func numberPoint(_ point: NumberDataPoint, into writer: inout OTLPJSONWriter) {
        pointHeader(point.attributes, start: point.startTimeUnixNano, time: point.timeUnixNano, into: &writer)
        value(point.value, into: &writer)
        exemplars(point.exemplars, into: &writer)
        writer.append("}")
    }

    private static func histogramPoint(_ point: HistogramDataPoint, into writer: inout OTLPJSONWriter) {
        pointHeader(point.attributes, start: point.startTimeUnixNano, time: point.timeUnixNano, into: &writer)
        writer.append(",\"count\":\"\(point.count)\"")
        optionalNumber("sum", point.sum, into: &writer)
        optionalNumber("min", point.min, into: &writer)
        optionalNumber("max", point.max, into: &writer)
        writer.append(",\"bucketCounts\":[")
        list(point.bucketCounts, into: &writer) { $0.append("\"\($1)\"") }
        writer.append("],\"explicitBounds\":[")
        list(point.explicitBounds, into: &writer) { $0.number($1) }
        writer.append("]")
        exemplars(point.exemplars, into: &writer)
        writer.append("}")
    }

    private static func exponentialPoint(_ point: ExponentialHistogramDataPoint, into writer: inout OTLPJSONWriter) {
        pointHeader(point.attributes, start: point.startTimeUnixNano, time: point.timeUnixNano, into: &writer)
        writer.append(",\"count\":\"\(point.count)\"")
        optionalNumber("sum", point.sum, into: &writer)
        optionalNumber("min", point.min, into: &writer)
        optionalNumber("max", point.max, into: &writer)
        writer.append(",\"scale\":\(point.scale),\"zeroCount\":\"\(point.zeroCount)\",\"zeroThreshold\":")
        writer.number(point.zeroThreshold)
        for (name, buckets) in [("positive", point.positive), ("negative", point.negative)] {
            writer.append(",\"\(name)\":{\"offset\":\(buckets.offset),\"bucketCounts\":[")
            list(buckets.bucketCounts, into: &writer) { $0.append("\"\($1)\"") }
            writer.append("]}")
        }
        exemplars(point.exemplars, into: &writer)
        writer.append("}")
    }

    private static func exemplars(_ exemplars: [Exemplar], into writer: inout OTLPJSONWriter) {
        guard !exemplars.isEmpty else { return }
        writer.append(",\"exemplars\":[")
        list(exemplars, into: &writer) { writer, exemplar in
            writer.append("{\"filteredAttributes\":[")
            list(exemplar.filteredAttributes, into: &writer) { $0.keyValue($1.key, $1.value) }
            writer.append("],\"timeUnixNano\":\"\(exemplar.timeUnixNano)\"")
            value(exemplar.value, into: &writer)
            if let traceID = exemplar.traceID { writer.append(",\"traceId\":\"\(traceID.hexString)\"") }
            if let spanID = exemplar.spanID { writer.append(",\"spanId\":\"\(spanID.hexString)\"") }
            writer.append("}")
        }
        writer.append("]")
    }
}
