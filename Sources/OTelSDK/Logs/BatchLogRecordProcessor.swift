import CoreMetrics
import Logging

/// Queues emitted log records and exports them in batches from a worker thread of its own, so
/// that the threads that log never wait for the network.
///
/// The same machinery as the ``BatchSpanProcessor``: a lock-free ring, one worker that exports
/// a full batch at once and otherwise every ``Configuration/scheduleDelay``, at most one wake
/// of the worker per batch, and a record dropped and counted when the queue is full (or, with
/// ``Configuration/blocksWhenFull``, the logging thread waits for room).
///
/// Every record is accounted for (``statistics``): exported, rejected by the receiver,
/// dropped, failed, lost at shutdown, queued, or being exported. With swift-metrics
/// bootstrapped, the processor also reports `otel.sdk.processor.log.processed` (with
/// `error.type` for records that did not make it), `otel.sdk.processor.log.queue.size` and
/// `otel.sdk.processor.log.queue.capacity`, each series with `otel.component.type` and
/// `otel.component.name` (``componentName``).
///
/// Call `shutdown(timeout:)` (or the provider's) before the process exits: it exports what is
/// queued and stops the worker thread.
public final class BatchLogRecordProcessor: LogRecordProcessor {
    /// Where every record a batch log record processor received ended up.
    public typealias Statistics = BatchProcessorStatistics

    /// The settings the processor runs with: what it was given, with each setting it cannot
    /// use replaced (and warned about) and the queue size the ring really holds.
    public let configuration: Configuration

    let queue: BatchQueue<LogBatching>

    /// Creates the processor and starts its worker thread.
    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: default from the `OTEL_BLRP_*` environment variables, else the
    ///     specification's defaults.
    ///   - metricsFactory: where the processor's self-metrics go; default nil, swift-metrics'
    ///     bootstrapped factory (`MetricsSystem.factory`) when the processor is made.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        exporter: any LogRecordExporter,
        configuration: Configuration? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        let configuration = configuration ?? Configuration(environment: OTelEnvironment(logger: logger))
        queue = BatchQueue(
            signal: LogBatching(exporter: exporter),
            settings: configuration.settings,
            metricsFactory: metricsFactory,
            logger: logger
        )
        self.configuration = Configuration(queue.settings)
    }

    public func onEmit(_ record: consuming LogRecord) {
        queue.push(record)
    }

    /// Exports every record queued before the call, then flushes the exporter.
    /// - Parameter timeout: how long to wait.
    /// - Returns: success; failure if an export or the exporter's flush failed; timeout.
    public func forceFlush(timeout: Duration) -> CompletionResult {
        queue.forceFlush(timeout: timeout)
    }

    /// Stops accepting records, exports what is queued, and flushes and shuts the exporter
    /// down; returns within `timeout` even if the exporter hangs, counting what it could not
    /// export as lost. Only the first call does anything; later calls return success.
    /// - Parameter timeout: how long to wait.
    public func shutdown(timeout: Duration) -> CompletionResult {
        queue.shutdown(timeout: timeout)
    }

    /// Where every record received so far is now (see ``BatchProcessorStatistics``).
    public var statistics: Statistics { queue.statistics }

    /// The `otel.component.name` of the processor's self-metrics (`otel.sdk.processor.log.*`),
    /// for example `batching_log_processor/0`: its component type and a number unique in the process.
    public var componentName: String { queue.metrics.componentName }
}

/// Log records as a ``BatchQueue`` carries them: queued as they were logged, turned into
/// ``LogRecordData`` on the worker.
struct LogBatching: BatchedSignal {
    let exporter: any LogRecordExporter

    static let names = BatchedSignalNames(
        processor: "batch log record processor",
        items: "log records",
        threadName: "otel-log-batch",
        metricPrefix: "otel.sdk.processor.log",
        componentType: "batching_log_processor"
    )

    func prepare(_ records: inout [LogRecord], into exportables: inout [LogRecordData]) {
        // By index: the record is read in place, not copied (a copy counts a reference to
        // each of its strings and dictionaries, on the worker, against the logging thread).
        for index in records.indices {
            exportables.append(records[index].makeLogRecordData())
        }
    }

    func release(_ record: consuming LogRecord) {}

    func export(_ batch: [LogRecordData], timeout: Duration, completion: @escaping @Sendable (ExportResult) -> Void) {
        exporter.export(batch, timeout: timeout, completion: completion)
    }

    func forceFlush(timeout: Duration) -> CompletionResult {
        exporter.forceFlush(timeout: timeout)
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        exporter.shutdown(timeout: timeout)
    }
}
