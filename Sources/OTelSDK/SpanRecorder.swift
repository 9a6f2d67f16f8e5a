import Logging
import Tracing

/// The storage of a recording span: what it has been given so far, behind a lock, and the
/// span limits applied as it is given.
final class SpanRecorder: Sendable {
    let spanContext: SpanContext
    let parentSpanID: SpanID?
    let parentIsRemote: Bool
    let kind: SpanKind
    let startTimeUnixNano: UInt64
    let parentContext: InstrumentationContext
    let scope: InstrumentationScope
    private let core: TracerProviderCore
    private let state: LockedValue<State>

    private struct State {
        var name: String
        var attributes: [Attribute] = []
        var events: [SpanData.Event] = []
        var links: [SpanData.Link] = []
        var status: SpanStatus?
        var droppedAttributeCount = 0
        var droppedEventCount = 0
        var droppedLinkCount = 0
        var hasEnded = false
        var reportedLimit = false
        /// The context with this span in it, made on first use.
        var context: InstrumentationContext?
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
        self.spanContext = spanContext
        self.parentSpanID = parent?.spanID
        self.parentIsRemote = parent?.isRemote ?? false
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.parentContext = parentContext
        self.scope = scope
        self.core = core
        var state = State(name: name)
        // Enough room for a typical span's attributes without growing.
        state.attributes.reserveCapacity(8)
        self.state = LockedValue(state)
    }

    var context: InstrumentationContext {
        state.withLock { state in
            if let context = state.context { return context }
            var context = parentContext
            context[SpanContextKey.self] = nil
            context[ActiveSpanKey.self] = self
            state.context = context
            return context
        }
    }

    var name: String {
        get { state.withLock { $0.name } }
        set { state.withLock { if !$0.hasEnded { $0.name = newValue } } }
    }

    var isRecording: Bool { state.withLock { !$0.hasEnded } }

    // MARK: Attributes

    var attributes: [Attribute] { state.withLock { $0.attributes } }

    func setAttribute(_ key: String, _ value: AttributeValue) {
        let limits = core.spanLimits
        state.withLock { state in
            guard !state.hasEnded else { return }
            set(key, limits.truncated(value), in: &state, limits: limits)
        }
    }

    /// Makes the attributes what `attributes` says: updates and appends in place, removes
    /// what it no longer has, so that the order stays the order of first setting.
    func replaceAttributes(with attributes: SpanAttributes) {
        let limits = core.spanLimits
        state.withLock { state in
            guard !state.hasEnded else { return }
            state.attributes.removeAll { attributes.get($0.key) == nil }
            attributes.forEach { key, attribute in
                guard let value = AttributeValue(attribute) else { return }
                set(key, limits.truncated(value), in: &state, limits: limits)
            }
        }
    }

    /// Applies what an update changed between `before` and `after`: only those keys are set
    /// or removed, so that updates from several threads to different keys all survive.
    func applyChanges(from before: SpanAttributes, to after: SpanAttributes) {
        let limits = core.spanLimits
        state.withLock { state in
            guard !state.hasEnded else { return }
            if before.count > 0 {
                state.attributes.removeAll { before.get($0.key) != nil && after.get($0.key) == nil }
            }
            after.forEach { key, attribute in
                guard before.get(key) != attribute, let value = AttributeValue(attribute) else { return }
                set(key, limits.truncated(value), in: &state, limits: limits)
            }
        }
    }

    private func set(_ key: String, _ value: AttributeValue, in state: inout State, limits: SpanLimits) {
        if let index = state.attributes.firstIndex(where: { $0.key == key }) {
            state.attributes[index] = Attribute(key, value)
        } else if state.attributes.count < limits.attributeCountLimit {
            state.attributes.append(Attribute(key, value))
        } else {
            state.droppedAttributeCount += 1
            reportLimit("attribute count", in: &state)
        }
    }

    // MARK: Events, links, status

    func addEvent(_ event: SpanEvent) {
        let limits = core.spanLimits
        state.withLock { state in
            guard !state.hasEnded else { return }
            guard state.events.count < limits.eventCountLimit else {
                state.droppedEventCount += 1
                reportLimit("event count", in: &state)
                return
            }
            let (attributes, dropped) = limited(
                event.attributes, count: limits.attributePerEventCountLimit, limits: limits, state: &state
            )
            state.events.append(SpanData.Event(
                name: event.name,
                timeUnixNano: event.nanosecondsSinceEpoch,
                attributes: attributes,
                droppedAttributeCount: dropped
            ))
        }
    }

    func addLink(_ context: SpanContext, attributes spanAttributes: SpanAttributes) {
        let limits = core.spanLimits
        state.withLock { state in
            guard !state.hasEnded else { return }
            guard state.links.count < limits.linkCountLimit else {
                state.droppedLinkCount += 1
                reportLimit("link count", in: &state)
                return
            }
            let (attributes, dropped) = limited(
                spanAttributes, count: limits.attributePerLinkCountLimit, limits: limits, state: &state
            )
            state.links.append(SpanData.Link(context: context, attributes: attributes, droppedAttributeCount: dropped))
        }
    }

    func setStatus(_ status: SpanStatus) {
        state.withLock { state in
            guard !state.hasEnded else { return }
            // "When span status is set to Ok it SHOULD be considered final and any further
            // attempts to change it SHOULD be ignored."
            if state.status?.code == .ok { return }
            state.status = status.code == .ok ? SpanStatus(code: .ok) : status
        }
    }

    private func limited(
        _ attributes: SpanAttributes,
        count limit: Int,
        limits: SpanLimits,
        state: inout State
    ) -> ([Attribute], Int) {
        var kept: [Attribute] = []
        var dropped = 0
        attributes.forEach { key, attribute in
            guard let value = AttributeValue(attribute) else { return }
            if kept.count < limit {
                kept.append(Attribute(key, limits.truncated(value)))
            } else {
                dropped += 1
            }
        }
        if dropped > 0 {
            reportLimit("attributes per event or link", in: &state)
        }
        return (kept, dropped)
    }

    private func reportLimit(_ limit: String, in state: inout State) {
        guard !state.reportedLimit else { return }
        state.reportedLimit = true
        core.logger.debug(
            "Span limit reached; further data over the limit is dropped and counted",
            metadata: ["span": "\(state.name)", "limit": "\(limit)", "span_id": "\(spanContext.spanID)"]
        )
    }

    // MARK: Ending

    /// Freezes the span and hands it to the processors; only the first call does anything.
    func end(atUnixNano endTime: UInt64) {
        let data: SpanData? = state.withLock { state in
            guard !state.hasEnded else { return nil }
            state.hasEnded = true
            return SpanData(
                context: spanContext,
                parentSpanID: parentSpanID,
                parentIsRemote: parentIsRemote,
                name: state.name,
                kind: kind,
                startTimeUnixNano: startTimeUnixNano,
                endTimeUnixNano: max(endTime, startTimeUnixNano),
                attributes: state.attributes,
                events: state.events,
                links: state.links,
                status: state.status,
                droppedAttributeCount: state.droppedAttributeCount,
                droppedEventCount: state.droppedEventCount,
                droppedLinkCount: state.droppedLinkCount,
                resource: core.resource,
                instrumentationScope: scope
            )
        }
        guard let data else { return }
        for processor in core.processors {
            processor.onEnd(data)
        }
    }
}
