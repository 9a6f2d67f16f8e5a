import COTelSDKShims
import CoreMetrics
import Synchronization
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A base-2 exponential histogram (`OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION=
/// base2_exponential_bucket_histogram`): bucket `i` at scale `s` counts the values in
/// (2^(i/2^s), 2^((i+1)/2^s)], and the scale drops whenever the values recorded would need more
/// than `maxSize` buckets.
///
/// Rescaling moves every count, which atomics cannot do, so each stripe is a small state under
/// its own try-lock: a recording thread that finds its stripe busy takes the next free one,
/// and a lock is held for one recording (a rescale at most a few hundred additions), never
/// across a collection's export.
final class ExponentialHistogramSeries: MetricSeries, DistributionSeries, @unchecked Sendable {
    /// The specification's lowest scale: 2^1024 per bucket covers every Double in two buckets.
    static let minimumScale = -10
    static let maximumStripeCount = 4

    private final class Stripe: @unchecked Sendable {
        let lock = Atomic<UInt64>(0)
        var scale: Int
        var count: UInt64 = 0
        var zeroCount: UInt64 = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var positive: ExponentialBuckets
        var negative: ExponentialBuckets
        /// The simple fixed-size reservoir: the first `exemplars.count` measurements of a
        /// period, then each with probability count/seen.
        var exemplars: [Exemplar?]
        var exemplarsSeen: UInt64 = 0
        var exemplarTriesLeft: UInt64 = 0
        var pendingExemplarSlot: UInt64 = 0
        /// Keeps the stripes of a series off each other's cache lines.
        private let padding = CacheLinePadding()

        init(maxSize: Int, maxScale: Int, reservoirSize: Int) {
            scale = maxScale
            positive = ExponentialBuckets(maxSize: maxSize)
            negative = ExponentialBuckets(maxSize: maxSize)
            exemplars = Array(repeating: nil, count: reservoirSize)
        }

        deinit {
            positive.deallocate()
            negative.deallocate()
        }
    }

    private let stripes: [Stripe]
    private let stripeMask: UInt32
    private let maxScale: Int
    private let maxSize: Int
    private let exemplarFilter: ExemplarFilter

    /// - Parameters:
    ///   - maxSize: the most buckets of each sign.
    ///   - maxScale: the starting (finest) scale, at most 20.
    ///   - exemplarFilter: which measurements are offered as exemplars.
    init(maxSize: Int, maxScale: Int, exemplarFilter: ExemplarFilter) {
        // Four buckets hold any two finite values at the lowest scale.
        let maxSize = max(4, maxSize)
        let maxScale = min(20, max(Self.minimumScale, maxScale))
        self.maxSize = maxSize
        self.maxScale = maxScale
        self.exemplarFilter = exemplarFilter
        let reservoirSize = exemplarFilter == .alwaysOff ? 0 : min(20, maxSize)
        // At most four: a stripe holds 2 x maxSize counts (2.5 KiB at the default), and a
        // thread that finds its stripe busy takes the next one anyway.
        let stripeCount = min(StripedCells.defaultStripeCount, Self.maximumStripeCount)
        stripes = (0..<stripeCount).map { _ in
            Stripe(maxSize: maxSize, maxScale: maxScale, reservoirSize: reservoirSize)
        }
        stripeMask = UInt32(stripeCount - 1)
    }

    func record(_ value: Double, exemplarValue: MetricValue) {
        let stripe = lockStripe()
        defer { stripe.lock.unlock() }
        stripe.count &+= 1
        stripe.sum += value
        stripe.minimum = min(stripe.minimum, value)
        stripe.maximum = max(stripe.maximum, value)
        if value == 0 {
            stripe.zeroCount &+= 1
        } else {
            var index = Self.index(of: value.magnitude, scale: stripe.scale)
            let change =
                value > 0
                ? stripe.positive.downscaleNeeded(toHold: index) : stripe.negative.downscaleNeeded(toHold: index)
            if change > 0 {
                stripe.positive.downscale(by: change)
                stripe.negative.downscale(by: change)
                stripe.scale -= change
                index >>= change
            }
            if value > 0 {
                stripe.positive.add(1, at: index)
            } else {
                stripe.negative.add(1, at: index)
            }
        }
        if exemplarFilter != .alwaysOff {
            offerExemplar(exemplarValue, to: stripe)
        }
    }

    /// The calling thread's stripe, or the next free one, locked.
    @inline(__always)
    private func lockStripe() -> Stripe {
        var number = otel_metrics_stripe_offset() / UInt32(OTEL_METRICS_STRIPE_BYTES)
        var attempts = 0
        while true {
            let stripe = stripes[Int(number & stripeMask)]
            if stripe.lock.tryLock() { return stripe }
            number &+= 1
            attempts += 1
            if attempts > 100 * stripes.count { sched_yield() }
        }
    }

    /// The simple fixed-size reservoir, sampled as ``ExemplarSlot`` samples: the span is read
    /// only for a chosen measurement, and the next ones are tried when it is not eligible.
    private func offerExemplar(_ value: MetricValue, to stripe: Stripe) {
        stripe.exemplarsSeen &+= 1
        let size = UInt64(stripe.exemplars.count)
        let slot: UInt64
        if stripe.exemplarTriesLeft > 0 {
            slot = stripe.pendingExemplarSlot
        } else if stripe.exemplarsSeen <= size {
            slot = stripe.exemplarsSeen - 1
        } else {
            slot = otel_metrics_random().multipliedFullWidth(by: stripe.exemplarsSeen).high
            guard slot < size else { return }
        }
        guard let span = exemplarFilter.admittedMeasurementSpan() else {
            stripe.exemplarTriesLeft =
                (stripe.exemplarTriesLeft == 0 ? ExemplarSlot.maximumTries : stripe.exemplarTriesLeft) - 1
            stripe.pendingExemplarSlot = slot
            return
        }
        stripe.exemplarTriesLeft = 0
        let traceID = TraceID(high: span.traceHigh, low: span.traceLow)
        stripe.exemplars[Int(slot)] = Exemplar(
            timeUnixNano: DefaultTracerClock.now.nanosecondsSinceEpoch,
            value: value,
            traceID: traceID.isValid ? traceID : nil,
            spanID: span.spanID == 0 ? nil : SpanID(span.spanID)
        )
    }

