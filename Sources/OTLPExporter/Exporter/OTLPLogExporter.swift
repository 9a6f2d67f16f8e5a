import Logging
import OTelSDK

/// Exports log records to an OpenTelemetry collector over OTLP/HTTP, with protobuf bodies (the
/// default) or JSON ones (`http/json`), or over OTLP/gRPC (`grpc`): `/v1/logs`, or
/// `LogsService/Export`.
///
/// The span exporter's twin: the same configuration rules (read from the
/// `OTEL_EXPORTER_OTLP_LOGS_*` variables, then the generic `OTEL_EXPORTER_OTLP_*` ones), and
/// the same delivery: several requests in flight on kept-alive libcurl connections, retries
/// with backoff or after `Retry-After` / RetryInfo within the export's timeout, gzip, the
/// response limit, a `partial_success` counted as rejected records. Only the encoding is its
/// own (`ExportLogsServiceRequest`). Give it to a `BatchLogRecordProcessor`.
public final class OTLPLogExporter: LogRecordExporter, @unchecked Sendable {
    /// The settings the exporter runs with.
    public var configuration: OTLPExporterConfiguration { exporter.delivery.configuration }

    private let exporter: EncodingExporter<[LogRecordData]>

    /// Creates the exporter.
    /// - Parameters:
    ///   - configuration: where and how to send; default from the `OTEL_EXPORTER_OTLP_LOGS_*`
    ///     and `OTEL_EXPORTER_OTLP_*` environment variables
    ///     (`OTLPExporterConfiguration(signal: .logs)`).
    ///   - maximumRequestBytes: the largest request body before compression; larger batches
    ///     are split, and a record too large alone is rejected
    ///     (``OTLPLogRecordTooLargeError``). Default 4 MiB, for the reason the span exporter
    ///     gives.
    ///   - maximumConcurrentRequests: requests in flight at once, each with a connection of
    ///     its own; at least 1. Default 4.
    ///   - maximumResponseBytes: the largest response body read; a larger response fails its
    ///     request without a retry. Default 4 MiB, the specification's.
    ///   - logger: diagnostics; default label `otlp-exporter`.
    /// - Throws: ``OTLPConfigurationError`` for unusable settings or a configuration made for
    ///   another signal; ``OTLPTransportError`` when libcurl cannot be set up.
    public init(
        configuration: OTLPExporterConfiguration? = nil,
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes,
        maximumConcurrentRequests: Int = OTLPSpanExporter.defaultMaximumConcurrentRequests,
        maximumResponseBytes: Int = OTLPSpanExporter.defaultMaximumResponseBytes,
        logger: Logger = Logger(label: "otlp-exporter")
    ) throws {
        let protobufEncoder = OTLPProtobufLogEncoder(maximumRequestBytes: maximumRequestBytes)
        let jsonEncoder = OTLPJSONLogEncoder(maximumRequestBytes: maximumRequestBytes)
        exporter = try EncodingExporter(
            signal: .logs,
            configuration: try configuration ?? OTLPExporterConfiguration(signal: .logs),
            maximumConcurrentRequests: maximumConcurrentRequests,
            maximumResponseBytes: maximumResponseBytes,
            logger: logger,
            protobuf: { batch, submit in protobufEncoder.encode(batch) { submit($0.bytes, $0.itemCount) } },
            json: { batch, submit in jsonEncoder.encode(batch) { submit($0.bytes, $0.itemCount) } }
        )
    }

    /// What the exporter has done so far; its items are log records.
    public var statistics: OTLPExporterStatistics { exporter.delivery.statistics }

    /// Exports `batch` and waits until its requests have ended.
    public func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult {
        exporter.exportAndWait(batch, itemCount: batch.count, timeout: timeout)
    }

    /// Encodes `batch` and hands its requests to the delivery lanes, waiting only while every
    /// lane is busy; `completion` is called when the last request has ended.
    public func export(
        _ batch: [LogRecordData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        exporter.export(batch, itemCount: batch.count, timeout: timeout, completion: completion)
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
