import Tracing

extension SpanRecorder {
    /// The finished span as a ``SpanData``, with the span limits applied.
    func spanData() -> SpanData {
        storage.withLock { state in
            let limits = spanLimits
            // Into the recorder's own array, which keeps its capacity from span to span: once
            // the record is released, the next span's freeze reuses it instead of allocating.
            state.frozenEvents.removeAll(keepingCapacity: true)
            for event in state.events {
                var eventAttributes: [Attribute] = []
                let droppedHere = append(
                    event.attributes,
                    to: &eventAttributes,
                    limit: limits.attributePerEventCountLimit,
                    limits: limits
                )
                state.frozenEvents.append(
                    SpanData.Event(
                        name: event.name,
                        timeUnixNano: event.nanosecondsSinceEpoch,
                        attributes: eventAttributes,
                        droppedAttributeCount: droppedHere
                    )
                )
            }
            let events = state.frozenEvents
            let links = state.links.map { link in
                var linkAttributes: [Attribute] = []
                let droppedHere = append(
                    link.attributes,
                    to: &linkAttributes,
                    limit: limits.attributePerLinkCountLimit,
                    limits: limits
                )
                return SpanData.Link(
                    context: link.context,
                    attributes: linkAttributes,
                    droppedAttributeCount: droppedHere
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

    /// Appends `source` as a span's own attributes are read (converted, truncated, empty keys
    /// left out; see ``SpanAttributeStorage``), up to `limit` in all; returns how many did not fit.
    private func append(
        _ source: SpanAttributes,
        to attributes: inout [Attribute],
        limit: Int,
        limits: SpanLimits
    ) -> Int {
        var dropped = 0
        let storage = SpanAttributeStorage.recorded(
            typed: [],
            dictionary: source,
            valueLengthLimit: limits.attributeValueLengthLimit
        )
        storage.forEach { key, value in
            if attributes.count < limit {
                attributes.append(Attribute(key, value))
            } else {
                dropped += 1
            }
        }
        return dropped
    }
}
