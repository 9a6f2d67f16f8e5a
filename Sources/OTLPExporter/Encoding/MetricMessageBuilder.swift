import COTLPProto
import OTelSDK

extension MetricData: ResourceScoped {}

/// Builds the protobuf-c message tree of an `ExportMetricsServiceRequest` in a
/// ``MessageArena``: every struct, pointer array, number array and string is arena memory,
/// valid until the arena is reset.
struct MetricMessageBuilder {
    private let common: CommonMessageBuilder
    private var arena: MessageArena { common.arena }
    private let requestTemplate: ProtoExportMetricsRequest
    private let resourceMetricsTemplate: ProtoResourceMetrics
    private let scopeMetricsTemplate: ProtoScopeMetrics
    private let metricTemplate: ProtoMetric
    private let gaugeTemplate: ProtoGauge
    private let sumTemplate: ProtoSum
    private let histogramTemplate: ProtoHistogram
    private let exponentialHistogramTemplate: ProtoExponentialHistogram
    private let numberPointTemplate: ProtoNumberDataPoint
    private let histogramPointTemplate: ProtoHistogramDataPoint
    private let exponentialPointTemplate: ProtoExponentialHistogramDataPoint
    private let bucketsTemplate: ProtoExponentialBuckets
    private let exemplarTemplate: ProtoExemplar

