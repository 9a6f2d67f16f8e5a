import COTelSDKShims
import Synchronization
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One exemplar's storage: eight atomic words (a cache line) inside a series' stripe, guarded
/// by a try-lock. A recording thread that finds the slot busy skips its offer instead of
/// waiting, so an exemplar never delays a measurement; the collector, which must read a whole
/// exemplar, waits for the few stores of the holder.
enum ExemplarSlot {
    static let wordCount = 8

    private static let lockWord = 0
    private static let seenWord = 1
    private static let valueWord = 2
    private static let timeWord = 3
    private static let traceHighWord = 4
    private static let traceLowWord = 5
    private static let spanWord = 6
    private static let kindWord = 7

    private static let empty: UInt64 = 0
    private static let integer: UInt64 = 1
    private static let double: UInt64 = 2

    /// Keeps the measurement, replacing the slot's: the aligned histogram reservoir's "last
    /// seen measurement that falls within a histogram bucket", which the specification allows.
    @inline(__always)
    static func replace(_ slot: UnsafeMutablePointer<Atomic<UInt64>>, with value: MetricValue, span: ExemplarSpan) {
        guard slot.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged else { return }
        store(value, span: span, in: slot)
        slot.pointee.store(0, ordering: .releasing)
    }

    /// Offers the measurement to a reservoir of one: the n-th measurement since the last
    /// collection is kept with probability 1/n, so each is equally likely to be the one kept
    /// (the simple fixed-size reservoir's uniform sampling).
    @inline(__always)
    static func sample(_ slot: UnsafeMutablePointer<Atomic<UInt64>>, with value: MetricValue, span: ExemplarSpan) {
        guard slot.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged else { return }
        let seen = (slot + seenWord).pointee.load(ordering: .relaxed) &+ 1
        (slot + seenWord).pointee.store(seen, ordering: .relaxed)
        if seen == 1 || otel_metrics_random() % seen == 0 {
            store(value, span: span, in: slot)
        }
        slot.pointee.store(0, ordering: .releasing)
    }

    @inline(__always)
    private static func store(_ value: MetricValue, span: ExemplarSpan, in slot: UnsafeMutablePointer<Atomic<UInt64>>) {
        switch value {
        case .int(let integerValue):
            (slot + valueWord).pointee.store(UInt64(bitPattern: integerValue), ordering: .relaxed)
            (slot + kindWord).pointee.store(integer, ordering: .relaxed)
        case .double(let doubleValue):
            (slot + valueWord).pointee.store(doubleValue.bitPattern, ordering: .relaxed)
            (slot + kindWord).pointee.store(double, ordering: .relaxed)
        }
        (slot + timeWord).pointee.store(DefaultTracerClock.now.nanosecondsSinceEpoch, ordering: .relaxed)
        (slot + traceHighWord).pointee.store(span.traceHigh, ordering: .relaxed)
        (slot + traceLowWord).pointee.store(span.traceLow, ordering: .relaxed)
        (slot + spanWord).pointee.store(span.spanID, ordering: .relaxed)
    }

    /// The slot's exemplar, if it has one. Starts the next sampling period; `clearing` also
    /// empties the slot (a delta collection: an exemplar belongs to the interval it was made in).
    static func collect(_ slot: UnsafeMutablePointer<Atomic<UInt64>>, clearing: Bool) -> Exemplar? {
        var attempts = 0
        while !slot.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            attempts += 1
            if attempts > 100 { sched_yield() }
        }
        defer { slot.pointee.store(0, ordering: .releasing) }
        (slot + seenWord).pointee.store(0, ordering: .relaxed)
        let kind = (slot + kindWord).pointee.load(ordering: .relaxed)
        guard kind != empty else { return nil }
        if clearing { (slot + kindWord).pointee.store(empty, ordering: .relaxed) }
        let bits = (slot + valueWord).pointee.load(ordering: .relaxed)
        let traceID = TraceID(
            high: (slot + traceHighWord).pointee.load(ordering: .relaxed),
            low: (slot + traceLowWord).pointee.load(ordering: .relaxed)
        )
        let spanID = SpanID((slot + spanWord).pointee.load(ordering: .relaxed))
        return Exemplar(
            timeUnixNano: (slot + timeWord).pointee.load(ordering: .relaxed),
            value: kind == integer ? .int(Int64(bitPattern: bits)) : .double(Double(bitPattern: bits)),
            traceID: traceID.isValid ? traceID : nil,
            spanID: spanID.isValid ? spanID : nil
        )
    }
}
