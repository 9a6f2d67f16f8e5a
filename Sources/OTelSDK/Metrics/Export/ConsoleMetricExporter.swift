/// Prints each collection's metrics, a line per point, for local development (and
/// `OTEL_METRICS_EXPORTER=console`).
///
/// ```
/// messaging.process.duration s histogram{messaging.system=kafka} count=3 sum=0.0421 min=0.0102 max=0.0188  exemplar span 1a2b...
/// orders.placed sum{region=eu} 42
/// ```
public final class ConsoleMetricExporter: MetricExporter {
    private let write: @Sendable (String) -> Void
    private let isShutDown = LockedValue(false)

    /// Creates the exporter.
    /// - Parameter write: where each collection's lines go; defaults to standard output.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    public func export(_ batch: [MetricData], timeout: Duration) -> ExportResult {
        guard !isShutDown.withLock({ $0 }) else { return .failure(ExporterShutDownError()) }
        write(batch.flatMap(Self.lines).joined())
        return .success
    }

    public func shutdown(timeout: Duration) -> CompletionResult {
        isShutDown.withLock { $0 = true }
        return .success
    }

    /// A metric's points as text, a line each, ending in a newline.
    package static func lines(_ metric: MetricData) -> [String] {
        let name = metric.unit.isEmpty ? metric.name : "\(metric.name) \(metric.unit)"
        func attributes(_ attributes: [Attribute]) -> String {
            "{" + attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
        }
        func value(_ value: MetricValue) -> String {
            switch value {
            case .int(let integer): "\(integer)"
            case .double(let double): "\(double)"
            }
        }
        func summary(count: UInt64, sum: Double?, min: Double?, max: Double?) -> String {
            "count=\(count)" + (sum.map { " sum=\($0)" } ?? "") + (min.map { " min=\($0)" } ?? "")
                + (max.map { " max=\($0)" } ?? "")
        }
        func exemplars(_ exemplars: [Exemplar]) -> String {
            let spans = exemplars.compactMap { $0.spanID?.hexString }
            return spans.isEmpty ? "" : "  exemplar span " + spans.joined(separator: ", ")
        }
        switch metric.points {
        case .gauge(let points):
            return points.map {
                "\(name) gauge\(attributes($0.attributes)) \(value($0.value))\(exemplars($0.exemplars))\n"
            }
        case .sum(let points, _, _):
            return points.map {
                "\(name) sum\(attributes($0.attributes)) \(value($0.value))\(exemplars($0.exemplars))\n"
            }
        case .histogram(let points, _):
            return points.map {
                "\(name) histogram\(attributes($0.attributes)) "
                    + "\(summary(count: $0.count, sum: $0.sum, min: $0.min, max: $0.max))\(exemplars($0.exemplars))\n"
            }
        case .exponentialHistogram(let points, _):
            return points.map {
                "\(name) exponential histogram\(attributes($0.attributes)) "
                    + "\(summary(count: $0.count, sum: $0.sum, min: $0.min, max: $0.max))\(exemplars($0.exemplars))\n"
            }
        }
    }
}
