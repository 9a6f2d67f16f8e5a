import CoreMetrics
import OTelSDK

/// A meter provider without a reader, collected by the test, configured only by what the test
/// passes (an empty environment unless given).
struct TestMeterProvider {
    let provider: MeterProvider

    init(
        exporter: InMemoryMetricExporter = InMemoryMetricExporter(),
        exemplarFilter: ExemplarFilter = .alwaysOff,
        cardinalityLimit: Int = 2_000,
        environment: [String: String] = [:],
        exportInterval: Duration = .seconds(3_600)
    ) {
        provider = MeterProvider(
            resource: Resource(attributes: ["service.name": "metric-tests"]),
            reader: PeriodicExportingMetricReader(
                exporter: exporter,
                configuration: .init(exportInterval: exportInterval, exportTimeout: .seconds(5))
            ),
            exemplarFilter: exemplarFilter,
            cardinalityLimit: cardinalityLimit,
            environment: OTelEnvironment(environment)
        )
    }

    /// The metric named `name` of a collection now.
    func collect(_ name: String) -> MetricData? {
        provider.collect().first { $0.name == name }
    }
}

extension MetricData {
    var numberPoints: [NumberDataPoint] {
        switch points {
        case .gauge(let points), .sum(let points, _, _): points
        default: []
        }
    }

    var histogramPoints: [HistogramDataPoint] {
        if case .histogram(let points, _) = points { points } else { [] }
    }

    var exponentialPoints: [ExponentialHistogramDataPoint] {
        if case .exponentialHistogram(let points, _) = points { points } else { [] }
    }

    var temporality: AggregationTemporality? {
        switch points {
        case .gauge: nil
        case .sum(_, let temporality, _), .histogram(_, let temporality), .exponentialHistogram(_, let temporality):
            temporality
        }
    }
}
