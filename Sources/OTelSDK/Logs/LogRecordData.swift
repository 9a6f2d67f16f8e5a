/// A log record, frozen: what log record processors hand to exporters.
///
/// Every field OTLP's `LogRecord` carries is here, including what the limits dropped.
public struct LogRecordData: Sendable, Equatable {
    /// When the event happened, in nanoseconds since the Unix epoch; 0 if unknown.
    public let timeUnixNano: UInt64
    /// When the SDK saw it, in nanoseconds since the Unix epoch.
    public let observedTimeUnixNano: UInt64
    /// How severe it is.
    public let severity: LogSeverity
    /// The message, or structured data; nil for none.
    public let body: LogValue?
    /// The attributes that fit within the limits, in the order they were given.
    public let attributes: [LogAttribute]
    /// Attributes discarded by the limits.
    public let droppedAttributeCount: Int
    /// The span the record was made in: its trace id, span id and flags; nil outside a span.
    public let spanContext: SpanContext?
    /// The name of the event the record reports, for event records; nil for ordinary logs.
    public let eventName: String?
    /// The entity that produced the record.
    public let resource: Resource
    /// The logger that produced the record (for swift-log, its label).
    public let instrumentationScope: InstrumentationScope

    /// Creates a log record.
    /// - Parameters:
    ///   - timeUnixNano: when the event happened; 0 if unknown.
    ///   - observedTimeUnixNano: when the SDK saw it; defaults to `timeUnixNano`.
    ///   - severity: how severe it is.
    ///   - body: the message or structured data; defaults to none.
    ///   - attributes: attributes; defaults to none.
    ///   - droppedAttributeCount: attributes discarded; defaults to 0.
    ///   - spanContext: the span it was made in; defaults to none.
    ///   - eventName: the event's name; defaults to none.
    ///   - resource: the producing entity.
    ///   - instrumentationScope: the producing logger.
    public init(
        timeUnixNano: UInt64,
        observedTimeUnixNano: UInt64? = nil,
        severity: LogSeverity,
        body: LogValue? = nil,
        attributes: [LogAttribute] = [],
        droppedAttributeCount: Int = 0,
        spanContext: SpanContext? = nil,
        eventName: String? = nil,
        resource: Resource,
        instrumentationScope: InstrumentationScope
    ) {
        self.timeUnixNano = timeUnixNano
        self.observedTimeUnixNano = observedTimeUnixNano ?? timeUnixNano
        self.severity = severity
        self.body = body
        self.attributes = attributes
        self.droppedAttributeCount = droppedAttributeCount
        self.spanContext = spanContext
        self.eventName = eventName
        self.resource = resource
        self.instrumentationScope = instrumentationScope
    }
}
