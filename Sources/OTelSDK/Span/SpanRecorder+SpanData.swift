import Tracing

extension SpanRecorder {
    /// The finished span as a ``SpanData``, with the span limits applied.
    func spanData() -> SpanData {
        storage.withLock { state in
            let limits = spanLimits
            // Into the recorder's own array, which keeps its capacity from span to span: once
            // the record is released, the next span's freeze reuses it instead of allocating.
            state.frozenEvents.emptyKeepingStorage()
            for event in state.events {
                state.frozenEvents.append(frozen(event, limits: limits))
            }
            let events = state.frozenEvents
            let links = state.links.map { frozen($0, limits: limits) }
            // Field by field: a copy of the whole start would count its references.
            let resource = withCore { $0.resource }
            return storage.withFixed { fixed in
                let start = UnsafePointer(fixed).pointer(to: \.start)!
                return SpanData(
                    context: start.pointee.spanContext,
                    parentSpanID: start.pointee.parentSpanID,
                    parentIsRemote: start.pointee.parentIsRemote,
                    parentTraceFlags: start.pointee.parentTraceFlags,
                    parentTraceStateIfReplaced: start.pointee.parentTraceStateIfReplaced,
                    name: state.name,
                    kind: start.pointee.kind,
                    startTimeUnixNano: start.pointee.startTimeUnixNano,
                    endTimeUnixNano: state.endTimeUnixNano ?? start.pointee.startTimeUnixNano,
                    attributeStorage: .recorded(
                        typed: state.typedAttributes,
                        dictionary: state.attributes,
                        valueLengthLimit: limits.attributeValueLengthLimit
                    ),
                    events: events,
                    links: links,
                    status: state.status,
                    droppedAttributeCount: state.droppedAttributeCount,
                    droppedEventCount: state.droppedEventCount,
                    droppedLinkCount: state.droppedLinkCount,
                    resource: resource,
                    instrumentationScope: start.pointee.scope
                )
            }
        }
    }

    // MARK: Read while the span runs

    var kind: SpanKind { storage.withFixed { $0.pointee.start.kind } }
    var instrumentationScope: InstrumentationScope { storage.withFixed { $0.pointee.start.scope } }
    var resource: Resource { withCore { $0.resource } }
    var status: SpanStatus? { storage.withLock { $0.status } }

    var parentSpanContext: SpanContext? {
        storage.withFixed { fixed in
            let start = fixed.pointee.start
            return start.parentSpanID.map { spanID in
                SpanContext(
                    traceID: start.spanContext.traceID,
                    spanID: spanID,
                    traceFlags: start.parentTraceFlags,
                    traceState: start.parentTraceStateIfReplaced ?? start.spanContext.traceState,
                    isRemote: start.parentIsRemote
                )
            }
        }
    }

    /// The events so far, as they will be exported.
    var events: [SpanData.Event] {
        storage.withLock { state in state.events.map { frozen($0, limits: spanLimits) } }
    }

    /// The links so far, as they will be exported.
    var links: [SpanData.Link] {
        storage.withLock { state in state.links.map { frozen($0, limits: spanLimits) } }
    }

    // MARK: Freezing

    private func frozen(_ event: SpanEvent, limits: SpanLimits) -> SpanData.Event {
        let (attributes, dropped) = frozenAttributes(event.attributes, limit: limits.attributePerEventCountLimit)
        return SpanData.Event(
            name: event.name,
            timeUnixNano: event.nanosecondsSinceEpoch,
            attributes: attributes,
            droppedAttributeCount: dropped
        )
    }

    private func frozen(_ link: PendingLink, limits: SpanLimits) -> SpanData.Link {
        let (attributes, dropped) = frozenAttributes(link.attributes, limit: limits.attributePerLinkCountLimit)
        return SpanData.Link(context: link.context, attributes: attributes, droppedAttributeCount: dropped)
    }

    /// An event's or link's attributes, read as a span's own are (converted, truncated, empty
    /// keys left out; see ``SpanAttributeStorage``), at most `limit` of them, and how many did
    /// not fit.
    private func frozenAttributes(_ source: SpanAttributes, limit: Int) -> (attributes: [Attribute], dropped: Int) {
        // Most events have none.
        guard !source.isEmpty else { return ([], 0) }
        var attributes: [Attribute] = []
        var dropped = 0
        let storage = SpanAttributeStorage.recorded(
            typed: [],
            dictionary: source,
            valueLengthLimit: spanLimits.attributeValueLengthLimit
        )
        storage.forEach { key, value in
            if attributes.count < limit {
                attributes.append(Attribute(key, value))
            } else {
                dropped += 1
            }
        }
        return (attributes, dropped)
    }
}
