/// One series of a base-2 exponential histogram at a collection. With `base = 2^(2^-scale)`,
/// bucket `i` of a range counts the measurements of magnitude in
/// `(base^(offset+i), base^(offset+i+1)]`; measurements within ``zeroThreshold`` of zero are
/// counted apart.
public struct ExponentialHistogramDataPoint: Sendable, Equatable {
    /// One sign's buckets: the index of the first, and the counts from there.
    public struct Buckets: Sendable, Equatable {
        /// The index of the first bucket.
        public let offset: Int32
        /// The counts of consecutive buckets from ``offset``.
        public let bucketCounts: [UInt64]

        /// Creates a range of buckets.
        /// - Parameters:
        ///   - offset: the index of the first bucket.
        ///   - bucketCounts: the counts from there.
        public init(offset: Int32, bucketCounts: [UInt64]) {
            self.offset = offset
            self.bucketCounts = bucketCounts
        }
    }

    /// The attributes that identify the series.
    public let attributes: [Attribute]
    /// The start of the interval the counts cover.
    public let startTimeUnixNano: UInt64
    /// The end of the interval: when the counts were collected.
    public let timeUnixNano: UInt64
    /// How many measurements, the zero bucket's included.
    public let count: UInt64
    /// Their sum; nil when it is not meaningful.
    public let sum: Double?
    /// The smallest measurement; nil without one.
    public let min: Double?
    /// The largest measurement; nil without one.
    public let max: Double?
    /// The resolution: the larger, the finer the buckets.
    public let scale: Int32
    /// The measurements within ``zeroThreshold`` of zero.
    public let zeroCount: UInt64
    /// The magnitude up to which a measurement counts as zero.
    public let zeroThreshold: Double
    /// The buckets of positive measurements.
    public let positive: Buckets
    /// The buckets of negative measurements, by magnitude.
    public let negative: Buckets
    /// Measurements kept with the point.
    public let exemplars: [Exemplar]

    /// Creates a point.
    /// - Parameters:
    ///   - attributes: the attributes that identify the series.
    ///   - startTimeUnixNano: the start of the interval.
    ///   - timeUnixNano: the end of the interval.
    ///   - count: how many measurements.
    ///   - sum: their sum.
    ///   - min: the smallest.
    ///   - max: the largest.
    ///   - scale: the resolution.
    ///   - zeroCount: the measurements counted as zero.
    ///   - zeroThreshold: the magnitude up to which a measurement counts as zero; default 0.
    ///   - positive: the positive buckets.
    ///   - negative: the negative buckets.
    ///   - exemplars: measurements kept with the point; default none.
    public init(
        attributes: [Attribute],
        startTimeUnixNano: UInt64,
        timeUnixNano: UInt64,
        count: UInt64,
        sum: Double?,
        min: Double?,
        max: Double?,
        scale: Int32,
        zeroCount: UInt64,
        zeroThreshold: Double = 0,
        positive: Buckets,
        negative: Buckets,
        exemplars: [Exemplar] = []
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.scale = scale
        self.zeroCount = zeroCount
        self.zeroThreshold = zeroThreshold
        self.positive = positive
        self.negative = negative
        self.exemplars = exemplars
    }
}
