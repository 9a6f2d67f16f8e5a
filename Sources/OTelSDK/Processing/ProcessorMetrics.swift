import Metrics

/// The batch span processor's swift-metrics instruments, named as the OpenTelemetry semantic
/// conventions for SDK metrics name them. They report to whatever metrics backend the
/// application bootstrapped, and to nothing otherwise.
struct ProcessorMetrics: Sendable {
    private static let processed = "otel.sdk.processor.span.processed"
    private static let component: (String, String) = ("otel.component.type", "batching_span_processor")

    private let exported = Counter(label: processed, dimensions: [component])
    private let dropped = Counter(label: processed, dimensions: [component, ("error.type", "queue_full")])
    private let rejected = Counter(label: processed, dimensions: [component, ("error.type", "rejected")])
    private let failed = Counter(label: processed, dimensions: [component, ("error.type", "export_failed")])
    private let lost = Counter(label: processed, dimensions: [component, ("error.type", "shutdown_timeout")])
    private let queueSize = Gauge(label: "otel.sdk.processor.span.queue.size", dimensions: [component])
    private let queueCapacity = Gauge(label: "otel.sdk.processor.span.queue.capacity", dimensions: [component])

    init(capacity: Int) {
        queueCapacity.record(capacity)
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
