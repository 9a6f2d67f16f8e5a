/// One measurement kept with the point it went into, with the span it was made in, so that a
/// backend can link, say, a latency histogram's slow bucket to the trace of a slow request.
public struct Exemplar: Sendable, Equatable {
    /// The measurement's attributes that its series does not have.
    public let filteredAttributes: [Attribute]
    /// When it was measured, in nanoseconds since the Unix epoch.
    public let timeUnixNano: UInt64
    /// The measurement.
    public let value: MetricValue
    /// The trace id of the span it was measured in; nil outside a span.
    public let traceID: TraceID?
    /// The span id of the span it was measured in; nil outside a span.
    public let spanID: SpanID?

    /// Creates an exemplar.
    /// - Parameters:
    ///   - filteredAttributes: the measurement's attributes that its series does not have.
    ///   - timeUnixNano: when it was measured.
    ///   - value: the measurement.
    ///   - traceID: the trace id of the span it was measured in.
    ///   - spanID: the span id of the span it was measured in.
    public init(
        filteredAttributes: [Attribute] = [],
        timeUnixNano: UInt64,
        value: MetricValue,
        traceID: TraceID? = nil,
        spanID: SpanID? = nil
    ) {
        self.filteredAttributes = filteredAttributes
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.traceID = traceID
        self.spanID = spanID
    }
}
