import Logging
import Tracing

/// The storage of a recording span: what it has been given so far, behind a lock.
///
/// The app thread only stores: attributes set through `SpanAttributes` stay in that
/// dictionary, events and links stay as swift-distributed-tracing gave them. Turning them into
/// a ``SpanData`` (conversion, truncation, per-event and per-link limits) happens in
/// ``spanData()``, which the batch processor calls on its worker thread.
struct SpanRecorder: @unchecked Sendable {
    /// What never changes after the start, read without the lock.
    private struct Fixed {
        let spanContext: SpanContext
        let parentSpanID: SpanID?
        let parentIsRemote: Bool
        let kind: SpanKind
        let startTimeUnixNano: UInt64
        let parentContext: InstrumentationContext
        let scope: InstrumentationScope
        let core: TracerProviderCore
    }

    private let storage: LockedStorage<Fixed, State>

    private struct PendingLink {
        let context: SpanContext
        let attributes: SpanAttributes
    }

    private struct State {
        var name: String
        /// Set through ``setAttribute(_:_:)``, in order; no key is also in `attributes`.
        var typedAttributes: [Attribute] = []
        /// Set through `SpanAttributes` (updateAttributes, the attributes setter).
        var attributes = SpanAttributes()
        /// Changes whenever `attributes` or `typedAttributes` change, so that an update can
        /// tell whether another thread changed them while its closure ran.
        var generation = 0
        var events: [SpanEvent] = []
        var links: [PendingLink] = []
        var status: SpanStatus?
        var droppedAttributeCount = 0
        var droppedEventCount = 0
        var droppedLinkCount = 0
        var endTimeUnixNano: UInt64?
        var reportedLimit = false
        /// The finished record, made on first use after the end.
        var spanData: SpanData?

        var attributeCount: Int { typedAttributes.count + attributes.count }
    }

    init(
        name: String,
        spanContext: SpanContext,
        parent: SpanContext?,
        kind: SpanKind,
        startTimeUnixNano: UInt64,
        parentContext: InstrumentationContext,
        scope: InstrumentationScope,
        core: TracerProviderCore
    ) {
        let fixed = Fixed(
            spanContext: spanContext,
            parentSpanID: parent?.spanID,
            parentIsRemote: parent?.isRemote ?? false,
            kind: kind,
            startTimeUnixNano: startTimeUnixNano,
            parentContext: parentContext,
            scope: scope,
            core: core
        )
        storage = LockedStorage(fixed: fixed, state: State(name: name))
    }

    // The fixed fields are read without the lock: they never change.
    var spanContext: SpanContext { storage.withFixed { $0.pointee.spanContext } }
    private var core: TracerProviderCore { storage.withFixed { $0.pointee.core } }
    private var startTimeUnixNano: UInt64 {
        storage.withFixed { $0.pointee.startTimeUnixNano }
    }

    /// The parent's context with this span in it. Made anew on each call rather than kept:
    /// kept, it would hold this recorder and this recorder it, and neither would be freed.
    var context: InstrumentationContext {
        var context = storage.withFixed { $0.pointee.parentContext }
        context[ContextSpanKey.self] = ContextSpan(spanContext, recorder: self)
        return context
    }

    var name: String {
        get { storage.withLock { $0.name } }
        nonmutating set { storage.withLock { if $0.endTimeUnixNano == nil { $0.name = newValue } } }
    }

    var isRecording: Bool { storage.withLock { $0.endTimeUnixNano == nil } }

    // MARK: Attributes

    /// All attributes, as swift-distributed-tracing's type.
    var attributes: SpanAttributes {
        storage.withLock { state in
            var attributes = state.attributes
            for attribute in state.typedAttributes {
                attributes.set(attribute.key, value: attribute.value.spanAttribute)
            }
            return attributes
        }
    }

