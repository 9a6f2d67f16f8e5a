import CoreMetrics
import Synchronization

/// An explicit-bucket histogram: what swift-metrics' `Timer` (in seconds) and aggregating
/// `Recorder` record into.
///
/// A stripe holds a count per bucket, the sum, the minimum and the maximum, then (when
/// exemplars are on) the measurements each bucket's sampling saw; the series shares one
/// exemplar slot per bucket: the specification's aligned reservoir, sampling each bucket's
/// measurements uniformly. The count is the buckets' total, so the counts
/// always add up to it.
final class HistogramSeries: MetricSeries, DistributionSeries, @unchecked Sendable {
    private let cells: StripedCells
    private let boundaries: HistogramBoundaries
    private let exemplarFilter: ExemplarFilter
    private let sumWord: Int
    private let minWord: Int
    private let maxWord: Int
    private let firstSeenWord: Int

    init(boundaries: HistogramBoundaries, exemplarFilter: ExemplarFilter) {
        self.boundaries = boundaries
        self.exemplarFilter = exemplarFilter
        let buckets = boundaries.bucketCount
        sumWord = buckets
        minWord = buckets + 1
        maxWord = buckets + 2
        firstSeenWord = buckets + 3
        let hasExemplars = exemplarFilter != .alwaysOff
        let minWord = minWord
        let maxWord = maxWord
        cells = StripedCells(
            wordsPerStripe: hasExemplars ? buckets * 2 + 3 : buckets + 3,
            sharedWords: hasExemplars ? buckets * ExemplarSlot.wordCount : 0
        ) { word in
            switch word {
            case minWord: Double.infinity.bitPattern
            case maxWord: (-Double.infinity).bitPattern
            default: 0
            }
        }
    }

    deinit {
        cells.deallocate()
    }

    @inline(__always)
    func record(_ value: Double, exemplarValue: MetricValue) {
        let bucket = boundaries.bucket(of: value)
        let stripe = cells.currentStripe
        (stripe + sumWord).pointee.add(value)
        (stripe + minWord).pointee.lower(to: value)
        (stripe + maxWord).pointee.raise(to: value)
        // The count last, releasing: a collector that sees it sees the sum, minimum and maximum.
        (stripe + bucket).pointee.wrappingAdd(1, ordering: .releasing)
        if exemplarFilter != .alwaysOff {
            ExemplarSlot.offer(
                seen: stripe + (firstSeenWord &+ bucket),
                slot: cells.shared + (bucket &* ExemplarSlot.wordCount),
                value: exemplarValue,
                filter: exemplarFilter
            )
        }
    }

    func collect(_ collection: SeriesCollection) -> CollectedPoint? {
        let isDelta = collection.temporality == .delta
        let bucketCount = boundaries.bucketCount
        var counts = [UInt64](repeating: 0, count: bucketCount)
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        for index in 0..<cells.stripeCount {
            let stripe = cells.stripe(index)
            for bucket in 0..<bucketCount {
                counts[bucket] &+=
                    isDelta
                    ? (stripe + bucket).pointee.exchange(0, ordering: .acquiring)
                    : (stripe + bucket).pointee.load(ordering: .acquiring)
            }
            if isDelta {
                sum += Double(bitPattern: (stripe + sumWord).pointee.exchange(0, ordering: .relaxed))
                minimum = min(
                    minimum,
                    Double(
                        bitPattern: (stripe + minWord).pointee.exchange(Double.infinity.bitPattern, ordering: .relaxed)
                    )
                )
                maximum = max(
                    maximum,
                    Double(
                        bitPattern: (stripe + maxWord).pointee.exchange(
                            (-Double.infinity).bitPattern,
                            ordering: .relaxed
                        )
                    )
                )
            } else {
                sum += (stripe + sumWord).pointee.loadDouble()
                minimum = min(minimum, (stripe + minWord).pointee.loadDouble())
                maximum = max(maximum, (stripe + maxWord).pointee.loadDouble())
            }
        }
        let count = counts.reduce(0, &+)
        let exemplars = collectExemplars(clearing: isDelta)
        if isDelta, count == 0 { return nil }
        // A measurement whose extremes a delta collection took in the previous interval, and
        // whose count it takes in this one, leaves no extremes here: leave them out.
        let hasExtremes = count > 0 && minimum <= maximum
        return .histogram(
            HistogramDataPoint(
                attributes: collection.attributes,
                startTimeUnixNano: collection.startTimeUnixNano,
                timeUnixNano: collection.timeUnixNano,
                count: count,
                sum: count == 0 ? nil : sum,
                min: hasExtremes ? minimum : nil,
                max: hasExtremes ? maximum : nil,
                explicitBounds: boundaries.values,
                bucketCounts: counts,
                exemplars: exemplars
            )
        )
    }

    /// Each bucket's exemplar, starting the next sampling period.
    private func collectExemplars(clearing: Bool) -> [Exemplar] {
        guard exemplarFilter != .alwaysOff else { return [] }
        for index in 0..<cells.stripeCount {
            for bucket in 0..<boundaries.bucketCount {
                ExemplarSlot.resetSeen(cells.stripe(index) + firstSeenWord + bucket)
            }
        }
        return (0..<boundaries.bucketCount).compactMap { bucket in
            ExemplarSlot.collect(cells.shared + bucket * ExemplarSlot.wordCount, clearing: clearing)
        }
    }
}
