import Tracing

/// A finished span, frozen: what span processors and exporters receive.
///
/// Every field OTLP carries is here, including what span limits dropped.
public struct SpanData: Sendable, Equatable {
    /// The span's own ids, flags and trace state.
    public let context: SpanContext
    /// The parent's span id; nil for a root span.
    public let parentSpanID: SpanID?
    /// Whether the parent context came from another process. False for a root span.
    public let parentIsRemote: Bool
    /// The operation name.
    public let name: String
    /// The span's relationship to its parent and children.
    public let kind: SpanKind
    /// When the span started, in nanoseconds since the Unix epoch.
    public let startTimeUnixNano: UInt64
    /// When the span ended, in nanoseconds since the Unix epoch.
    public let endTimeUnixNano: UInt64
    /// The attributes that fit within the span limits, in the order they were set.
    public let attributes: [Attribute]
    /// The events that fit within the span limits, in the order they were added.
    public let events: [Event]
    /// The links that fit within the span limits, in the order they were added.
    public let links: [Link]
    /// The status; nil means unset.
    public let status: SpanStatus?
    /// Attributes discarded by the span limits.
    public let droppedAttributeCount: Int
    /// Events discarded by the span limits.
    public let droppedEventCount: Int
    /// Links discarded by the span limits.
    public let droppedLinkCount: Int
    /// The entity that produced the span.
    public let resource: Resource
    /// The library that produced the span.
    public let instrumentationScope: InstrumentationScope

    /// Creates a finished-span record.
    /// - Parameters:
    ///   - context: the span's ids, flags and trace state.
    ///   - parentSpanID: the parent's span id; nil (the default) for a root span.
    ///   - parentIsRemote: whether the parent came from another process; defaults to false.
    ///   - name: the operation name.
    ///   - kind: the span kind; defaults to internal.
    ///   - startTimeUnixNano: start, nanoseconds since the Unix epoch.
    ///   - endTimeUnixNano: end, nanoseconds since the Unix epoch.
    ///   - attributes: attributes; defaults to none.
    ///   - events: events; defaults to none.
    ///   - links: links; defaults to none.
    ///   - status: the status; nil (the default) means unset.
    ///   - droppedAttributeCount: attributes discarded; defaults to 0.
    ///   - droppedEventCount: events discarded; defaults to 0.
    ///   - droppedLinkCount: links discarded; defaults to 0.
    ///   - resource: the producing entity.
    ///   - instrumentationScope: the producing library.
    public init(
        context: SpanContext,
        parentSpanID: SpanID? = nil,
        parentIsRemote: Bool = false,
        name: String,
        kind: SpanKind = .internal,
        startTimeUnixNano: UInt64,
        endTimeUnixNano: UInt64,
        attributes: [Attribute] = [],
        events: [Event] = [],
        links: [Link] = [],
        status: SpanStatus? = nil,
        droppedAttributeCount: Int = 0,
        droppedEventCount: Int = 0,
        droppedLinkCount: Int = 0,
        resource: Resource,
        instrumentationScope: InstrumentationScope
    ) {
        self.context = context
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.events = events
        self.links = links
        self.status = status
        self.droppedAttributeCount = droppedAttributeCount
        self.droppedEventCount = droppedEventCount
        self.droppedLinkCount = droppedLinkCount
        self.resource = resource
        self.instrumentationScope = instrumentationScope
    }
}
