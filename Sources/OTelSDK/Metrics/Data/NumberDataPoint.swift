/// One series' value of a sum or a gauge at a collection.
public struct NumberDataPoint: Sendable, Equatable {
    /// The attributes that identify the series.
    public let attributes: [Attribute]
    /// The start of the interval the value covers (for a cumulative sum, the series' start).
    public let startTimeUnixNano: UInt64
    /// The end of the interval: when the value was collected.
    public let timeUnixNano: UInt64
    /// The sum or the last value.
    public let value: MetricValue
    /// Measurements kept with the point.
    public let exemplars: [Exemplar]

    /// Creates a point.
    /// - Parameters:
    ///   - attributes: the attributes that identify the series.
    ///   - startTimeUnixNano: the start of the interval.
    ///   - timeUnixNano: the end of the interval.
    ///   - value: the sum or the last value.
    ///   - exemplars: measurements kept with the point; default none.
    public init(
        attributes: [Attribute],
        startTimeUnixNano: UInt64,
        timeUnixNano: UInt64,
        value: MetricValue,
        exemplars: [Exemplar] = []
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.exemplars = exemplars
    }
}
