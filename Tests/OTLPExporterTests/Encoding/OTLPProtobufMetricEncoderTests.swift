import COTLPProto
import OTLPExporter
import OTLPTestSupport
import OTelSDK
import Testing

/// The metrics encoder's requests, read back with protobuf-c's own unpacking of OTLP's
/// ExportMetricsServiceRequest.
@Suite("OTLP protobuf metric encoder")
struct OTLPProtobufMetricEncoderTests {
    static let traceID = MetricFixtures.traceID
    static let spanID = MetricFixtures.spanID
    static let start = MetricFixtures.start
    static var batch: [MetricData] { MetricFixtures.everyKind() }

    /// Unpacks `bytes` as OTLP's request and hands it to `body`.
    func withUnpacked<Result>(
        _ bytes: [UInt8],
        _ body: (UnsafeMutablePointer<ProtoExportMetricsRequest>) throws -> Result
    ) throws -> Result {
        let request = try #require(
            bytes.withUnsafeBufferPointer {
                opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__unpack(
                    nil,
                    $0.count,
                    $0.baseAddress
                )
            }
        )
        defer {
            opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__free_unpacked(request, nil)
        }
        return try body(request)
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    @Test("every kind of point arrives as OTLP has it, grouped by resource and scope")
    func everyKind() throws {
        var requests: [[UInt8]] = []
        var itemCounts: [Int] = []
        let oversized = OTLPProtobufMetricEncoder().encode(Self.batch) {
            requests.append(Array($0.bytes))
            itemCounts.append($0.itemCount)
        }
        #expect(oversized.isEmpty && requests.count == 1)
        #expect(itemCounts == [4], "a request counts its data points")
        try withUnpacked(requests[0]) { request in
            #expect(request.pointee.n_resource_metrics == 1)
            let resourceMetrics = try #require(request.pointee.resource_metrics[0])
            #expect(resourceMetrics.pointee.n_scope_metrics == 2)
            let checkout = try #require(resourceMetrics.pointee.scope_metrics[0])
            #expect(Self.string(checkout.pointee.scope.pointee.name) == "checkout")
            #expect(Self.string(checkout.pointee.scope.pointee.version) == "1.0")
            #expect(checkout.pointee.n_metrics == 3, "the batch order within the scope")

            let sent = try #require(checkout.pointee.metrics[0]).pointee
            #expect(Self.string(sent.name) == "messaging.client.sent.messages" && Self.string(sent.unit) == "{message}")
            #expect(sent.data_case == OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM)
            #expect(sent.sum.pointee.is_monotonic != 0)
            #expect(
                sent.sum.pointee.aggregation_temporality
                    == OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_CUMULATIVE
            )
            let sentPoint = try #require(sent.sum.pointee.data_points[0]).pointee
            #expect(sentPoint.value_case == OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT)
            #expect(sentPoint.as_int == 42 && sentPoint.start_time_unix_nano == Self.start)
            #expect(sentPoint.n_attributes == 1)
            #expect(Self.string(sentPoint.attributes[0]!.pointee.key) == "messaging.destination.name")

            let duration = try #require(checkout.pointee.metrics[1]).pointee
            #expect(duration.data_case == OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM)
            #expect(
                duration.histogram.pointee.aggregation_temporality
                    == OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_DELTA
            )
            let histogram = try #require(duration.histogram.pointee.data_points[0]).pointee
            #expect(histogram.count == 3)
            #expect(histogram._sum_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM)
            #expect(histogram.sum == 0.35 && histogram.min == 0.05 && histogram.max == 0.2)
            #expect(
                Array(UnsafeBufferPointer(start: histogram.explicit_bounds, count: histogram.n_explicit_bounds)) == [
                    0.1, 0.25,
                ]
            )
            #expect(
                Array(UnsafeBufferPointer(start: histogram.bucket_counts, count: histogram.n_bucket_counts)) == [
                    1, 2, 0,
                ]
            )
            #expect(histogram.n_exemplars == 1)
            let exemplar = try #require(histogram.exemplars[0]).pointee
            #expect(
                exemplar.value_case == OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_DOUBLE
                    && exemplar.as_double == 0.2
            )
            #expect(
                Array(UnsafeBufferPointer(start: exemplar.trace_id.data, count: exemplar.trace_id.len))
                    == Self.traceID.bytes
            )
            #expect(
                Array(UnsafeBufferPointer(start: exemplar.span_id.data, count: exemplar.span_id.len))
                    == Self.spanID.bytes
            )

            let size = try #require(checkout.pointee.metrics[2]).pointee
            #expect(size.data_case == OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM)
            let exponential = try #require(size.exponential_histogram.pointee.data_points[0]).pointee
            #expect(
                exponential._sum_case
                    == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___SUM__NOT_SET
            )
            #expect(exponential.min == -2 && exponential.max == 300)
            #expect(exponential.scale == 3 && exponential.zero_count == 1)
            #expect(exponential.positive.pointee.offset == 60 && exponential.negative.pointee.offset == -2)
            #expect(
                Array(
                    UnsafeBufferPointer(
                        start: exponential.positive.pointee.bucket_counts,
                        count: exponential.positive.pointee.n_bucket_counts
                    )
                )
                    == [1, 0, 1]
            )

            let other = try #require(resourceMetrics.pointee.scope_metrics[1])
            let memory = try #require(other.pointee.metrics[0]).pointee
            #expect(Self.string(memory.description) == "resident memory")
            #expect(memory.data_case == OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE)
            let memoryPoint = try #require(memory.gauge.pointee.data_points[0]).pointee
            #expect(memoryPoint.value_case == OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_DOUBLE)
            #expect(memoryPoint.as_double == 1.5e6)
        }
    }

    @Test("a batch over the limit is cut between metrics; a metric too large alone is reported")
    func split() throws {
        var single = 0
        OTLPProtobufMetricEncoder().encode([Self.batch[2]]) { single = $0.bytes.count }
        // Room for the histogram alone, not for two metrics.
        let encoder = OTLPProtobufMetricEncoder(maximumRequestBytes: single + 20)
        var requests: [Int] = []
        var points = 0
        let oversized = encoder.encode(Self.batch + Self.batch) {
            requests.append($0.bytes.count)
            points += $0.itemCount
        }
        #expect(oversized.isEmpty)
        #expect(requests.count > 1 && requests.allSatisfy { $0 <= single + 20 })
        #expect(points == 8, "every data point is in one request")

        let tiny = OTLPProtobufMetricEncoder(maximumRequestBytes: 64)
        let refused = tiny.encode([Self.batch[2]]) { _ in Issue.record("nothing fits in 64 bytes") }
        #expect(refused.map(\.metricIndex) == [0] && refused.first?.dataPoints == 1)
    }
}
