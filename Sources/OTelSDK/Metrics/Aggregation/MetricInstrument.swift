/// One named instrument and its series, one per distinct set of dimensions: the collector's
/// view of what swift-metrics made. Guarded by its provider's registry lock.
final class MetricInstrument {
    /// How the instrument's measurements are aggregated, and so which series it makes.
    enum Aggregation: Hashable {
        case sum(isFloatingPoint: Bool)
        case lastValue
        case explicitBucketHistogram(isTimer: Bool)
        case exponentialHistogram(isTimer: Bool)

        var kind: InstrumentKind {
            switch self {
            case .sum: .counter
            case .lastValue: .gauge
            case .explicitBucketHistogram, .exponentialHistogram: .histogram
            }
        }
    }

    /// A series and what the collector keeps about it.
    final class Entry {
        let series: any MetricSeries
        let attributes: [Attribute]
        /// When the series began: its cumulative points' start time.
        let startTimeUnixNano: UInt64
        /// When it was last collected: the next delta point's start time.
        var lastCollectionUnixNano: UInt64
        /// Handles swift-metrics holds; at 0 the series is exported once more and removed.
        var handleCount = 1

        init(series: any MetricSeries, attributes: [Attribute], startTimeUnixNano: UInt64) {
            self.series = series
            self.attributes = attributes
            self.startTimeUnixNano = startTimeUnixNano
            lastCollectionUnixNano = startTimeUnixNano
        }
    }

    /// The attribute of the series that takes the measurements of every series past the
    /// cardinality limit.
    static let overflowAttribute = Attribute("otel.metric.overflow", .bool(true))

    let name: String
    let unit: String
    let aggregation: Aggregation
    let temporality: AggregationTemporality
    private let makeSeries: () -> any MetricSeries
    private let cardinalityLimit: Int
    private var entries: [SeriesKey: Entry] = [:]
    /// Each series' key, for swift-metrics' destroy calls, which hand back the series alone.
    private var keysBySeries: [ObjectIdentifier: SeriesKey] = [:]
    private var overflow: Entry?

    /// - Parameters:
    ///   - cardinalityLimit: the most series, the overflow series included.
    ///   - makeSeries: makes a series of this instrument's aggregation.
    init(
        name: String,
        unit: String,
        aggregation: Aggregation,
        temporality: AggregationTemporality,
        cardinalityLimit: Int,
        makeSeries: @escaping () -> any MetricSeries
    ) {
        self.name = name
        self.unit = unit
        self.aggregation = aggregation
        self.temporality = temporality
        self.cardinalityLimit = max(2, cardinalityLimit)
        self.makeSeries = makeSeries
    }

    /// The series of `key`, made when new; past the cardinality limit, the overflow series.
    /// Counts one more handle on it.
    func series(for key: SeriesKey, now: UInt64) -> any MetricSeries {
        if let entry = entries[key] {
            entry.handleCount += 1
            return entry.series
        }
        // The specification's limit counts the overflow series: limit - 1 others at most.
        guard entries.count < cardinalityLimit - 1 else {
            if let overflow {
                overflow.handleCount += 1
                return overflow.series
            }
            let entry = Entry(series: makeSeries(), attributes: [Self.overflowAttribute], startTimeUnixNano: now)
            overflow = entry
            return entry.series
        }
        let entry = Entry(series: makeSeries(), attributes: key.attributes, startTimeUnixNano: now)
        entries[key] = entry
        keysBySeries[ObjectIdentifier(entry.series)] = key
        return entry.series
    }

    /// Counts one handle fewer on `series`; returns false when it is not this instrument's.
    func release(_ series: any MetricSeries) -> Bool {
        if let overflow, overflow.series === series {
            overflow.handleCount -= 1
            return true
        }
        guard let key = keysBySeries[ObjectIdentifier(series)], let entry = entries[key] else { return false }
        entry.handleCount -= 1
        return true
    }

    /// Every series' point, then forgets the series whose handles are all destroyed (their last
    /// point is in this collection).
    func collect(timeUnixNano: UInt64) -> [CollectedPoint] {
        var points: [CollectedPoint] = []
        points.reserveCapacity(entries.count + 1)
        for (key, entry) in entries {
            if let point = collect(entry, timeUnixNano: timeUnixNano) { points.append(point) }
            if entry.handleCount <= 0 {
                entries[key] = nil
                keysBySeries[ObjectIdentifier(entry.series)] = nil
            }
        }
        if let overflow, let point = collect(overflow, timeUnixNano: timeUnixNano) {
            points.append(point)
        }
        return points
    }

    private func collect(_ entry: Entry, timeUnixNano: UInt64) -> CollectedPoint? {
        let start = temporality == .delta ? entry.lastCollectionUnixNano : entry.startTimeUnixNano
        entry.lastCollectionUnixNano = timeUnixNano
        return entry.series.collect(
            SeriesCollection(
                attributes: entry.attributes,
                startTimeUnixNano: start,
                timeUnixNano: timeUnixNano,
                temporality: temporality
            )
        )
    }
}
