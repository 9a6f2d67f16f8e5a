import CoreMetrics
import Logging

/// Queues ended spans and exports them in batches from a worker thread of its own, so that
/// the threads that end spans never wait for the network.
///
/// Ending a span pushes it into a lock-free ring (many producers, one consumer): no lock, no
/// system call, no allocation. The worker exports once a full batch
/// (``Configuration/maxExportBatchSize``) is queued, and otherwise every
/// ``Configuration/scheduleDelay``; exports never overlap. A producer wakes the worker at most
/// once per batch, and only when it sleeps. When the queue is full, the span is dropped and
/// counted (or, with ``Configuration/blocksWhenFull``, the producer waits for room).
///
/// Every span is accounted for (``statistics``): exported, rejected by the receiver, dropped,
/// failed, lost at shutdown, queued, or being exported. With swift-metrics bootstrapped, the
/// processor also reports `otel.sdk.processor.span.processed` (with `error.type` for spans that
/// did not make it), `otel.sdk.processor.span.queue.size` and
/// `otel.sdk.processor.span.queue.capacity`, each series with `otel.component.type` and
/// `otel.component.name` (``componentName``).
///
/// Call `shutdown(timeout:)`, blocking or async (or the provider's), before the process exits:
/// it exports what is queued and stops the worker thread.
public final class BatchSpanProcessor: SpanProcessor {
    /// Where every span a batch span processor received ended up.
    public typealias Statistics = BatchProcessorStatistics

    /// The settings the processor runs with: what it was given, with each setting it cannot
    /// use replaced (and warned about) and the queue size the ring really holds.
    public let configuration: Configuration

    let queue: BatchQueue<SpanBatching>

    /// Creates the processor and starts its worker thread.
    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: default from the `OTEL_BSP_*` environment variables, else the
    ///     specification's defaults.
    ///   - metricsFactory: where the processor's self-metrics go; default nil, swift-metrics'
    ///     bootstrapped factory (`MetricsSystem.factory`) when the processor is made.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        exporter: any SpanExporter,
        configuration: Configuration? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        let configuration = configuration ?? Configuration(environment: OTelEnvironment(logger: logger))
        queue = BatchQueue(
            signal: SpanBatching(exporter: exporter),
            settings: configuration.settings,
            metricsFactory: metricsFactory,
            logger: logger
        )
        self.configuration = Configuration(queue.settings)
    }

    /// False: this processor only acts when spans end.
    public var isStartRequired: Bool { false }

    public func onEnd(_ span: consuming FinishedSpan) {
        guard span.isSampled else { return }
        queue.push(span)
    }

    /// Exports every span queued before the call, then flushes the exporter.
    /// - Parameter timeout: how long to wait.
    /// - Returns: success; failure if an export or the exporter's flush failed; timeout.
    public func forceFlush(timeout: Duration) -> CompletionResult {
        queue.forceFlush(timeout: timeout)
    }

    /// Stops accepting spans, exports what is queued, and flushes and shuts the exporter down;
    /// returns within `timeout` even if the exporter hangs, counting what it could not export
    /// as lost. Only the first call does anything; later calls return success.
    /// - Parameter timeout: how long to wait.
    public func shutdown(timeout: Duration) -> CompletionResult {
        queue.shutdown(timeout: timeout)
    }

    /// ``forceFlush(timeout:)`` without blocking the calling task's thread.
    public func forceFlush(timeout: Duration) async -> CompletionResult {
        await BlockingWork.run { self.forceFlush(timeout: timeout) }
    }

    /// ``shutdown(timeout:)`` without blocking the calling task's thread.
    public func shutdown(timeout: Duration) async -> CompletionResult {
        await BlockingWork.run { self.shutdown(timeout: timeout) }
    }

    /// Where every span received so far is now (see ``BatchProcessorStatistics``).
    public var statistics: Statistics { queue.statistics }

    /// The `otel.component.name` of the processor's self-metrics (`otel.sdk.processor.span.*`),
    /// for example `batching_span_processor/0`: its component type and a number unique in the process.
    public var componentName: String { queue.metrics.componentName }
}
