import COTelSDKShims
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The 64-bit atomic words a series records into, in stripes: each thread records into the
/// stripe its number picks, so that threads on different cores update different cache lines,
/// and a collection adds the stripes up. No word is ever locked; a recording is a few relaxed
/// atomic operations on lines the recording core usually owns already. After the stripes come
/// the series' shared words (its exemplar slots), written only now and then.
///
/// Owned by one series, which calls ``deallocate()`` in its `deinit`.
struct StripedCells: @unchecked Sendable {
    /// Stripes per series: the processors online rounded up to a power of two, at most 16.
    static let defaultStripeCount = Int(otel_metrics_stripe_count())

    /// The least words of a stripe: `OTEL_METRICS_STRIPE_BYTES`, the pair of lines x86
    /// processors fetch together, so that neighbouring stripes never share one.
    static let minimumStripeWords = Int(OTEL_METRICS_STRIPE_BYTES) / MemoryLayout<UInt64>.stride

    let base: UnsafeMutablePointer<Atomic<UInt64>>
    let stripeCount: Int
    /// Words from one stripe to the next: a multiple of the minimum.
    let stride: Int
    /// The words every stripe shares, after the last stripe.
    let shared: UnsafeMutablePointer<Atomic<UInt64>>
    /// How many times wider than the minimum a stripe is: the thread's offset times this.
    private let widening: Int
    private let totalWords: Int

    /// Allocates `stripeCount` stripes of at least `words` words each, and `sharedWords`.
    /// - Parameters:
    ///   - stripeCount: a power of two; default ``defaultStripeCount``. One for a value that
    ///     has a single place, such as a gauge's last value.
    ///   - sharedWords: words for the whole series; default none.
    ///   - initialValue: the value of each word of a stripe by its index.
    init(
        wordsPerStripe words: Int,
        stripeCount: Int = Self.defaultStripeCount,
        sharedWords: Int = 0,
        initialValue: (Int) -> UInt64 = { _ in 0 }
    ) {
        precondition(stripeCount > 0 && stripeCount & (stripeCount - 1) == 0, "stripes come in powers of two")
        self.stripeCount = stripeCount
        let minimum = Self.minimumStripeWords
        let stride = max(1, (words + minimum - 1) / minimum) * minimum
        self.stride = stride
        widening = stride / minimum
        totalWords = stride * stripeCount + sharedWords
        let alignmentBytes = Self.minimumStripeWords * MemoryLayout<UInt64>.stride
        base = UnsafeMutableRawPointer.allocate(
            byteCount: totalWords * MemoryLayout<UInt64>.stride,
            alignment: alignmentBytes
        ).bindMemory(to: Atomic<UInt64>.self, capacity: totalWords)
        for stripe in 0..<stripeCount {
            for word in 0..<stride {
                (base + stripe * stride + word).initialize(to: Atomic(initialValue(word)))
            }
        }
        shared = base + stride * stripeCount
        for word in 0..<sharedWords {
            (shared + word).initialize(to: Atomic(0))
        }
    }

    /// The calling thread's stripe, of a series with ``defaultStripeCount`` stripes.
    @inline(__always)
    var currentStripe: UnsafeMutablePointer<Atomic<UInt64>> {
        (UnsafeMutableRawPointer(base) + Int(otel_metrics_stripe_offset()) &* widening)
            .assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// The calling thread's stripe, of a series whose stripes take the minimum: one addition
    /// of the thread's offset, the shortest path to the word a counter adds to.
    @inline(__always)
    var currentMinimumStripe: UnsafeMutablePointer<Atomic<UInt64>> {
        (UnsafeMutableRawPointer(base) + Int(otel_metrics_stripe_offset())).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// Stripe `index`, for collection.
    func stripe(_ index: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        base + index * stride
    }

    /// The sum of word `word` over the stripes, each read once.
    func total(ofWord word: Int) -> UInt64 {
        var total: UInt64 = 0
        for index in 0..<stripeCount {
            total &+= (stripe(index) + word).pointee.load(ordering: .relaxed)
        }
        return total
    }

    /// The sum of word `word` over the stripes, each set to 0 as it is read (a delta collection).
    func takeTotal(ofWord word: Int) -> UInt64 {
        var total: UInt64 = 0
        for index in 0..<stripeCount {
            total &+= (stripe(index) + word).pointee.exchange(0, ordering: .relaxed)
        }
        return total
    }

    func deallocate() {
        base.deinitialize(count: totalWords)
        UnsafeMutableRawPointer(base).deallocate()
    }
}
