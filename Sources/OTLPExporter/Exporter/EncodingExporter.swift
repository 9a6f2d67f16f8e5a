import Logging
import OTelSDK

/// What the log and metric exporters share: a configuration checked to be for their signal,
/// the delivery, and encoding serialised (an encoder reuses its buffers from batch to batch),
/// protobuf or JSON as the configuration says.
final class EncodingExporter<Batch>: @unchecked Sendable {
    /// Encodes a batch, handing each request's body and item count to `submit`; returns what
    /// was too large to send.
    typealias Encode = (_ batch: Batch, _ submit: (UnsafeRawBufferPointer, Int) -> Void) -> [any TooLargeToSend]

    let delivery: OTLPDelivery
    private let encoding = ConditionLock(())
    private let encode: Encode

    /// - Parameters:
    ///   - signal: the exporter's signal; a configuration for another one is refused.
    ///   - configuration: where and how to send.
    ///   - maximumConcurrentRequests: requests in flight at once.
    ///   - maximumResponseBytes: the largest response body read.
    ///   - logger: diagnostics.
    ///   - protobuf: encodes a batch as protobuf requests.
    ///   - json: encodes a batch as OTLP/JSON requests.
    /// - Throws: ``OTLPConfigurationError`` for a configuration made for another signal, and
    ///   what ``OTLPDelivery`` throws.
    init(
        signal: OTLPSignal,
        configuration: OTLPExporterConfiguration,
        maximumConcurrentRequests: Int,
        maximumResponseBytes: Int,
        logger: Logger,
        protobuf: @escaping Encode,
        json: @escaping Encode
    ) throws {
        guard configuration.signal == signal else {
            throw OTLPConfigurationError.invalidValue(
                setting: "configuration",
                value: "a configuration for \(configuration.signal.name)",
                expected: "one for \(signal.name): OTLPExporterConfiguration(signal: .\(signal.name))"
            )
        }
        delivery = try OTLPDelivery(
            configuration: configuration,
            maximumConcurrentRequests: maximumConcurrentRequests,
            maximumResponseBytes: maximumResponseBytes,
            logger: logger
        )
        encode = configuration.transportProtocol == .httpJSON ? json : protobuf
    }

    /// Encodes `batch` and hands its requests to the delivery lanes, waiting only while every
    /// lane is busy; `completion` is called when the last request has ended.
    func export(
        _ batch: Batch,
        itemCount: Int,
        timeout: Duration,
        completion: @escaping @Sendable (ExportResult) -> Void
    ) {
        delivery.deliver(itemCount: itemCount, timeout: timeout, completion: completion) { submit in
            encoding.withLock { _ in encode(batch, submit) }
        }
    }

    /// Exports `batch` and waits until its requests have ended.
    func exportAndWait(_ batch: Batch, itemCount: Int, timeout: Duration) -> ExportResult {
        let outcome = ConditionLock<ExportResult?>(nil)
        export(batch, itemCount: itemCount, timeout: timeout) { result in
            outcome.withLock { $0 = result }
            outcome.broadcast()
        }
        return outcome.wait(until: { $0 != nil }, deadline: nil) { result, _ in result! }
    }
}