    init(arena: MessageArena) {
        common = CommonMessageBuilder(arena: arena)
        // The generated init functions fill in each message's descriptor and defaults.
        requestTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__init($0)
        }
        resourceMetricsTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__resource_metrics__init($0)
        }
        scopeMetricsTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__scope_metrics__init($0)
        }
        metricTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__metrics__v1__metric__init($0) }
        gaugeTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__metrics__v1__gauge__init($0) }
        sumTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__metrics__v1__sum__init($0) }
        histogramTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__histogram__init($0)
        }
        exponentialHistogramTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__exponential_histogram__init($0)
        }
        numberPointTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__number_data_point__init($0)
        }
        histogramPointTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__histogram_data_point__init($0)
        }
        exponentialPointTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__exponential_histogram_data_point__init($0)
        }
        bucketsTemplate = CommonMessageBuilder.initialized {
            opentelemetry__proto__metrics__v1__exponential_histogram_data_point__buckets__init($0)
        }
        exemplarTemplate = CommonMessageBuilder.initialized { opentelemetry__proto__metrics__v1__exemplar__init($0) }
    }

    /// The request holding `metrics`, grouped by resource and scope.
    func request(_ metrics: ArraySlice<MetricData>) -> UnsafeMutablePointer<ProtoExportMetricsRequest> {
        let groups = ResourceScopeGroups(metrics).resources
        let request = arena.allocate(ProtoExportMetricsRequest.self)
        request.initialize(to: requestTemplate)
        request.pointee.n_resource_metrics = groups.count
        request.pointee.resource_metrics = common.pointerArray(groups) { group in
            let resourceMetrics = arena.allocate(ProtoResourceMetrics.self)
            resourceMetrics.initialize(to: resourceMetricsTemplate)
            resourceMetrics.pointee.resource = common.resource(group.resource)
            resourceMetrics.pointee.schema_url =
                common.schemaURL(group.resource.schemaURL) ?? resourceMetricsTemplate.schema_url
            resourceMetrics.pointee.n_scope_metrics = group.scopes.count
            resourceMetrics.pointee.scope_metrics = common.pointerArray(group.scopes) { scopeGroup in
                let scopeMetrics = arena.allocate(ProtoScopeMetrics.self)
                scopeMetrics.initialize(to: scopeMetricsTemplate)
                scopeMetrics.pointee.scope = common.scope(scopeGroup.scope)
                scopeMetrics.pointee.schema_url =
                    common.schemaURL(scopeGroup.scope.schemaURL) ?? scopeMetricsTemplate.schema_url
                scopeMetrics.pointee.n_metrics = scopeGroup.indices.count
                scopeMetrics.pointee.metrics = common.pointerArray(scopeGroup.indices) { metric(metrics[$0]) }
                return scopeMetrics
            }
            return resourceMetrics
        }
        return request
    }

    private func metric(_ metric: MetricData) -> UnsafeMutablePointer<ProtoMetric> {
        let message = arena.allocate(ProtoMetric.self)
        message.initialize(to: metricTemplate)
        message.pointee.name = arena.copy(metric.name)
        if !metric.description.isEmpty { message.pointee.description = arena.copy(metric.description) }
        if !metric.unit.isEmpty { message.pointee.unit = arena.copy(metric.unit) }
        switch metric.points {
        case .gauge(let points):
            let gauge = arena.allocate(ProtoGauge.self)
            gauge.initialize(to: gaugeTemplate)
            gauge.pointee.n_data_points = points.count
            gauge.pointee.data_points = common.pointerArray(points) { numberPoint($0) }
            message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE
            message.pointee.gauge = gauge
        case .sum(let points, let temporality, let isMonotonic):
            let sum = arena.allocate(ProtoSum.self)
            sum.initialize(to: sumTemplate)
            sum.pointee.n_data_points = points.count
            sum.pointee.data_points = common.pointerArray(points) { numberPoint($0) }
            sum.pointee.aggregation_temporality = Self.temporality(temporality)
            sum.pointee.is_monotonic = isMonotonic ? 1 : 0
            message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM
            message.pointee.sum = sum
        case .histogram(let points, let temporality):
            let histogram = arena.allocate(ProtoHistogram.self)
            histogram.initialize(to: histogramTemplate)
            histogram.pointee.n_data_points = points.count
            histogram.pointee.data_points = common.pointerArray(points) { histogramPoint($0) }
            histogram.pointee.aggregation_temporality = Self.temporality(temporality)
            message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM
            message.pointee.histogram = histogram
        case .exponentialHistogram(let points, let temporality):
            let histogram = arena.allocate(ProtoExponentialHistogram.self)
            histogram.initialize(to: exponentialHistogramTemplate)
            histogram.pointee.n_data_points = points.count
            histogram.pointee.data_points = common.pointerArray(points) { exponentialPoint($0) }
            histogram.pointee.aggregation_temporality = Self.temporality(temporality)
            message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM
            message.pointee.exponential_histogram = histogram
        }
        return message
    }

    private static func temporality(
        _ temporality: AggregationTemporality
    ) -> Opentelemetry__Proto__Metrics__V1__AggregationTemporality {
        switch temporality {
        case .delta: OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_DELTA
        case .cumulative: OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_CUMULATIVE
        }
    }

    private func numberPoint(_ point: NumberDataPoint) -> UnsafeMutablePointer<ProtoNumberDataPoint> {
        let message = arena.allocate(ProtoNumberDataPoint.self)
        message.initialize(to: numberPointTemplate)
        (message.pointee.n_attributes, message.pointee.attributes) = common.keyValues(point.attributes)
        message.pointee.start_time_unix_nano = point.startTimeUnixNano
        message.pointee.time_unix_nano = point.timeUnixNano
        switch point.value {
        case .int(let value):
            message.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT
            message.pointee.as_int = value
        case .double(let value):
            message.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_DOUBLE
            message.pointee.as_double = value
        }
        (message.pointee.n_exemplars, message.pointee.exemplars) = exemplars(point.exemplars)
        return message
    }

    private func histogramPoint(_ point: HistogramDataPoint) -> UnsafeMutablePointer<ProtoHistogramDataPoint> {
        let message = arena.allocate(ProtoHistogramDataPoint.self)
        message.initialize(to: histogramPointTemplate)
        (message.pointee.n_attributes, message.pointee.attributes) = common.keyValues(point.attributes)
        message.pointee.start_time_unix_nano = point.startTimeUnixNano
        message.pointee.time_unix_nano = point.timeUnixNano
        message.pointee.count = point.count
        if let sum = point.sum {
            message.pointee._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
            message.pointee.sum = sum
        }
        if let min = point.min {
            message.pointee._min_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MIN_MIN
            message.pointee.min = min
        }
        if let max = point.max {
            message.pointee._max_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX
            message.pointee.max = max
        }
        (message.pointee.n_bucket_counts, message.pointee.bucket_counts) = numbers(point.bucketCounts)
        (message.pointee.n_explicit_bounds, message.pointee.explicit_bounds) = numbers(point.explicitBounds)
        (message.pointee.n_exemplars, message.pointee.exemplars) = exemplars(point.exemplars)
        return message
    }

    private func exponentialPoint(
        _ point: ExponentialHistogramDataPoint
    ) -> UnsafeMutablePointer<ProtoExponentialHistogramDataPoint> {
        let message = arena.allocate(ProtoExponentialHistogramDataPoint.self)
        message.initialize(to: exponentialPointTemplate)
        (message.pointee.n_attributes, message.pointee.attributes) = common.keyValues(point.attributes)
        message.pointee.start_time_unix_nano = point.startTimeUnixNano
        message.pointee.time_unix_nano = point.timeUnixNano
        message.pointee.count = point.count
        if let sum = point.sum {
            message.pointee._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___SUM_SUM
            message.pointee.sum = sum
        }
        if let min = point.min {
            message.pointee._min_case = OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MIN_MIN
            message.pointee.min = min
        }
        if let max = point.max {
            message.pointee._max_case = OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MAX_MAX
            message.pointee.max = max
        }
        message.pointee.scale = point.scale
        message.pointee.zero_count = point.zeroCount
        message.pointee.zero_threshold = point.zeroThreshold
        message.pointee.positive = buckets(point.positive)
        message.pointee.negative = buckets(point.negative)
        (message.pointee.n_exemplars, message.pointee.exemplars) = exemplars(point.exemplars)
        return message
    }

    private func buckets(
        _ buckets: ExponentialHistogramDataPoint.Buckets
    ) -> UnsafeMutablePointer<ProtoExponentialBuckets> {
        let message = arena.allocate(ProtoExponentialBuckets.self)
        message.initialize(to: bucketsTemplate)
        message.pointee.offset = buckets.offset
        (message.pointee.n_bucket_counts, message.pointee.bucket_counts) = numbers(buckets.bucketCounts)
        return message
    }

    private func exemplars(
        _ exemplars: [Exemplar]
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<ProtoExemplar>?>?) {
        guard !exemplars.isEmpty else { return (0, nil) }
        return (exemplars.count, common.pointerArray(exemplars) { exemplar($0) })
    }

    private func exemplar(_ exemplar: Exemplar) -> UnsafeMutablePointer<ProtoExemplar> {
        let message = arena.allocate(ProtoExemplar.self)
        message.initialize(to: exemplarTemplate)
        (message.pointee.n_filtered_attributes, message.pointee.filtered_attributes) = common.keyValues(
            exemplar.filteredAttributes
        )
        message.pointee.time_unix_nano = exemplar.timeUnixNano
        switch exemplar.value {
        case .int(let value):
            message.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_INT
            message.pointee.as_int = value
        case .double(let value):
            message.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_DOUBLE
            message.pointee.as_double = value
        }
        if let traceID = exemplar.traceID { message.pointee.trace_id = common.traceID(traceID) }
        if let spanID = exemplar.spanID { message.pointee.span_id = common.spanID(spanID) }
        return message
    }

    /// An arena copy of `values`, as a repeated scalar field takes it.
    private func numbers<Number>(_ values: [Number]) -> (Int, UnsafeMutablePointer<Number>?) {
        guard !values.isEmpty else { return (0, nil) }
        let copy = arena.allocate(Number.self, count: values.count)
        copy.initialize(from: values, count: values.count)
        return (values.count, copy)
    }
}
