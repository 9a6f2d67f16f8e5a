import COTLPProto
import OTLPExporter
import OTelSDK

/// Decodes OTLP metric requests, protobuf (with protobuf-c) or JSON, back into ``MetricData``:
/// the receiving side, for the receiver, the tests and the fuzz harness. Resources, scopes and
/// attributes are read as ``OTLPTraceDecoder`` reads a trace request's. Summaries, which the
/// SDK does not make, are decoded as metrics without points.
package enum OTLPMetricDecoder {
    /// Decodes an ExportMetricsServiceRequest into its metrics, in message order.
    /// - Parameter bytes: the protobuf bytes.
    /// - Throws: ``OTLPDecodingError`` when the bytes are not such a request.
    package static func decodeRequest(_ bytes: [UInt8]) throws -> [MetricData] {
        try bytes.withUnsafeBytes { bytes in
            let arena = MessageArena(chunkSize: max(64 * 1024, bytes.count * 4))
            return try arena.withProtobufAllocator { allocator in
                guard
                    let request = opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__unpack(
                        allocator,
                        bytes.count,
                        bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    )
                else { throw OTLPDecodingError.malformedMessage("ExportMetricsServiceRequest") }
                return try decode(request.pointee)
            }
        }
    }

    private static func decode(_ request: ProtoExportMetricsRequest) throws -> [MetricData] {
        var metrics: [MetricData] = []
        var references = 0
        for resourceMetrics in OTLPTraceDecoder.buffer(request.resource_metrics, request.n_resource_metrics) {
            let resource = try OTLPTraceDecoder.decodeResource(
                resourceMetrics.pointee.resource,
                schemaURL: resourceMetrics.pointee.schema_url,
                references: &references
            ).resource
            for scopeMetrics in OTLPTraceDecoder.buffer(
                resourceMetrics.pointee.scope_metrics,
                resourceMetrics.pointee.n_scope_metrics
            ) {
                let scope = try OTLPTraceDecoder.decodeScope(
                    scopeMetrics.pointee.scope,
                    schemaURL: scopeMetrics.pointee.schema_url,
                    references: &references
                )
                for metric in OTLPTraceDecoder.buffer(scopeMetrics.pointee.metrics, scopeMetrics.pointee.n_metrics) {
                    metrics.append(
                        MetricData(
                            name: OTLPTraceDecoder.string(metric.pointee.name) ?? "",
                            description: OTLPTraceDecoder.string(metric.pointee.description) ?? "",
                            unit: OTLPTraceDecoder.string(metric.pointee.unit) ?? "",
                            points: try points(of: metric.pointee, references: &references),
                            resource: resource,
                            instrumentationScope: scope
                        )
                    )
                }
            }
        }
        return metrics
    }

    private static func points(of metric: ProtoMetric, references: inout Int) throws -> MetricData.Points {
        switch metric.data_case {
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE:
            let gauge = metric.gauge.pointee
            return .gauge(
                try OTLPTraceDecoder.buffer(gauge.data_points, gauge.n_data_points).map {
                    try numberPoint($0.pointee, references: &references)
                }
            )
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM:
            let sum = metric.sum.pointee
            return .sum(
                try OTLPTraceDecoder.buffer(sum.data_points, sum.n_data_points).map {
                    try numberPoint($0.pointee, references: &references)
                },
                temporality: try temporality(sum.aggregation_temporality.rawValue),
                isMonotonic: sum.is_monotonic != 0
            )
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM:
            let histogram = metric.histogram.pointee
            return .histogram(
                try OTLPTraceDecoder.buffer(histogram.data_points, histogram.n_data_points).map {
                    try histogramPoint($0.pointee, references: &references)
                },
                temporality: try temporality(histogram.aggregation_temporality.rawValue)
            )
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM:
            let histogram = metric.exponential_histogram.pointee
            return .exponentialHistogram(
                try OTLPTraceDecoder.buffer(histogram.data_points, histogram.n_data_points).map {
                    try exponentialPoint($0.pointee, references: &references)
                },
                temporality: try temporality(histogram.aggregation_temporality.rawValue)
            )
        default:
            return .gauge([])
        }
    }

    /// DELTA is 1 and CUMULATIVE 2; a metric that needs a temporality cannot be read without one.
    static func temporality(_ rawValue: UInt32) throws -> AggregationTemporality {
        switch rawValue {
        case 1: .delta
        case 2: .cumulative
        default: throw OTLPDecodingError.malformedMessage("aggregation_temporality \(rawValue)")
        }
    }

    private static func attributes(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<ProtoKeyValue>?>?,
        _ count: Int,
        references: inout Int
    ) throws -> [Attribute] {
        try OTLPTraceDecoder.decodeAttributes(pointers, count, dropped: 0, references: &references).kept
    }

    private static func numberPoint(_ point: ProtoNumberDataPoint, references: inout Int) throws -> NumberDataPoint {
        let value: MetricValue =
            point.value_case == OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT
            ? .int(point.as_int) : .double(point.as_double)
        return NumberDataPoint(
            attributes: try attributes(point.attributes, point.n_attributes, references: &references),
            startTimeUnixNano: point.start_time_unix_nano,
            timeUnixNano: point.time_unix_nano,
            value: value,
            exemplars: try exemplars(point.exemplars, point.n_exemplars, references: &references)
        )
    }

    private static func histogramPoint(
        _ point: ProtoHistogramDataPoint,
        references: inout Int
    ) throws -> HistogramDataPoint {
        HistogramDataPoint(
            attributes: try attributes(point.attributes, point.n_attributes, references: &references),
            startTimeUnixNano: point.start_time_unix_nano,
            timeUnixNano: point.time_unix_nano,
            count: point.count,
            sum: point._sum_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM ? point.sum : nil,
            min: point._min_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MIN_MIN ? point.min : nil,
            max: point._max_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX ? point.max : nil,
            explicitBounds: Array(UnsafeBufferPointer(start: point.explicit_bounds, count: point.n_explicit_bounds)),
            bucketCounts: Array(UnsafeBufferPointer(start: point.bucket_counts, count: point.n_bucket_counts)),
            exemplars: try exemplars(point.exemplars, point.n_exemplars, references: &references)
        )
    }

    private static func exponentialPoint(
        _ point: ProtoExponentialHistogramDataPoint,
        references: inout Int
    ) throws -> ExponentialHistogramDataPoint {
        func buckets(_ message: UnsafeMutablePointer<ProtoExponentialBuckets>?) -> ExponentialHistogramDataPoint.Buckets
        {
            guard let buckets = message?.pointee else { return .init(offset: 0, bucketCounts: []) }
            return .init(
                offset: buckets.offset,
                bucketCounts: Array(UnsafeBufferPointer(start: buckets.bucket_counts, count: buckets.n_bucket_counts))
            )
        }
        return ExponentialHistogramDataPoint(
            attributes: try attributes(point.attributes, point.n_attributes, references: &references),
            startTimeUnixNano: point.start_time_unix_nano,
            timeUnixNano: point.time_unix_nano,
            count: point.count,
            sum: point._sum_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___SUM_SUM
                ? point.sum : nil,
            min: point._min_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MIN_MIN
                ? point.min : nil,
            max: point._max_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MAX_MAX
                ? point.max : nil,
            scale: point.scale,
            zeroCount: point.zero_count,
            zeroThreshold: point.zero_threshold,
            positive: buckets(point.positive),
            negative: buckets(point.negative),
            exemplars: try exemplars(point.exemplars, point.n_exemplars, references: &references)
        )
    }

    private static func exemplars(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<ProtoExemplar>?>?,
        _ count: Int,
        references: inout Int
    ) throws -> [Exemplar] {
        try OTLPTraceDecoder.buffer(pointers, count).map { pointer in
            let exemplar = pointer.pointee
            return Exemplar(
                filteredAttributes: try attributes(
                    exemplar.filtered_attributes,
                    exemplar.n_filtered_attributes,
                    references: &references
                ),
                timeUnixNano: exemplar.time_unix_nano,
                value: exemplar.value_case == OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_INT
                    ? .int(exemplar.as_int) : .double(exemplar.as_double),
                traceID: exemplar.trace_id.len > 0
                    ? try OTLPTraceDecoder.decodeTraceID(exemplar.trace_id, field: "trace_id") : nil,
                spanID: exemplar.span_id.len > 0
                    ? try OTLPTraceDecoder.decodeSpanID(exemplar.span_id, field: "span_id") : nil
            )
        }
    }
}
