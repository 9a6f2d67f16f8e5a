import Logging
import OTelSDK

/// The part of an OTLP exporter that does not know what it sends: it hands a signal's encoded
/// requests to the delivery lanes, learns each batch's outcome from its ``BatchDelivery``,
/// keeps the statistics and logs failures. A signal's exporter (``OTLPSpanExporter``) encodes
/// and hands the requests over.
///
/// Up to `maximumConcurrentRequests` requests are in flight, each on a lane of its own, so
/// that the caller encodes the next batch while earlier ones travel.
final class OTLPDelivery: Sendable {
    let configuration: OTLPExporterConfiguration
    private let lanes: DeliveryLanes
    private let logger: Logger

    private struct State {
        var isShutDown = false
        var statistics = OTLPExporterStatistics()
        var loggedPartialSuccess = false
    }

    private let state = ConditionLock(State())

    /// Starts the lanes, each with a transport of the configured protocol.
    /// - Throws: ``OTLPTransportError`` when libcurl cannot be set up.
    init(
        configuration: OTLPExporterConfiguration,
        maximumConcurrentRequests: Int,
        maximumResponseBytes: Int,
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.logger = logger
        let transports: [any OTLPTransport] = try (0..<max(1, maximumConcurrentRequests)).map { _ in
            if configuration.transportProtocol == .grpc {
                return try OTLPGRPCSender(configuration: configuration, maximumResponseBytes: maximumResponseBytes)
            }
            return try OTLPHTTPSender(configuration: configuration, maximumResponseBytes: maximumResponseBytes)
        }
        lanes = DeliveryLanes(transports: transports, retryPolicy: RetryPolicy())
    }

    deinit {
        lanes.close()
    }

    var statistics: OTLPExporterStatistics {
        state.withLock { $0.statistics }
    }

    /// Delivers one batch of `itemCount` items: `encode` encodes it and hands each request to
    /// the function it is given (which waits only while every lane is busy), and returns the
    /// errors of the items too large to send; `completion` is called once, when the last
    /// request has ended.
    func deliver(
        itemCount: Int,
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void,
        encode: (_ submit: (_ body: UnsafeRawBufferPointer, _ itemCount: Int) -> Void) -> [any TooLargeToSend]
    ) {
        guard !state.withLock({ $0.isShutDown }) else {
            return completion(.failure(ExporterShutDownError()))
        }
        let deadline = Duration.tighterTimeout(timeout, configuration.timeout).deadlineFromNow
        // Only the count is kept: holding the batch until its requests complete would keep
        // every span's recorder shared, so the processor could not reuse it in place.
        let batch = BatchDelivery(itemCount: itemCount) { [self] outcome in
            record(outcome, itemCount: itemCount)
            completion(outcome.result)
        }
        let oversized = encode { body, itemCount in
            batch.requestSubmitted(encodedBytes: body.count)
            let request = PendingRequest(body: Array(body), itemCount: itemCount, deadline: deadline, batch: batch)
            if !lanes.submit(request) {
                let error = OTLPTransportError(reason: "the export timeout passed before a connection was free")
                batch.requestFailed(itemCount: itemCount, error: error)
            }
        }
        batch.rejectedBeforeSending(oversized.reduce(0) { $0 + $1.rejectedItems })
        for error in oversized {
            logger.warning("Too large to send", metadata: ["error": "\(error)"])
        }
        batch.submissionFinished()
    }

    /// Counts a completed batch in the statistics and logs how it ended.
    private func record(_ outcome: BatchDelivery.Outcome, itemCount: Int) {
        let logsPartialSuccess = state.withLock { state in
            state.statistics.sent += outcome.sent
            state.statistics.rejected += outcome.rejected
            state.statistics.failed += outcome.failed
            state.statistics.retries += outcome.retries
            state.statistics.encodedBytes += outcome.encodedBytes
            state.statistics.sentBytes += outcome.sentBytes
            if let error = outcome.error { state.statistics.lastError = "\(error)" }
            guard case .partialSuccess = outcome.result else { return false }
            defer { state.loggedPartialSuccess = true }
            return !state.loggedPartialSuccess
        }
        let items = configuration.signal.itemName
        switch outcome.result {
        case .success:
            break
        case .partialSuccess(let rejected, let message):
            if logsPartialSuccess {
                logger.warning(
                    "The collector rejected \(items)",
                    metadata: ["rejected": "\(rejected)", "message": "\(message)"]
                )
            }
        case .partialFailure(let failed, _, let error):
            logger.warning(
                "OTLP export partly failed",
                metadata: ["\(items)": "\(itemCount)", "failed": "\(failed)", "error": "\(error)"]
            )
        case .failure(let error):
            logger.warning("OTLP export failed", metadata: ["\(items)": "\(itemCount)", "error": "\(error)"])
        }
    }

    /// Waits until every request handed to the lanes has ended.
    /// - Returns: success, or timeout when requests were still in flight at the deadline.
    func forceFlush(timeout: Duration) -> CompletionResult {
        lanes.waitUntilIdle(deadline: .now + timeout) ? .success : .timeout
    }

    /// Refuses further batches, waits for the requests in flight (at most `timeout`), then
    /// stops the lanes. Idempotent.
    func shutdown(timeout: Duration) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        state.withLock { $0.isShutDown = true }
        let idle = lanes.waitUntilIdle(deadline: deadline)
        lanes.close()
        return idle ? .success : .timeout
    }
}
