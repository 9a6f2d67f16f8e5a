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
    public var configuration: OTLPExporterConfiguration { delivery.configuration }

    private let delivery: OTLPDelivery
    // Serialises encoding: the encoders reuse their buffers from batch to batch.
    private let encoding = ConditionLock(())
    private let encoder: OTLPProtobufLogEncoder
    private let jsonEncoder: OTLPJSONLogEncoder

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
        let configuration = try configuration ?? OTLPExporterConfiguration(signal: .logs)
        guard configuration.signal == .logs else {
            throw OTLPConfigurationError.invalidValue(
                setting: "configuration",
                value: "a configuration for \(configuration.signal.name)",
                expected: "one for logs: OTLPExporterConfiguration(signal: .logs)"
            )
        }
        delivery = try OTLPDelivery(
            configuration: configuration,
            maximumConcurrentRequests: maximumConcurrentRequests,
            maximumResponseBytes: maximumResponseBytes,
            logger: logger
        )
        encoder = OTLPProtobufLogEncoder(maximumRequestBytes: maximumRequestBytes)
        jsonEncoder = OTLPJSONLogEncoder(maximumRequestBytes: maximumRequestBytes)
    }

    /// What the exporter has done so far; its items are log records.
    public var statistics: OTLPExporterStatistics { delivery.statistics }

    /// Exports `batch` and waits until its requests have ended.
    public func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult {
        let outcome = ConditionLock<ExportResult?>(nil)
        export(batch, timeout: timeout) { result in
            outcome.withLock { $0 = result }
            outcome.broadcast()
        }
        return outcome.wait(until: { $0 != nil }, deadline: nil) { result, _ in result! }
    }

    /// Encodes `batch` and hands its requests to the delivery lanes, waiting only while every
    /// lane is busy; `completion` is called when the last request has ended.
    public func export(
        _ batch: [LogRecordData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        let isJSON = configuration.transportProtocol == .httpJSON
        delivery.deliver(itemCount: batch.count, timeout: timeout, completion: completion) { submit in
            encoding.withLock { _ in
                isJSON
                    ? jsonEncoder.encode(batch) { submit($0.bytes, $0.itemCount) }
                    : encoder.encode(batch) { submit($0.bytes, $0.itemCount) }
            }
        }
    }

    /// Waits until every request handed to the lanes has ended.
    public func forceFlush(timeout: Duration) -> CompletionResult {
        delivery.forceFlush(timeout: timeout)
    }

    /// Refuses further exports, waits for the requests in flight (at most `timeout`), then
    /// stops the delivery lanes. Idempotent.
    public func shutdown(timeout: Duration) -> CompletionResult {
        delivery.shutdown(timeout: timeout)
    }
}