    /// The bucket index of a positive, finite `value` at `scale`, by the specification's
    /// mapping: exact powers of two are the upper boundary of their bucket. At a positive scale
    /// a subnormal value counts as the least normal one ("rounded away from zero", which the
    /// specification allows): `exp2` cannot place boundaries finer than 2^-1074.
    static func index(of value: Double, scale: Int) -> Int {
        let value = scale > 0 ? max(value, .leastNormalMagnitude) : value
        // value = significand * 2^exponent with significand in [1, 2): exact for subnormals too.
        let exponent = Int(value.exponent)
        let isPowerOfTwo = value.significand == 1
        if scale <= 0 {
            return (isPowerOfTwo ? exponent - 1 : exponent) >> -scale
        }
        if isPowerOfTwo {
            return (exponent << scale) - 1
        }
        let scaleFactor = Double(sign: .plus, exponent: scale, significand: 1) / M_LN2
        let index = Int((log(value) * scaleFactor).rounded(.up)) - 1
        // log's rounding can land one bucket off near a boundary; the boundaries decide.
        let lower = Self.lowerBoundary(of: index, scale: scale)
        if value <= lower { return index - 1 }
        if value > Self.lowerBoundary(of: index + 1, scale: scale) { return index + 1 }
        return index
    }

    /// The lower boundary of bucket `index` at a positive `scale`: 2^(index / 2^scale).
    private static func lowerBoundary(of index: Int, scale: Int) -> Double {
        exp2(Double(index) / Double(1 << scale))
    }

    func collect(_ collection: SeriesCollection) -> CollectedPoint? {
        let isDelta = collection.temporality == .delta
        var scale = maxScale
        var count: UInt64 = 0
        var zeroCount: UInt64 = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var parts:
            [(scale: Int, positive: (offset: Int, counts: [UInt64]), negative: (offset: Int, counts: [UInt64]))] =
                []
        var exemplars: [Exemplar] = []
        for stripe in stripes {
            stripe.lock.lock()
            count &+= stripe.count
            zeroCount &+= stripe.zeroCount
            sum += stripe.sum
            minimum = min(minimum, stripe.minimum)
            maximum = max(maximum, stripe.maximum)
            if stripe.count > 0 {
                scale = min(scale, stripe.scale)
                parts.append((stripe.scale, stripe.positive.snapshot(), stripe.negative.snapshot()))
            }
            exemplars.append(contentsOf: stripe.exemplars.compactMap { $0 })
            stripe.exemplarsSeen = 0
            stripe.exemplarTriesLeft = 0
            if isDelta {
                stripe.count = 0
                stripe.zeroCount = 0
                stripe.sum = 0
                stripe.minimum = .infinity
                stripe.maximum = -.infinity
                stripe.positive.clear()
                stripe.negative.clear()
                stripe.scale = maxScale
                for index in stripe.exemplars.indices { stripe.exemplars[index] = nil }
            }
            stripe.lock.unlock()
        }
        if isDelta, count == 0 { return nil }
        // Merged at the coarsest stripe's scale, then coarser still if the union is too wide.
        var positive = ExponentialBuckets(maxSize: maxSize)
        var negative = ExponentialBuckets(maxSize: maxSize)
        defer {
            positive.deallocate()
            negative.deallocate()
        }
        for part in parts {
            for (buckets, window) in [(0, part.positive), (1, part.negative)] {
                for (position, bucketCount) in window.counts.enumerated() where bucketCount != 0 {
                    var index = (window.offset + position) >> (part.scale - scale)
                    let change =
                        buckets == 0 ? positive.downscaleNeeded(toHold: index) : negative.downscaleNeeded(toHold: index)
                    if change > 0 {
                        positive.downscale(by: change)
                        negative.downscale(by: change)
                        scale -= change
                        index = (window.offset + position) >> (part.scale - scale)
                    }
                    if buckets == 0 {
                        positive.add(bucketCount, at: index)
                    } else {
                        negative.add(bucketCount, at: index)
                    }
                }
            }
        }
        exemplars.sort { $0.timeUnixNano > $1.timeUnixNano }
        let positiveWindow = positive.snapshot()
        let negativeWindow = negative.snapshot()
        return .exponentialHistogram(
            ExponentialHistogramDataPoint(
                attributes: collection.attributes,
                startTimeUnixNano: collection.startTimeUnixNano,
                timeUnixNano: collection.timeUnixNano,
                count: count,
                sum: count == 0 ? nil : sum,
                min: count == 0 ? nil : minimum,
                max: count == 0 ? nil : maximum,
                scale: Int32(scale),
                zeroCount: zeroCount,
                positive: .init(offset: Int32(positiveWindow.offset), bucketCounts: positiveWindow.counts),
                negative: .init(offset: Int32(negativeWindow.offset), bucketCounts: negativeWindow.counts),
                exemplars: Array(exemplars.prefix(min(20, maxSize)))
            )
        )
    }
}
