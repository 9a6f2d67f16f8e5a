import Logging
import OTelSDK

/// Exports metrics to an OpenTelemetry collector over OTLP/HTTP, with protobuf bodies (the
/// default) or JSON ones (`http/json`), or over OTLP/gRPC (`grpc`): `/v1/metrics`, or
/// `MetricsService/Export`.
///
/// The span and log exporters' twin: the same configuration rules (read from the
/// `OTEL_EXPORTER_OTLP_METRICS_*` variables, then the generic `OTEL_EXPORTER_OTLP_*` ones),
/// and the same delivery (requests in flight on kept-alive libcurl connections, retries within
/// the export's timeout, gzip, the response limit). Its items are data points: a
/// `partial_success` counts `rejected_data_points`, and ``statistics`` counts points.
public final class OTLPMetricExporter: MetricExporter, @unchecked Sendable {
    /// The settings the exporter runs with.
    public var configuration: OTLPExporterConfiguration { exporter.delivery.configuration }

    /// The temporality asked of the meter provider, per instrument kind.
    public let temporalityPreference: MetricTemporalityPreference
    /// How the meter provider aggregates histograms for this exporter.
    public let histogramAggregation: HistogramAggregation

    private let exporter: EncodingExporter<[MetricData]>

    /// Creates the exporter.
    /// - Parameters:
    ///   - configuration: where and how to send; default from the `OTEL_EXPORTER_OTLP_METRICS_*`
    ///     and `OTEL_EXPORTER_OTLP_*` environment variables
    ///     (`OTLPExporterConfiguration(signal: .metrics)`).
    ///   - maximumRequestBytes: the largest request body before compression; larger batches
    ///     are split between metrics, and a metric too large alone is rejected
    ///     (``OTLPMetricTooLargeError``). Default 4 MiB.
    ///   - maximumConcurrentRequests: requests in flight at once; at least 1. Default 4.
    ///   - maximumResponseBytes: the largest response body read. Default 4 MiB, the
    ///     specification's.
    ///   - temporalityPreference: default from
    ///     `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, else cumulative.
    ///   - histogramAggregation: default from
    ///     `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, else explicit buckets.
    ///   - environment: where the settings left nil are read; default the process environment.
    ///   - logger: diagnostics; default label `otlp-exporter`.
    /// - Throws: ``OTLPConfigurationError`` for unusable settings or a configuration made for
    ///   another signal; ``OTLPTransportError`` when libcurl cannot be set up.
    public init(
        configuration: OTLPExporterConfiguration? = nil,
        temporalityPreference: MetricTemporalityPreference? = nil,
        histogramAggregation: HistogramAggregation? = nil,
        environment: OTelEnvironment = OTelEnvironment(),
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes,
        maximumConcurrentRequests: Int = OTLPSpanExporter.defaultMaximumConcurrentRequests,
        maximumResponseBytes: Int = OTLPSpanExporter.defaultMaximumResponseBytes,
        logger: Logger = Logger(label: "otlp-exporter")
    ) throws {
        self.temporalityPreference = temporalityPreference ?? MetricTemporalityPreference(environment: environment)
        self.histogramAggregation = histogramAggregation ?? HistogramAggregation(environment: environment)
        let protobufEncoder = OTLPProtobufMetricEncoder(maximumRequestBytes: maximumRequestBytes)
        let jsonEncoder = OTLPJSONMetricEncoder(maximumRequestBytes: maximumRequestBytes)
        exporter = try EncodingExporter(
            signal: .metrics,
            configuration: try configuration ?? OTLPExporterConfiguration(signal: .metrics, environment: environment),
            maximumConcurrentRequests: maximumConcurrentRequests,
            maximumResponseBytes: maximumResponseBytes,
            logger: logger,
            protobuf: { batch, submit in protobufEncoder.encode(batch) { submit($0.bytes, $0.itemCount) } },
            json: { batch, submit in jsonEncoder.encode(batch) { submit($0.bytes, $0.itemCount) } }
        )
    }

    /// What the exporter has done so far; its items are data points.
    public var statistics: OTLPExporterStatistics { exporter.delivery.statistics }

    /// Exports `batch` and waits until its requests have ended.
    public func export(_ batch: [MetricData], timeout: Duration) -> ExportResult {
        exporter.exportAndWait(batch, itemCount: batch.reduce(0) { $0 + $1.points.count }, timeout: timeout)
    }

    /// Waits until every request handed to the lanes has ended.
    public func forceFlush(timeout: Duration) -> CompletionResult {
        exporter.delivery.forceFlush(timeout: timeout)
    }

    /// Refuses further exports, waits for the requests in flight (at most `timeout`), then
    /// stops the delivery lanes. Idempotent.
    public func shutdown(timeout: Duration) -> CompletionResult {
        exporter.delivery.shutdown(timeout: timeout)
    }
}