    func setAttribute(_ key: String, _ value: AttributeValue) {
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            state.generation &+= 1
            // Comparing lengths first skips most string comparisons: keys of one span rarely share one.
            let length = key.utf8.count
            if let index = state.typedAttributes.firstIndex(where: { $0.key.utf8.count == length && $0.key == key }) {
                state.typedAttributes[index] = Attribute(key, value)
            } else if !state.attributes.isEmpty, state.attributes.get(key) != nil {
                state.attributes.set(key, value: value.spanAttribute)
            } else if state.attributeCount < core.spanLimits.attributeCountLimit {
                if state.typedAttributes.isEmpty {
                    // Room for a typical span's attributes, so the array does not grow several times.
                    state.typedAttributes.reserveCapacity(8)
                }
                state.typedAttributes.append(Attribute(key, value))
            } else {
                state.droppedAttributeCount += 1
                reportLimit("attribute count", in: &state)
            }
        }
    }

    /// Replaces every attribute with `attributes`.
    func replaceAttributes(with attributes: SpanAttributes) {
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            state.generation &+= 1
            state.typedAttributes.removeAll()
            state.attributes = limited(attributes, keeping: SpanAttributes(), in: &state)
        }
    }

    /// `attributes` within the attribute count limit: keys of `existing` first, then new ones.
    private func limited(_ attributes: SpanAttributes, keeping existing: SpanAttributes, in state: inout State) -> SpanAttributes {
        let limit = core.spanLimits.attributeCountLimit
        guard attributes.count > limit else { return attributes }
        var kept = SpanAttributes()
        kept.reserveCapacity(limit)
        existing.forEach { key, _ in
            if kept.count < limit, let value = attributes.get(key) { kept.set(key, value: value) }
        }
        attributes.forEach { key, value in
            if kept.count < limit, existing.get(key) == nil { kept.set(key, value: value) }
        }
        state.droppedAttributeCount += attributes.count - kept.count
        reportLimit("attribute count", in: &state)
        return kept
    }

    /// Runs `update` on the current attributes (outside the lock, so that it may use the
    /// span), then stores the result. If another thread changed the attributes meanwhile,
    /// only what `update` changed is applied, so that both threads' changes survive.
    func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        let (before, generation) = storage.withLock { state in
            if !state.typedAttributes.isEmpty {
                for attribute in state.typedAttributes {
                    state.attributes.set(attribute.key, value: attribute.value.spanAttribute)
                }
                state.typedAttributes.removeAll()
                state.generation &+= 1
            }
            return (state.attributes, state.generation)
        }
        var after = before
        if after.isEmpty {
            // Room for a typical span's attributes, so the dictionary does not grow several times.
            after.reserveCapacity(8)
        }
        update(&after)
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            if state.generation == generation {
                state.attributes = limited(after, keeping: before, in: &state)
            } else {
                before.forEach { key, _ in
                    if after.get(key) == nil { state.attributes.set(key, value: nil) }
                }
                after.forEach { key, value in
                    if before.get(key) != value { state.attributes.set(key, value: value) }
                }
            }
            state.generation &+= 1
        }
    }

    // MARK: Events, links, status

    func addEvent(_ event: SpanEvent) {
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            guard state.events.count < core.spanLimits.eventCountLimit else {
                state.droppedEventCount += 1
                reportLimit("event count", in: &state)
                return
            }
            state.events.append(event)
        }
    }

    func addLink(_ context: SpanContext, attributes: SpanAttributes) {
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            guard state.links.count < core.spanLimits.linkCountLimit else {
                state.droppedLinkCount += 1
                reportLimit("link count", in: &state)
                return
            }
            state.links.append(PendingLink(context: context, attributes: attributes))
        }
    }

    func setStatus(_ status: SpanStatus) {
        storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return }
            // "When span status is set to Ok it SHOULD be considered final and any further
            // attempts to change it SHOULD be ignored."
            if state.status?.code == .ok { return }
            state.status = status.code == .ok ? SpanStatus(code: .ok) : status
        }
    }

    private func reportLimit(_ limit: String, in state: inout State) {
        guard !state.reportedLimit else { return }
        state.reportedLimit = true
        core.logger.debug(
            "Span limit reached; what is over the limit is dropped and counted",
            metadata: ["span": "\(state.name)", "limit": "\(limit)", "span_id": "\(spanContext.spanID)"]
        )
    }

    // MARK: Ending

    /// Marks the span ended and hands it to the processors; only the first call does anything.
    func end(atUnixNano endTime: UInt64) {
        let isFirstEnd = storage.withLock { state in
            guard state.endTimeUnixNano == nil else { return false }
            state.endTimeUnixNano = max(endTime, startTimeUnixNano)
            return true
        }
        guard isFirstEnd else { return }
        let span = FinishedSpan(recorder: self)
        for processor in core.processors {
            processor.onEnd(span)
        }
    }

    /// The finished span as a ``SpanData``, with the span limits applied; made once.
    func spanData() -> SpanData {
        storage.withLock { state in
            if let data = state.spanData { return data }
            let limits = core.spanLimits
            var dropped = state.droppedAttributeCount
            var attributes = state.typedAttributes.map { Attribute($0.key, limits.truncated($0.value)) }
            attributes.reserveCapacity(state.attributeCount)
            dropped += append(state.attributes, to: &attributes, limit: limits.attributeCountLimit, limits: limits)
            if dropped > state.droppedAttributeCount {
                reportLimit("attribute count", in: &state)
            }
            let events = state.events.map { event in
                var eventAttributes: [Attribute] = []
                let droppedHere = append(
                    event.attributes, to: &eventAttributes, limit: limits.attributePerEventCountLimit, limits: limits
                )
                return SpanData.Event(
                    name: event.name, timeUnixNano: event.nanosecondsSinceEpoch,
                    attributes: eventAttributes, droppedAttributeCount: droppedHere
                )
            }
            let links = state.links.map { link in
                var linkAttributes: [Attribute] = []
                let droppedHere = append(
                    link.attributes, to: &linkAttributes, limit: limits.attributePerLinkCountLimit, limits: limits
                )
                return SpanData.Link(context: link.context, attributes: linkAttributes, droppedAttributeCount: droppedHere)
            }
            let fixed = storage.withFixed { $0.pointee }
            let data = SpanData(
                context: fixed.spanContext,
                parentSpanID: fixed.parentSpanID,
                parentIsRemote: fixed.parentIsRemote,
                name: state.name,
                kind: fixed.kind,
                startTimeUnixNano: fixed.startTimeUnixNano,
                endTimeUnixNano: state.endTimeUnixNano ?? fixed.startTimeUnixNano,
                attributes: attributes,
                events: events,
                links: links,
                status: state.status,
                droppedAttributeCount: dropped,
                droppedEventCount: state.droppedEventCount,
                droppedLinkCount: state.droppedLinkCount,
                resource: fixed.core.resource,
                instrumentationScope: fixed.scope
            )
            state.spanData = data
            return data
        }
    }

    /// Appends `source` converted and truncated, up to `limit` in all; returns how many did not fit.
    private func append(
        _ source: SpanAttributes,
        to attributes: inout [Attribute],
        limit: Int,
        limits: SpanLimits
    ) -> Int {
        var dropped = 0
        source.forEach { key, attribute in
            guard let value = AttributeValue(attribute) else { return }
            if attributes.count < limit {
                attributes.append(Attribute(key, limits.truncated(value)))
            } else {
                dropped += 1
            }
        }
        return dropped
    }
}
