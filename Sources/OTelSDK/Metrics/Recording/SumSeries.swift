import CoreMetrics
import Synchronization
import Tracing

/// A monotonic sum: what swift-metrics' `Counter` (integers) and `FloatingPointCounter`
/// (doubles) record into.
///
/// Each stripe holds the stripe's part of the sum and, in its second cache line (room a stripe
/// has anyway), a reservoir of one exemplar sampled uniformly from the stripe's measurements. A
/// collection adds the stripes up and keeps one stripe's exemplar, picked in proportion to the
/// measurements each stripe saw, so that the exemplar is uniform over the series.
final class SumSeries: MetricSeries, CounterHandler, FloatingPointCounterHandler, @unchecked Sendable {
    private static let sumWord = 0
    private static let seenWord = 1
    private static let exemplarWord = 8

    private let cells: StripedCells
    private let isFloatingPoint: Bool
    private let exemplarFilter: ExemplarFilter
    /// When `reset()` last ran (0: never), for the cumulative start time.
    private let resetTimeUnixNano = Atomic<UInt64>(0)

    init(isFloatingPoint: Bool, exemplarFilter: ExemplarFilter) {
        self.isFloatingPoint = isFloatingPoint
        self.exemplarFilter = exemplarFilter
        cells = StripedCells(wordsPerStripe: Self.exemplarWord + ExemplarSlot.wordCount)
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
        ExemplarSlot.offer(
            seen: stripe + Self.seenWord,
            slot: stripe + Self.exemplarWord,
            value: value,
            filter: exemplarFilter
        )
    }

    /// Starts the sum again from zero, with a new start time.
    func reset() {
        _ = cells.takeTotal(ofWord: Self.sumWord)
        resetTimeUnixNano.store(DefaultTracerClock.now.nanosecondsSinceEpoch, ordering: .relaxed)
    }

    func collect(_ collection: SeriesCollection) -> CollectedPoint? {
        let isDelta = collection.temporality == .delta
        // Before the early return: a delta interval's exemplar must not outlive it.
        let exemplar = collectExemplar(clearing: isDelta)
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
        // A reset between the collection's clock read and here must not start the point after it.
        let start = min(
            max(collection.startTimeUnixNano, resetTimeUnixNano.load(ordering: .relaxed)),
            collection.timeUnixNano
        )
        return .number(
            NumberDataPoint(
                attributes: collection.attributes,
                startTimeUnixNano: start,
                timeUnixNano: collection.timeUnixNano,
                value: value,
                exemplars: exemplar.map { [$0] } ?? []
            )
        )
    }

    /// One stripe's exemplar, each stripe weighted by the measurements it saw this period (the
    /// latest exemplar when none saw any), starting every stripe's next period.
    private func collectExemplar(clearing: Bool) -> Exemplar? {
        guard exemplarFilter != .alwaysOff else { return nil }
        var candidates: [(exemplar: Exemplar, seen: UInt64)] = []
        for index in 0..<cells.stripeCount {
            let stripe = cells.stripe(index)
            let seen = ExemplarSlot.resetSeen(stripe + Self.seenWord)
            if let exemplar = ExemplarSlot.collect(stripe + Self.exemplarWord, clearing: clearing) {
                candidates.append((exemplar, seen))
            }
        }
        let totalSeen = candidates.reduce(0) { $0 &+ $1.seen }
        guard totalSeen > 0 else {
            return candidates.max { $0.exemplar.timeUnixNano < $1.exemplar.timeUnixNano }?.exemplar
        }
        var pick = UInt64.random(in: 0..<totalSeen)
        for candidate in candidates {
            if pick < candidate.seen { return candidate.exemplar }
            pick -= candidate.seen
        }
        return candidates.last?.exemplar
    }
}
