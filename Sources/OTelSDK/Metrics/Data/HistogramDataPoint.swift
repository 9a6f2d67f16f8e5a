/// One series of an explicit-bucket histogram at a collection: bucket `i` counts the
/// measurements in `(explicitBounds[i-1], explicitBounds[i]]`, the last one those above the
/// last bound, so there is one more count than bounds.
public struct HistogramDataPoint: Sendable, Equatable {
    /// The attributes that identify the series.
    public let attributes: [Attribute]
    /// The start of the interval the counts cover.
    public let startTimeUnixNano: UInt64
    /// The end of the interval: when the counts were collected.
    public let timeUnixNano: UInt64
    /// How many measurements.
    public let count: UInt64
    /// Their sum; nil when it is not meaningful (a histogram of values that can be negative
    /// whose sum is not wanted).
    public let sum: Double?
    /// The smallest measurement; nil without one.
    public let min: Double?
    /// The largest measurement; nil without one.
    public let max: Double?
    /// The buckets' upper bounds, ascending.
    public let explicitBounds: [Double]
    /// The count of each bucket: one more than the bounds.
    public let bucketCounts: [UInt64]
    /// Measurements kept with the point, for the buckets they fell in.
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
    ///   - explicitBounds: the buckets' upper bounds, ascending.
    ///   - bucketCounts: the count of each bucket, one more than the bounds.
    ///   - exemplars: measurements kept with the point; default none.
    public init(
        attributes: [Attribute],
        startTimeUnixNano: UInt64,
        timeUnixNano: UInt64,
        count: UInt64,
        sum: Double?,
        min: Double?,
        max: Double?,
        explicitBounds: [Double],
        bucketCounts: [UInt64],
        exemplars: [Exemplar] = []
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.explicitBounds = explicitBounds
        self.bucketCounts = bucketCounts
        self.exemplars = exemplars
    }
}
