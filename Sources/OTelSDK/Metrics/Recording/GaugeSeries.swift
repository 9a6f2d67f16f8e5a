import CoreMetrics
import Synchronization

/// The last value set: what swift-metrics' `Meter` and non-aggregating `Recorder` record into.
///
/// A gauge rather than a non-monotonic sum: a `Meter` is mostly `set` to an absolute level
/// (connections open, queue depth), which a sum could only express as differences between
/// sets, and its `increment`/`decrement` move the same level. One place holds the value (a
/// last value has no stripes to add up), beside a reservoir of one exemplar.
final class GaugeSeries: MetricSeries, MeterHandler, RecorderHandler, @unchecked Sendable {
    private static let valueWord = 0
    /// 0 until the first measurement.
    private static let isSetWord = 1
    private static let seenWord = 2

    private let cells: StripedCells
    private let exemplarFilter: ExemplarFilter

    init(exemplarFilter: ExemplarFilter) {
        self.exemplarFilter = exemplarFilter
        cells = StripedCells(wordsPerStripe: 3, stripeCount: 1, sharedWords: ExemplarSlot.wordCount)
    }

    deinit {
        cells.deallocate()
    }

    func set(_ value: Int64) {
        set(Double(value), exemplarValue: .int(value))
    }

    /// Sets the value; NaN is ignored.
    func set(_ value: Double) {
        set(value, exemplarValue: .double(value))
    }

    func record(_ value: Int64) {
        set(value)
    }

    func record(_ value: Double) {
        set(value)
    }

    /// Raises the value by `amount` (from 0 when never set); NaN is ignored.
    func increment(by amount: Double) {
        guard !amount.isNaN else { return }
        (cells.base + Self.valueWord).pointee.add(amount)
        markSet()
        offerExemplar(.double(amount))
    }

    func decrement(by amount: Double) {
        increment(by: -amount)
    }

    @inline(__always)
    private func set(_ value: Double, exemplarValue: MetricValue) {
        guard !value.isNaN else { return }
        (cells.base + Self.valueWord).pointee.store(value.bitPattern, ordering: .relaxed)
        markSet()
        offerExemplar(exemplarValue)
    }

    @inline(__always)
    private func markSet() {
        // A load first: the line then stays shared between cores that only set the value.
        // Releasing: a collector that sees the mark sees the value stored before it.
        if (cells.base + Self.isSetWord).pointee.load(ordering: .relaxed) == 0 {
            (cells.base + Self.isSetWord).pointee.store(1, ordering: .releasing)
        }
    }

    @inline(__always)
    private func offerExemplar(_ value: MetricValue) {
        guard exemplarFilter != .alwaysOff else { return }
        ExemplarSlot.offer(seen: cells.base + Self.seenWord, slot: cells.shared, value: value, filter: exemplarFilter)
    }

    func collect(_ collection: SeriesCollection) -> CollectedPoint? {
        guard (cells.base + Self.isSetWord).pointee.load(ordering: .acquiring) != 0 else { return nil }
        let value = (cells.base + Self.valueWord).pointee.loadDouble()
        var exemplar: Exemplar?
        if exemplarFilter != .alwaysOff {
            ExemplarSlot.resetSeen(cells.base + Self.seenWord)
            exemplar = ExemplarSlot.collect(cells.shared, clearing: true)
        }
        return .number(
            NumberDataPoint(
                attributes: collection.attributes,
                startTimeUnixNano: collection.startTimeUnixNano,
                timeUnixNano: collection.timeUnixNano,
                value: .double(value),
                exemplars: exemplar.map { [$0] } ?? []
            )
        )
    }
}
