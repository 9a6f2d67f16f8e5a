import OTelSDK
import Synchronization

/// Hands each collection to `exporter` and keeps the last one: what the demo draws when the
/// metrics went to an outside collector. A second reader cannot do it, as a delta collection
/// would take the points from the one that exports.
final class CopyingMetricExporter: MetricExporter {
    private let exporter: any MetricExporter
    private let last = Mutex<[MetricData]>([])

    init(forwardingTo exporter: any MetricExporter) {
        self.exporter = exporter
    }

    /// The metrics of the last export.
    var lastExport: [MetricData] { last.withLock { $0 } }

    var temporalityPreference: MetricTemporalityPreference { exporter.temporalityPreference }
    var histogramAggregation: HistogramAggregation { exporter.histogramAggregation }

    func export(_ batch: [MetricData], timeout: Duration) -> ExportResult {
        last.withLock { $0 = batch }
        return exporter.export(batch, timeout: timeout)
    }

    func forceFlush(timeout: Duration) -> CompletionResult {
        exporter.forceFlush(timeout: timeout)
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        exporter.shutdown(timeout: timeout)
    }
}
