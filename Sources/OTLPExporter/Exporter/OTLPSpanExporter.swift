import Logging
import OTelSDK

/// Exports spans to an OpenTelemetry collector over OTLP/HTTP, with protobuf bodies (the
/// default) or JSON ones (`http/json`), or over OTLP/gRPC (`grpc`).
///
/// Each batch is encoded (``OTLPProtobufTraceEncoder``, or ``OTLPJSONTraceEncoder`` for `http/json`), cut
/// into requests under the size limit, gzipped when configured, and sent on kept-alive libcurl
/// connections. Up to `maximumConcurrentRequests` requests are in flight at once, each on a
/// delivery lane (a thread with a libcurl handle of its own), so that the batch processor
/// encodes the next batch while earlier ones travel. Retryable failures (HTTP 429, 502, 503,
/// 504, the retryable gRPC codes, no response, a TLS handshake cut short) are retried with
/// backoff or after `Retry-After` / RetryInfo, all within the export's timeout; a certificate
/// that fails verification is not. OTLP/HTTP follows redirects 307 and 308 (same method and
/// body, at most five, never from https to http; the configured headers only to the same host
/// and port); other redirects are errors. A response larger than
/// `maximumResponseBytes` fails its request without a retry. A `partial_success` is
/// reported as rejected spans; a batch of which only some requests failed reports those
/// requests' spans as failed and the others as delivered. Header values never appear in
/// logs or errors.
///
/// Give it to a `BatchSpanProcessor`, which hands it one batch at a time from its worker
/// thread and learns each batch's outcome when its requests have ended. The exporter encodes;
/// the delivery it shares with the other signals' exporters sends, retries and counts.
public final class OTLPSpanExporter: SpanExporter, @unchecked Sendable {
    /// The default number of requests in flight at once.
    public static let defaultMaximumConcurrentRequests = 4

    /// The default limit of a response body: 4 MiB, the OTLP exporter specification's "Max
    /// Response Size ... Default: 4194304". A collector answers with an empty
    /// ExportTraceServiceResponse, a partial success or a short error.
    public static let defaultMaximumResponseBytes = 4 * 1024 * 1024

    /// The settings the exporter runs with.
    public var configuration: OTLPExporterConfiguration { delivery.configuration }

    private let delivery: OTLPDelivery
    // Serialises encoding: the encoders reuse their buffers from batch to batch.
    private let encoding = ConditionLock(())
    private let encoder: OTLPProtobufTraceEncoder
    private let jsonEncoder: OTLPJSONTraceEncoder

    /// Creates the exporter.
    /// - Parameters:
    ///   - configuration: where and how to send; default from the `OTEL_EXPORTER_OTLP_*`
    ///     environment variables (see ``OTLPExporterConfiguration``).
    ///   - maximumRequestBytes: the largest request body before compression, protobuf or JSON;
    ///     larger batches are split, and a span too large alone is rejected
    ///     (``OTLPSpanTooLargeError``). Default 4 MiB, below the specification's 64 MiB because
    ///     gRPC servers, the OpenTelemetry Collector's among them, refuse a message over 4 MiB
    ///     unless configured otherwise; raise it for a collector that takes more. With libcurl
    ///     before 8.0, uncompressed gRPC batches are also cut where a call would outgrow
    ///     HTTP/2's first flow-control window (65,535 bytes): waiting for the window, that
    ///     libcurl polls at full speed (curl issue #10618).
    ///   - maximumConcurrentRequests: requests in flight at once, each with a connection of
    ///     its own; at least 1. Default 4 (``defaultMaximumConcurrentRequests``).
    ///   - maximumResponseBytes: the largest response body read (for gRPC, the response
    ///     message, also once inflated). A larger response is cut off and fails its
    ///     request with ``OTLPResponseTooLargeError``, without a retry: "If the limit is
    ///     exceeded, the client MUST treat the response as a non-retryable error" (OTLP
    ///     specification). Default 4 MiB (``defaultMaximumResponseBytes``); no environment
    ///     variable.
    ///   - logger: diagnostics; default label `otlp-exporter`.
    /// - Throws: ``OTLPConfigurationError`` for unusable settings; ``OTLPTransportError`` when
    ///   libcurl cannot be set up.
    public init(
        configuration: OTLPExporterConfiguration? = nil,
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes,
        maximumConcurrentRequests: Int = OTLPSpanExporter.defaultMaximumConcurrentRequests,
        maximumResponseBytes: Int = OTLPSpanExporter.defaultMaximumResponseBytes,
        logger: Logger = Logger(label: "otlp-exporter")
    ) throws {
        let configuration = try configuration ?? OTLPExporterConfiguration()
        delivery = try OTLPDelivery(
            configuration: configuration,
            maximumConcurrentRequests: maximumConcurrentRequests,
            maximumResponseBytes: maximumResponseBytes,
            logger: logger
        )
        encoder = OTLPProtobufTraceEncoder(
            maximumRequestBytes: maximumRequestBytes,
            preferredRequestBytes: configuration.transportProtocol == .grpc && configuration.compression == .none
                ? OTLPGRPCSender.preferredMessageBytes : maximumRequestBytes
        )
        jsonEncoder = OTLPJSONTraceEncoder(maximumRequestBytes: maximumRequestBytes)
    }

    /// What the exporter has done so far.
    public var statistics: OTLPExporterStatistics { delivery.statistics }

    /// Exports `batch` and waits until its requests have ended.
    public func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
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
        _ batch: [SpanData],
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        let isJSON = configuration.transportProtocol == .httpJSON
        delivery.deliver(itemCount: batch.count, timeout: timeout, completion: completion) { submit in
            encoding.withLock { _ in
                let result =
                    isJSON
                    ? jsonEncoder.encode(batch) { submit($0.bytes, $0.itemCount) }
                    : encoder.encode(batch) { submit($0.bytes, $0.itemCount) }
                return result.oversizedSpans
            }
        }
    }

    /// Waits until every request handed to the lanes has ended.
    /// - Returns: success, or timeout when requests were still in flight at the deadline.
    public func forceFlush(timeout: Duration) -> CompletionResult {
        delivery.forceFlush(timeout: timeout)
    }

    /// Refuses further exports, waits for the requests in flight (at most `timeout`), then
    /// stops the delivery lanes. Idempotent.
    public func shutdown(timeout: Duration) -> CompletionResult {
        delivery.shutdown(timeout: timeout)
    }
}
