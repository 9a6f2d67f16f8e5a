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
/// atomic operations on lines the recording core usually owns already.
///
/// Owned by one series, which calls ``deallocate()`` in its `deinit`.
struct StripedCells: @unchecked Sendable {
    /// Stripes per series: the processors online rounded up to a power of two, at most 16.
    /// More stripes than cores would only spread a series over more memory.
    static let defaultStripeCount: Int = {
        let processors = max(1, min(16, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var count = 1
        while count < processors { count <<= 1 }
        return count
    }()

    /// Words a stripe is rounded up to: 128 bytes, the pair of lines x86 processors fetch
    /// together, so that neighbouring stripes never share one.
    static let stripeAlignmentWords = 16

    let base: UnsafeMutablePointer<Atomic<UInt64>>
    let stripeCount: Int
    /// Words from one stripe to the next.
    let stride: Int
    private let mask: UInt32

    /// Allocates `stripeCount` stripes of at least `words` words each.
    /// - Parameters:
    ///   - stripeCount: a power of two; default ``defaultStripeCount``. One for a value that
    ///     has a single place, such as a gauge's last value.
    ///   - initialValue: the value of each word of a stripe by its index.
    init(
        wordsPerStripe words: Int,
        stripeCount: Int = Self.defaultStripeCount,
        initialValue: (Int) -> UInt64 = { _ in 0 }
    ) {
        precondition(stripeCount > 0 && stripeCount & (stripeCount - 1) == 0, "stripes come in powers of two")
        let alignment = Self.stripeAlignmentWords
        self.stripeCount = stripeCount
        stride = (words + alignment - 1) / alignment * alignment
        mask = UInt32(stripeCount - 1)
        let total = stride * stripeCount
        base = UnsafeMutableRawPointer.allocate(
            byteCount: total * MemoryLayout<UInt64>.stride,
            alignment: alignment * MemoryLayout<UInt64>.stride
        ).bindMemory(to: Atomic<UInt64>.self, capacity: total)
        for stripe in 0..<stripeCount {
            for word in 0..<stride {
                (base + stripe * stride + word).initialize(to: Atomic(initialValue(word)))
            }
        }
    }

    /// The calling thread's stripe.
    @inline(__always)
    var currentStripe: UnsafeMutablePointer<Atomic<UInt64>> {
        base + Int(otel_metrics_stripe() & mask) &* stride
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
        base.deinitialize(count: stride * stripeCount)
        UnsafeMutableRawPointer(base).deallocate()
    }
}
