import CoreMetrics
import Synchronization
import Tracing

/// A monotonic sum: what swift-metrics' `Counter` (integers) and `FloatingPointCounter`
/// (doubles) record into.
///
/// Each stripe holds the stripe's part of the sum in word 0 and, when exemplars are on, a
/// reservoir of one exemplar (sampled uniformly) in its second cache line; a collection adds
/// the stripes and keeps each stripe's exemplar.
final class SumSeries: MetricSeries, CounterHandler, FloatingPointCounterHandler, @unchecked Sendable {
    private static let sumWord = 0
    private static let exemplarWord = 8

    private let cells: StripedCells
    private let isFloatingPoint: Bool
    private let exemplarFilter: ExemplarFilter
    /// When `reset()` last ran (0: never), for the cumulative start time.
    private let resetTimeUnixNano = Atomic<UInt64>(0)

    init(isFloatingPoint: Bool, exemplarFilter: ExemplarFilter) {
        self.isFloatingPoint = isFloatingPoint
        self.exemplarFilter = exemplarFilter
        cells = StripedCells(
            wordsPerStripe: exemplarFilter == .alwaysOff ? 1 : Self.exemplarWord + ExemplarSlot.wordCount
        )
    }

    deinit {
        cells.deallocate()
    }

    /// Adds `amount`; a negative amount is ignored (a monotonic sum cannot go down).
    func increment(by amount: Int64) {
        guard amount >= 0 else { return }
        let stripe = cells.currentStripe
        (stripe + Self.sumWord).pointee.wrappingAdd(UInt64(amount), ordering: .relaxed)
        if exemplarFilter != .alwaysOff {
            offerExemplar(.int(amount), in: stripe)
        }
    }

    /// Adds `amount`; a negative, infinite or NaN amount is ignored.
    func increment(by amount: Double) {
        guard amount >= 0, amount.isFinite else { return }
        let stripe = cells.currentStripe
        (stripe + Self.sumWord).pointee.add(amount)
        if exemplarFilter != .alwaysOff {
            offerExemplar(.double(amount), in: stripe)
        }
    }

    @inline(never)
    private func offerExemplar(_ value: MetricValue, in stripe: UnsafeMutablePointer<Atomic<UInt64>>) {
        guard let span = exemplarFilter.admittedMeasurementSpan() else { return }
        ExemplarSlot.sample(stripe + Self.exemplarWord, with: value, span: span)
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
            for index in 0..<cells.stripeCount {
                if let exemplar = ExemplarSlot.collect(cells.stripe(index) + Self.exemplarWord, clearing: isDelta) {
                    exemplars.append(exemplar)
                }
            }
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
