import CoreMetrics
import Logging
import Tracing

/// The registry of a ``MeterProvider``: its instruments by name and aggregation, the settings
/// every series is made with, and the collection that turns them into ``MetricData``.
final class MeterProviderCore: Sendable {
    private struct InstrumentKey: Hashable {
        let name: String
        let aggregation: MetricInstrument.Aggregation
    }

    private struct Registry {
        var instruments: [InstrumentKey: MetricInstrument] = [:]
        /// Instrument names already warned about for being made with two aggregations.
        var conflictsReported: Set<String> = []
    }

    let resource: Resource
    let scope: InstrumentationScope
    let exemplarFilter: ExemplarFilter
    let temporalityPreference: MetricTemporalityPreference
    let histogramAggregation: HistogramAggregation
    let cardinalityLimit: Int
    let units: [String: String]
    private let recorderBoundaries = HistogramBoundaries(HistogramAggregation.defaultBoundaries)
    private let timerBoundaries = HistogramBoundaries(HistogramAggregation.timerBoundaries)
    /// A mutex, not a spin lock: a collection holds it while it reads every series.
    private let registry = ConditionLock(Registry())
    private let logger: Logger

    init(
        resource: Resource,
        exemplarFilter: ExemplarFilter,
        temporalityPreference: MetricTemporalityPreference,
        histogramAggregation: HistogramAggregation,
        cardinalityLimit: Int,
        units: [String: String],
        logger: Logger
    ) {
        self.resource = resource
        scope = InstrumentationScope(name: "swift-metrics")
        self.exemplarFilter = exemplarFilter
        self.temporalityPreference = temporalityPreference
        self.histogramAggregation = histogramAggregation
        self.cardinalityLimit = cardinalityLimit
        self.units = units
        self.logger = logger
    }

    /// The series of `label` and `dimensions` in the instrument of `aggregation`, made when new.
    func series(
        label: String,
        dimensions: [(String, String)],
        aggregation: MetricInstrument.Aggregation
    ) -> any MetricSeries {
        let key = SeriesKey(dimensions)
        let (series, isConflict) = registry.withLock { registry in
            // The clock is read under the lock, so that no series starts after a collection
            // that already holds it has read its time.
            let now = DefaultTracerClock.now.nanosecondsSinceEpoch
            let instrumentKey = InstrumentKey(name: label, aggregation: aggregation)
            if let instrument = registry.instruments[instrumentKey] {
                return (instrument.series(for: key, now: now), false)
            }
            let isConflict =
                registry.instruments.keys.contains { $0.name == label }
                && registry.conflictsReported.insert(label).inserted
            let instrument = makeInstrument(name: label, aggregation: aggregation)
            registry.instruments[instrumentKey] = instrument
            return (instrument.series(for: key, now: now), isConflict)
        }
        if isConflict {
            logger.warning(
                "A metric of this name already exists with another kind; both are exported",
                metadata: ["metric": "\(label)"]
            )
        }
        return series
    }

    private func makeInstrument(name: String, aggregation: MetricInstrument.Aggregation) -> MetricInstrument {
        let exemplarFilter = exemplarFilter
        let makeSeries: () -> any MetricSeries
        let unit: String
        switch aggregation {
        case .sum(let isFloatingPoint):
            unit = ""
            makeSeries = { SumSeries(isFloatingPoint: isFloatingPoint, exemplarFilter: exemplarFilter) }
        case .lastValue:
            unit = ""
            makeSeries = { GaugeSeries(exemplarFilter: exemplarFilter) }
        case .explicitBucketHistogram(let isTimer):
            unit = isTimer ? "s" : ""
            let boundaries = isTimer ? timerBoundaries : recorderBoundaries
            makeSeries = { HistogramSeries(boundaries: boundaries, exemplarFilter: exemplarFilter) }
        case .exponentialHistogram(let isTimer):
            unit = isTimer ? "s" : ""
            guard case .base2Exponential(let maxSize, let maxScale) = histogramAggregation else {
                preconditionFailure("exponential series are made only for base2Exponential")
            }
            makeSeries = {
                ExponentialHistogramSeries(maxSize: maxSize, maxScale: maxScale, exemplarFilter: exemplarFilter)
            }
        }
        return MetricInstrument(
            name: name,
            unit: units[name] ?? unit,
            aggregation: aggregation,
            temporality: temporalityPreference.temporality(for: aggregation.kind),
            cardinalityLimit: cardinalityLimit,
            makeSeries: makeSeries
        )
    }

    /// The histogram aggregation of a Timer (`isTimer`) or an aggregating Recorder.
    func histogram(isTimer: Bool) -> MetricInstrument.Aggregation {
        switch histogramAggregation {
        case .explicitBucket: .explicitBucketHistogram(isTimer: isTimer)
        case .base2Exponential: .exponentialHistogram(isTimer: isTimer)
        }
    }

    /// Counts one handle fewer on `series`: swift-metrics destroyed one.
    func release(_ series: AnyObject) {
        guard let series = series as? any MetricSeries else { return }
        registry.withLock { registry in
            for instrument in registry.instruments.values where instrument.release(series) {
                return
            }
        }
    }

    /// Every instrument's points now, as metrics of this provider's resource and scope; an
    /// instrument with no point to report is left out.
    func collect() -> [MetricData] {
        registry.withLock { registry in
            let now = DefaultTracerClock.now.nanosecondsSinceEpoch
            return registry.instruments.values.sorted { $0.name < $1.name }.compactMap { instrument in
                let points = instrument.collect(timeUnixNano: now)
                guard !points.isEmpty else { return nil }
                return MetricData(
                    name: instrument.name,
                    unit: instrument.unit,
                    points: Self.points(points, of: instrument),
                    resource: resource,
                    instrumentationScope: scope
                )
            }
        }
    }

    private static func points(_ points: [CollectedPoint], of instrument: MetricInstrument) -> MetricData.Points {
        switch instrument.aggregation {
        case .sum:
            .sum(
                points.compactMap { if case .number(let point) = $0 { point } else { nil } },
                temporality: instrument.temporality,
                isMonotonic: true
            )
        case .lastValue:
            .gauge(points.compactMap { if case .number(let point) = $0 { point } else { nil } })
        case .explicitBucketHistogram:
            .histogram(
                points.compactMap { if case .histogram(let point) = $0 { point } else { nil } },
                temporality: instrument.temporality
            )
        case .exponentialHistogram:
            .exponentialHistogram(
                points.compactMap { if case .exponentialHistogram(let point) = $0 { point } else { nil } },
                temporality: instrument.temporality
            )
        }
    }
}
