import Foundation
import Logging
import OTelSDK

/// Exports spans to an OpenTelemetry collector over OTLP/HTTP, with protobuf bodies (the
/// default) or JSON ones (`http/json`).
///
/// Each batch is encoded (``OTLPTraceEncoder``, cut into requests under the size limit; or
/// ``OTLPJSONEncoder``, one request), gzipped when configured, and posted on a kept-alive libcurl connection. Retryable
/// failures (HTTP 429, 502, 503, 504, no response) are retried with backoff or after
/// `Retry-After`, all within the export's timeout. A `partial_success` is reported as
/// rejected spans. Header values never appear in logs or errors.
///
/// Give it to a `BatchSpanProcessor`, which calls ``export(_:timeout:)`` from its worker
/// thread, one batch at a time.
public final class OTLPSpanExporter: SpanExporter, @unchecked Sendable {
    /// The settings the exporter runs with.
    public let configuration: OTLPExporterConfiguration

    private let logger: Logger
    // Guards everything below; exports are serial anyway, the lock keeps shutdown and
    // statistics safe from other threads.
    private let lock = NSLock()
    private let sender: OTLPHTTPSender
    private let encoder: OTLPTraceEncoder
    private let jsonEncoder = OTLPJSONEncoder()
    private let retryPolicy = RetryPolicy()
    private var isShutDown = false
    private var counters = OTLPExporterStatistics()
    private var loggedPartialSuccess = false

    /// Creates the exporter.
    /// - Parameters:
    ///   - configuration: where and how to send; default from the `OTEL_EXPORTER_OTLP_*`
    ///     environment variables (see ``OTLPExporterConfiguration``).
    ///   - maximumRequestBytes: the largest request body before compression; larger batches
    ///     are split. Default 4 MiB.
    ///   - logger: diagnostics; default label `otlp-exporter`.
    /// - Throws: ``OTLPConfigurationError`` for unusable settings, or for `grpc` (not built
    ///   yet); ``OTLPTransportError`` when libcurl cannot be set up.
    public init(
        configuration: OTLPExporterConfiguration? = nil,
        maximumRequestBytes: Int = OTLPTraceEncoder.defaultMaximumRequestBytes,
        logger: Logger = Logger(label: "otlp-exporter")
    ) throws {
        let configuration = try configuration ?? OTLPExporterConfiguration()
        guard configuration.transportProtocol != .grpc else {
            throw OTLPConfigurationError.invalidValue(
                setting: "protocol", value: configuration.transportProtocol.rawValue,
                expected: "http/protobuf or http/json (this version does not send grpc yet)"
            )
        }
        self.configuration = configuration
        self.logger = logger
        self.sender = try OTLPHTTPSender(configuration: configuration)
        self.encoder = OTLPTraceEncoder(maximumRequestBytes: maximumRequestBytes)
    }

    /// What the exporter has done so far.
    public var statistics: OTLPExporterStatistics {
        lock.withLock { counters }
    }

    public func export(_ batch: [SpanData], timeout: Duration) -> SpanExportResult {
        lock.withLock {
            guard !isShutDown else { return .failure(SpanExporterShutDownError()) }
            let deadline = ContinuousClock.now + min(timeout, configuration.timeout)
            var rejected = 0
            var rejectionMessage = ""
            var failure: (any Error)?
            func send(_ body: UnsafeRawBufferPointer, spanCount: Int) {
                guard failure == nil else { return }
                counters.encodedBytes += body.count
                switch deliver(body, until: deadline) {
                case .delivered(let partial):
                    counters.sentSpans += spanCount
                    if let partial, partial.rejectedSpans > 0 || !partial.errorMessage.isEmpty {
                        rejected += Int(clamping: partial.rejectedSpans)
                        rejectionMessage = partial.errorMessage
                    }
                case .failed(let error):
                    failure = error
                }
            }
            if configuration.transportProtocol == .httpJSON {
                jsonEncoder.encode(batch).withUnsafeBytes { send($0, spanCount: batch.count) }
            } else {
                let result = encoder.encode(batch) { send($0.bytes, spanCount: $0.spanCount) }
                rejected += result.oversizedSpans.count
                for oversized in result.oversizedSpans {
                    logger.warning("Span too large to send", metadata: ["error": "\(oversized)"])
                }
            }
            if let failure {
                counters.failedSpans += batch.count - rejected
                counters.lastError = "\(failure)"
                logger.warning("OTLP export failed", metadata: ["spans": "\(batch.count)", "error": "\(failure)"])
                return .failure(failure)
            }
            counters.rejectedSpans += rejected
            if rejected > 0 {
                if !loggedPartialSuccess {
                    loggedPartialSuccess = true
                    logger.warning(
                        "The collector rejected spans",
                        metadata: ["rejected": "\(rejected)", "message": "\(rejectionMessage)"]
                    )
                }
                return .partialSuccess(rejected: rejected, message: rejectionMessage)
            }
            return .success
        }
    }

    public func shutdown(timeout: Duration) -> SpanProcessorResult {
        lock.withLock { isShutDown = true }
        return .success
    }

    // MARK: Delivery

    private enum Delivery {
        case delivered(OTLPPartialSuccess?)
        case failed(any Error)
    }

    /// Posts `body` until it is accepted, refused for good, or the deadline leaves no time.
    private func deliver(_ body: UnsafeRawBufferPointer, until deadline: ContinuousClock.Instant) -> Delivery {
        var attempt = 0
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else {
                return .failed(OTLPTransportError(reason: "the export timeout passed before the request could be sent"))
            }
            let wait: Duration
            let lastError: any Error
            do {
                let response = try sender.post(body, timeout: remaining)
                counters.sentBytes += sender.lastRequestBytes
                if (200..<300).contains(response.status) {
                    let partial = configuration.transportProtocol == .httpJSON
                        ? try? OTLPTraceDecoder.decodeJSONResponse(response.body)
                        : try? response.body.withUnsafeBytes { try OTLPTraceDecoder.decodeResponse($0) }
                    return .delivered(partial ?? nil)
                }
                lastError = OTLPHTTPStatusError(status: response.status, body: response.body)
                guard RetryPolicy.isRetryable(status: response.status) else { return .failed(lastError) }
                wait = response.retryAfter.flatMap { RetryPolicy.delay(retryAfter: $0) }
                    ?? retryPolicy.backoff(attempt: attempt)
            } catch {
                // No response at all (refused, reset, timed out): worth another try.
                lastError = error
                wait = retryPolicy.backoff(attempt: attempt)
            }
            guard ContinuousClock.now + wait < deadline else { return .failed(lastError) }
            Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
            attempt += 1
            counters.retries += 1
        }
    }
}

/// A response with a status other than 2xx.
public struct OTLPHTTPStatusError: Error, CustomStringConvertible {
    /// The HTTP status.
    public let status: Int
    /// The start of the response body, as text.
    public let message: String

    init(status: Int, body: [UInt8]) {
        self.status = status
        self.message = String(decoding: body.prefix(512), as: UTF8.self)
    }

    public var description: String {
        "the collector answered HTTP \(status)\(message.isEmpty ? "" : ": \(message)")"
    }
}
