import Metrics
import Synchronization

/// A batch processor's swift-metrics instruments, named as the OpenTelemetry semantic
/// conventions for SDK metrics name them (`otel.sdk.processor.span.processed` and the queue
/// gauges, for spans), with the conventions' `otel.component.type` and `otel.component.name`
/// (`batching_span_processor/0`: the type and a number unique in the process, so that two
/// processors' series stay apart). They report to the factory given (an `OTLPTelemetry`'s meter
/// provider), else to whatever metrics backend the application bootstrapped, and to nothing
/// otherwise.
struct BatchProcessorMetrics: Sendable {
    /// The processor's `otel.component.name`.
    let componentName: String

    private let exported: Counter
    private let dropped: Counter
    private let rejected: Counter
    private let failed: Counter
    private let lost: Counter
    private let queueSize: Gauge

    private static let processorsMade = Atomic<Int>(0)

    init(names: BatchedSignalNames, capacity: Int, factory: (any MetricsFactory)?) {
        componentName =
            names.componentType + "/" + String(Self.processorsMade.add(1, ordering: .relaxed).oldValue)
        let processed = names.metricPrefix + ".processed"
        let component = [("otel.component.type", names.componentType), ("otel.component.name", componentName)]
        let factory = factory ?? MetricsSystem.factory
        func counter(_ errorType: String?) -> Counter {
            Counter(
                label: processed,
                dimensions: component + (errorType.map { [("error.type", $0)] } ?? []),
                factory: factory
            )
        }
        exported = counter(nil)
        dropped = counter("queue_full")
        rejected = counter("rejected")
        failed = counter("export_failed")
        lost = counter("shutdown_timeout")
        queueSize = Gauge(label: names.metricPrefix + ".queue.size", dimensions: component, factory: factory)
        Gauge(label: names.metricPrefix + ".queue.capacity", dimensions: component, factory: factory).record(capacity)
    }

    func record(exported: Int, rejected: Int, dropped: Int, failed: Int, lost: Int, queueSize: Int) {
        if exported > 0 { self.exported.increment(by: exported) }
        if rejected > 0 { self.rejected.increment(by: rejected) }
        if dropped > 0 { self.dropped.increment(by: dropped) }
        if failed > 0 { self.failed.increment(by: failed) }
        if lost > 0 { self.lost.increment(by: lost) }
        self.queueSize.record(queueSize)
    }
}
