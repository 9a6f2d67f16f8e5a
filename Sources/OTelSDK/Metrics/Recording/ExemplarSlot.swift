import COTelSDKShims
import Synchronization
import Tracing

/// One exemplar's storage and its reservoir sampling: eight atomic words (a cache line), and a
/// word in a series' stripe that counts the measurements the stripe saw.
///
/// Each measurement counts as seen, and the n-th of a stripe's sampling period is chosen with
/// probability 1/n, so that each is equally likely to be the one kept (the specification's
/// uniformly-weighted reservoir of one). The filter is applied to the chosen measurement only:
/// reading the task's span costs about a hundred nanoseconds, ten times a counter increment,
/// and so is paid for the few measurements a reservoir keeps, not for every one. When the chosen
/// one is not eligible (`trace_based`, outside a sampled span), the next ones are tried, at most
/// ``maximumTries``, so that exemplars still appear when few spans are sampled.
///
/// The exemplar's words are written under a try-lock: a recording thread that finds the slot
/// busy skips its offer instead of waiting, and the collector, which must read a whole
/// exemplar, waits for the holder's few stores.
enum ExemplarSlot {
    static let wordCount = 8
    /// Measurements tried after an ineligible chosen one, before sampling resumes.
    static let maximumTries: UInt64 = 64

    private static let lockWord = 0
    private static let valueWord = 1
    private static let timeWord = 2
    private static let traceHighWord = 3
    private static let traceLowWord = 4
    private static let spanWord = 5
    private static let kindWord = 6

    private static let seenMask: UInt64 = (1 << 48) - 1
    private static let triesShift: UInt64 = 48

    private static let empty: UInt64 = 0
    private static let integer: UInt64 = 1
    private static let double: UInt64 = 2

    /// Offers a measurement: counts it in `seen` (the stripe's word: the measurements seen this
    /// period in the low 48 bits, the tries left in the high 16), and keeps it in `slot` if it
    /// is chosen and `filter` admits it. The counting is a relaxed load and store: two threads
    /// sharing a stripe may lose a count, which only nudges a probability.
    @inline(__always)
    static func offer(
        seen seenWord: UnsafeMutablePointer<Atomic<UInt64>>,
        slot: UnsafeMutablePointer<Atomic<UInt64>>,
        value: MetricValue,
        filter: ExemplarFilter
    ) {
        let word = seenWord.pointee.load(ordering: .relaxed)
        let seen = (word & seenMask) &+ 1
        let tries = word >> triesShift
        // The n-th is chosen when a uniform 64-bit number times n has a zero high word:
        // probability 1/n, without a division.
        if tries == 0, seen > 1, otel_metrics_random().multipliedFullWidth(by: seen).high != 0 {
            seenWord.pointee.store(seen, ordering: .relaxed)
            return
        }
        keepIfAdmitted(
            seen: seenWord,
            slot: slot,
            value: value,
            filter: filter,
            count: seen,
            triesLeft: tries == 0 ? maximumTries : tries
        )
    }

    @inline(never)
    private static func keepIfAdmitted(
        seen seenWord: UnsafeMutablePointer<Atomic<UInt64>>,
        slot: UnsafeMutablePointer<Atomic<UInt64>>,
        value: MetricValue,
        filter: ExemplarFilter,
        count: UInt64,
        triesLeft: UInt64
    ) {
        guard let span = filter.admittedMeasurementSpan() else {
            seenWord.pointee.store(count | (triesLeft - 1) << triesShift, ordering: .relaxed)
            return
        }
        seenWord.pointee.store(count, ordering: .relaxed)
        guard (slot + lockWord).pointee.tryLock() else { return }
        store(value, span: span, in: slot)
        (slot + lockWord).pointee.unlock()
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

    /// Starts a stripe's next sampling period; returns the measurements it saw in this one.
    @discardableResult
    static func resetSeen(_ seenWord: UnsafeMutablePointer<Atomic<UInt64>>) -> UInt64 {
        seenWord.pointee.exchange(0, ordering: .relaxed) & seenMask
    }

    /// The slot's exemplar, if it has one; `clearing` also empties the slot (a delta
    /// collection: an exemplar belongs to the interval it was made in).
    static func collect(_ slot: UnsafeMutablePointer<Atomic<UInt64>>, clearing: Bool) -> Exemplar? {
        (slot + lockWord).pointee.lock()
        defer { (slot + lockWord).pointee.unlock() }
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
