import Foundation
import Logging
import OTelSDK

/// Exports spans to an OpenTelemetry collector over OTLP/HTTP, with protobuf bodies (the
/// default) or JSON ones (`http/json`), or over OTLP/gRPC (`grpc`).
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
    private let transport: any OTLPTransport
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
    /// - Throws: ``OTLPConfigurationError`` for unusable settings; ``OTLPTransportError`` when
    ///   libcurl cannot be set up.
    public init(
        configuration: OTLPExporterConfiguration? = nil,
        maximumRequestBytes: Int = OTLPTraceEncoder.defaultMaximumRequestBytes,
        logger: Logger = Logger(label: "otlp-exporter")
    ) throws {
        let configuration = try configuration ?? OTLPExporterConfiguration()
        self.configuration = configuration
        self.logger = logger
        self.transport = configuration.transportProtocol == .grpc
            ? try OTLPGRPCSender(configuration: configuration)
            : try OTLPHTTPSender(configuration: configuration)
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

    /// Sends `body` until it is accepted, refused for good, or the deadline leaves no time.
    private func deliver(_ body: UnsafeRawBufferPointer, until deadline: ContinuousClock.Instant) -> Delivery {
        var attempt = 0
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else {
                return .failed(OTLPTransportError(reason: "the export timeout passed before the request could be sent"))
            }
            let wait: Duration
            let lastError: any Error
            switch transport.attempt(body, timeout: remaining) {
            case .accepted(let partial):
                counters.sentBytes += transport.lastRequestBytes
                return .delivered(partial)
            case .refused(let error):
                return .failed(error)
            case .retryable(let error, let delay):
                lastError = error
                // A server's "retry after 0 s" is not an invitation to hammer it.
                wait = max(delay ?? .zero, retryPolicy.backoff(attempt: attempt))
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
