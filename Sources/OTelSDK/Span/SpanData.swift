import Tracing

/// A finished span, frozen: what span processors and exporters receive.
///
/// Every field OTLP carries is here, including what span limits dropped.
public struct SpanData: Sendable {
    /// The span's own ids, flags and trace state.
    public let context: SpanContext
    /// The parent's span id; nil for a root span.
    public let parentSpanID: SpanID?
    /// Whether the parent context came from another process. False for a root span.
    public let parentIsRemote: Bool
    /// The parent's trace flags.
    let parentTraceFlags: TraceFlags
    /// The parent's trace state where it is not the span's own (a sampler replaced it); nil
    /// when they are the same, so that a span holds its trace state once.
    let parentTraceStateIfReplaced: TraceState?

    /// The parent's full span context: ids, flags, trace state and whether it is remote; nil for
    /// a root span. "Readable span: ... MUST expose at least the full parent SpanContext"
    /// (OpenTelemetry trace SDK). For a span decoded from OTLP, which carries only the
    /// parent's span id, the flags are empty and the trace state is the span's own.
    public var parentSpanContext: SpanContext? {
        parentSpanID.map { spanID in
            SpanContext(
                traceID: context.traceID,
                spanID: spanID,
                traceFlags: parentTraceFlags,
                traceState: parentTraceStateIfReplaced ?? context.traceState,
                isRemote: parentIsRemote
            )
        }
    }
    /// The operation name.
    public let name: String
    /// The span's relationship to its parent and children.
    public let kind: SpanKind
    /// When the span started, in nanoseconds since the Unix epoch.
    public let startTimeUnixNano: UInt64
    /// When the span ended, in nanoseconds since the Unix epoch.
    public let endTimeUnixNano: UInt64
    /// The attributes that fit within the span limits. Those set one by one come in the order
    /// they were set; those set through `SpanAttributes` follow in no particular order.
    ///
    /// Reading this makes an array; ``forEachAttribute(_:)`` visits them without one.
    public var attributes: [Attribute] {
        var attributes: [Attribute] = []
        attributes.reserveCapacity(attributeStorage.count)
        attributeStorage.forEach { attributes.append(Attribute($0, $1)) }
        return attributes
    }

    /// The value of the attribute named `key`, if the span has one; found without making
    /// ``attributes``.
    /// - Parameter key: the attribute's name.
    public func attribute(named key: String) -> AttributeValue? {
        var found: AttributeValue?
        attributeStorage.forEach { name, value in
            if found == nil, name == key { found = value }
        }
        return found
    }

    /// How many attributes ``attributes`` has, without making the array.
    @inlinable
    public var attributeCount: Int { attributeStorage.count }

    /// Visits every attribute without making an array: the exporter's way to read them.
    /// - Parameter body: called with each key and value.
    @inlinable
    public func forEachAttribute(_ body: (_ key: String, _ value: AttributeValue) -> Void) {
        attributeStorage.forEach(body)
    }

    @usableFromInline
    let attributeStorage: SpanAttributeStorage
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
    ///   - parentSpanContext: the parent's span context; nil (the default) for a root span. Its
    ///     trace id is the span's.
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
        parentSpanContext: SpanContext? = nil,
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
        self.init(
            context: context,
            parentSpanID: parentSpanContext?.spanID,
            parentIsRemote: parentSpanContext?.isRemote ?? false,
            parentTraceFlags: parentSpanContext?.traceFlags ?? [],
            parentTraceStateIfReplaced: parentSpanContext.flatMap {
                $0.traceState == context.traceState ? nil : $0.traceState
            },
            name: name,
            kind: kind,
            startTimeUnixNano: startTimeUnixNano,
            endTimeUnixNano: endTimeUnixNano,
            attributeStorage: .list(attributes),
            events: events,
            links: links,
            status: status,
            droppedAttributeCount: droppedAttributeCount,
            droppedEventCount: droppedEventCount,
            droppedLinkCount: droppedLinkCount,
            resource: resource,
            instrumentationScope: instrumentationScope
        )
    }

    /// A record whose attributes are kept as the span recorded them.
    init(
        context: SpanContext,
        parentSpanID: SpanID?,
        parentIsRemote: Bool,
        parentTraceFlags: TraceFlags,
        parentTraceStateIfReplaced: TraceState?,
        name: String,
        kind: SpanKind = .internal,
        startTimeUnixNano: UInt64,
        endTimeUnixNano: UInt64,
        attributeStorage: SpanAttributeStorage,
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
        self.parentTraceFlags = parentTraceFlags
        self.parentTraceStateIfReplaced = parentTraceStateIfReplaced
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributeStorage = attributeStorage
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

extension SpanData: Equatable {
    /// Equal when every field is; attributes compare as a set of keys and values, since
    /// those set through `SpanAttributes` have no order.
    public static func == (lhs: SpanData, rhs: SpanData) -> Bool {
        guard lhs.context == rhs.context, lhs.parentSpanContext == rhs.parentSpanContext,
            lhs.name == rhs.name, lhs.kind == rhs.kind,
            lhs.startTimeUnixNano == rhs.startTimeUnixNano, lhs.endTimeUnixNano == rhs.endTimeUnixNano,
            lhs.events == rhs.events, lhs.links == rhs.links, lhs.status == rhs.status,
            lhs.droppedAttributeCount == rhs.droppedAttributeCount, lhs.droppedEventCount == rhs.droppedEventCount,
            lhs.droppedLinkCount == rhs.droppedLinkCount, lhs.resource == rhs.resource,
            lhs.instrumentationScope == rhs.instrumentationScope, lhs.attributeCount == rhs.attributeCount
        else { return false }
        let right = rhs.attributes
        return lhs.attributes.allSatisfy { attribute in right.contains(attribute) }
    }
}
