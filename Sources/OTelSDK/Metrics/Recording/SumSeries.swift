import CoreMetrics
import Synchronization
import Tracing

/// A monotonic sum: what swift-metrics' `Counter` (integers) and `FloatingPointCounter`
/// (doubles) record into.
///
/// Each stripe holds the stripe's part of the sum and the count of measurements its exemplar
/// sampling saw; the series shares one exemplar slot (a reservoir of one, sampled uniformly).
/// A collection adds the stripes up.
final class SumSeries: MetricSeries, CounterHandler, FloatingPointCounterHandler, @unchecked Sendable {
    private static let sumWord = 0
    private static let seenWord = 1

    private let cells: StripedCells
    private let isFloatingPoint: Bool
    private let exemplarFilter: ExemplarFilter
    /// When `reset()` last ran (0: never), for the cumulative start time.
    private let resetTimeUnixNano = Atomic<UInt64>(0)

    init(isFloatingPoint: Bool, exemplarFilter: ExemplarFilter) {
        self.isFloatingPoint = isFloatingPoint
        self.exemplarFilter = exemplarFilter
        cells = StripedCells(
            wordsPerStripe: 2,
            sharedWords: exemplarFilter == .alwaysOff ? 0 : ExemplarSlot.wordCount
        )
        assert(cells.stride == StripedCells.minimumStripeWords, "a sum's stripe is the minimum")
    }

    deinit {
        cells.deallocate()
    }

    /// Adds `amount`; a negative amount is ignored (a monotonic sum cannot go down).
    func increment(by amount: Int64) {
        guard amount >= 0 else { return }
        let stripe = cells.currentMinimumStripe
        (stripe + Self.sumWord).pointee.wrappingAdd(UInt64(amount), ordering: .relaxed)
        if exemplarFilter != .alwaysOff {
            offerExemplar(.int(amount), in: stripe)
        }
    }

    /// Adds `amount`; a negative, infinite or NaN amount is ignored.
    func increment(by amount: Double) {
        guard amount >= 0, amount.isFinite else { return }
        let stripe = cells.currentMinimumStripe
        (stripe + Self.sumWord).pointee.add(amount)
        if exemplarFilter != .alwaysOff {
            offerExemplar(.double(amount), in: stripe)
        }
    }

    /// Out of line, so that an increment without exemplars saves no registers.
    @inline(never)
    private func offerExemplar(_ value: MetricValue, in stripe: UnsafeMutablePointer<Atomic<UInt64>>) {
        ExemplarSlot.offer(seen: stripe + Self.seenWord, slot: cells.shared, value: value, filter: exemplarFilter)
    }

    /// Starts the sum again from zero, with a new start time.
    func reset() {
        _ = cells.takeTotal(ofWord: Self.sumWord)
        resetTimeUnixNano.store(DefaultTracerClock.now.nanosecondsSinceEpoch, ordering: .relaxed)
    }

    func collect(_ collection: SeriesCollection) -> CollectedPoint? {
        let isDelta = collection.temporality == .delta
        let value: MetricValue
        if isFloatingPoint {
            var total = 0.0
            for index in 0..<cells.stripeCount {
                let word = cells.stripe(index) + Self.sumWord
                total +=
                    isDelta
                    ? Double(bitPattern: word.pointee.exchange(0, ordering: .relaxed)) : word.pointee.loadDouble()
            }
            if isDelta, total == 0 { return nil }
            value = .double(total)
        } else {
            let total = isDelta ? cells.takeTotal(ofWord: Self.sumWord) : cells.total(ofWord: Self.sumWord)
            if isDelta, total == 0 { return nil }
            value = .int(Int64(bitPattern: total))
        }
        var exemplars: [Exemplar] = []
        if exemplarFilter != .alwaysOff {
            for index in 0..<cells.stripeCount { ExemplarSlot.resetSeen(cells.stripe(index) + Self.seenWord) }
            if let exemplar = ExemplarSlot.collect(cells.shared, clearing: isDelta) { exemplars.append(exemplar) }
        }
        return .number(
            NumberDataPoint(
                attributes: collection.attributes,
                startTimeUnixNano: max(collection.startTimeUnixNano, resetTimeUnixNano.load(ordering: .relaxed)),
                timeUnixNano: collection.timeUnixNano,
                value: value,
                exemplars: exemplars
            )
        )
    }
}
