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
                let (attributes, dropped) = frozenAttributes(
                    event.attributes,
                    limit: limits.attributePerEventCountLimit
                )
                state.frozenEvents.append(
                    SpanData.Event(
                        name: event.name,
                        timeUnixNano: event.nanosecondsSinceEpoch,
                        attributes: attributes,
                        droppedAttributeCount: dropped
                    )
                )
            }
            let events = state.frozenEvents
            let links = state.links.map { link in
                let (attributes, dropped) = frozenAttributes(link.attributes, limit: limits.attributePerLinkCountLimit)
                return SpanData.Link(
                    context: link.context,
                    attributes: attributes,
                    droppedAttributeCount: dropped
                )
            }
            // Field by field: a copy of the whole start would count its references.
            let resource = withCore { $0.resource }
            return storage.withFixed { fixed in
                let start = UnsafePointer(fixed).pointer(to: \.start)!
                return SpanData(
                    context: start.pointee.spanContext,
                    parentSpanID: start.pointee.parentSpanID,
                    parentIsRemote: start.pointee.parentIsRemote,
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
