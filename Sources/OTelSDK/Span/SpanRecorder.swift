import COTelSDKShims
import Logging
import Tracing

/// The storage of a recording span: what it has been given so far, behind a lock.
///
/// The app thread only stores: attributes set through `SpanAttributes` stay in that
/// dictionary, events and links stay as swift-distributed-tracing gave them. Turning them into
/// a ``SpanData`` (conversion, truncation, per-event and per-link limits) happens in
/// ``spanData()``, which the batch processor calls on its worker thread.
///
/// Once exported, a span that nothing else refers to goes back to its provider's pool
/// (``recycle()``) with its arrays and dictionary emptied but their capacity kept, and the
/// next span starts from it: in a steady stream, starting and ending spans allocates nothing,
/// and no thread frees what another allocated (which glibc's malloc makes costly).
struct SpanRecorder: @unchecked Sendable {
    /// How many attributes a typical span has: its attribute storage starts with room for this
    /// many, so that it does not grow several times while the span is filled.
    static let typicalAttributeCount = 8

    /// Empty attributes, without building a dictionary: `SpanAttributes()` is its dictionary
    /// literal initializer, which builds one from no elements through the standard library's
    /// unspecialized code.
    static var noAttributes: SpanAttributes { SpanAttributes([:]) }

    /// Empty attributes with room for ``typicalAttributeCount``, made at that size rather than
    /// made empty and then resized with `SpanAttributes.reserveCapacity`: both run the standard
    /// library's unspecialized dictionary code, but the resize is a second pass over it (about
    /// 40 ns more for each span whose storage is new, measured inside `withSpan`).
    static func attributesWithRoom() -> SpanAttributes {
        SpanAttributes([String: SpanAttribute](minimumCapacity: typicalAttributeCount))
    }

    /// What never changes while a span records, read without the lock.
    ///
    /// A reference count that the app thread and the batch worker both change costs a cache
    /// line transfer each time, so the provider's parts are not counted per span. The storage
    /// holds its provider's core from its allocation on, also while it waits in the pool
    /// (which the provider empties when it goes, see ``TracerProviderCore/closeRecorderPool()``),
    /// and reads it unmanaged; `scope` is unowned, alive because the core keeps every scope
    /// it gave a tracer.
    private struct Fixed {
        /// What this span started with; replaced whole when pooled storage is reused.
        var start: Start
        let core: Unmanaged<TracerProviderCore>
        /// Keeps `core` alive; never read.
        let coreLifetime: TracerProviderCore
    }

    private struct Start {
        let spanContext: SpanContext
        let parentSpanID: SpanID?
        let parentIsRemote: Bool
        let kind: SpanKind
        let startTimeUnixNano: UInt64
        unowned(unsafe) let scope: InstrumentationScope
    }

    private var storage: LockedStorage<Fixed, State>

    private struct PendingLink {
        let context: SpanContext
        let attributes: SpanAttributes
    }

    private struct State {
        var name: String
        /// Set through ``setAttribute(_:_:)``, in order; no key is also in `attributes`.
        var typedAttributes: [Attribute] = []
        /// Set through `SpanAttributes` (updateAttributes, the attributes setter).
        var attributes = SpanRecorder.noAttributes
        /// Whether `attributes` was made with room for a typical span's (see ``reset(name:)``),
        /// so that an update that takes it out empty need not make room.
        var attributesHaveRoom = false
        /// Changes whenever `attributes` or `typedAttributes` change, so that an update can
        /// tell whether another thread changed them while its closure ran.
        var generation = 0
        var events: [SpanEvent] = []
        /// `events` as the last ``spanData()`` made them.
        var frozenEvents: [SpanData.Event] = []
        var links: [PendingLink] = []
        var status: SpanStatus?
        var droppedAttributeCount = 0
        var droppedEventCount = 0
        var droppedLinkCount = 0
        var endTimeUnixNano: UInt64?
        /// `updateAttributes` calls whose closure is running, with the attributes taken out.
        var updatesInProgress = 0
        /// An end that came while an update was running; the last update to finish ends the span.
        var pendingEndUnixNano: UInt64?
        var reportedLimit = false

        var attributeCount: Int { typedAttributes.count + attributes.count }

        /// Ended, or asked to end: no more changes are taken.
        var hasEnded: Bool { endTimeUnixNano != nil || pendingEndUnixNano != nil }

        /// Moves `attributes` out, leaving them empty; with whether they were made with room.
        mutating func takeAttributes() -> (attributes: SpanAttributes, hadRoom: Bool) {
            var taken = SpanRecorder.noAttributes
            swap(&taken, &attributes)
            defer { attributesHaveRoom = false }
            return (taken, attributesHaveRoom)
        }

        /// Asks the processor to fetch, for writing, the arrays that a span fills. Arrays without
        /// storage of their own are left alone: they all share one empty array, which every
        /// thread reads.
        func prefetchForWrite() {
            typedAttributes.withUnsafeBufferPointer { prefetchForWrite($0.baseAddress, capacity: typedAttributes.capacity) }
            events.withUnsafeBufferPointer { prefetchForWrite($0.baseAddress, capacity: events.capacity) }
        }

        private func prefetchForWrite<Element>(_ elements: UnsafePointer<Element>?, capacity: Int) {
            guard capacity > 0 else { return }
            otel_prefetch_for_write(elements, capacity * MemoryLayout<Element>.stride)
        }

        /// Empty again, for the next span, keeping what was allocated.
        mutating func reset(name: String) {
            self.name = name
            typedAttributes.removeAll(keepingCapacity: true)
            if !attributes.isEmpty {
                // Emptied in place, keeping the room the span's attributes took; where that
                // cannot be done, a new dictionary with room for a typical span's (removing
                // each key would hash every key again). Either way on the thread that
                // recycles: the app thread that reuses this recorder neither allocates nor frees.
                let room = attributes.removeAllKeepingCapacity() ?? 0
                if room < SpanRecorder.typicalAttributeCount {
                    attributes = SpanRecorder.attributesWithRoom()
                }
                attributesHaveRoom = true
            }
            generation = 0
            events.removeAll(keepingCapacity: true)
            frozenEvents.removeAll(keepingCapacity: true)
            links.removeAll(keepingCapacity: true)
            status = nil
            droppedAttributeCount = 0
            droppedEventCount = 0
            droppedLinkCount = 0
            endTimeUnixNano = nil
            updatesInProgress = 0
            pendingEndUnixNano = nil
            reportedLimit = false
        }
    }

    init(
        name: String,
        spanContext: SpanContext,
        parent: SpanContext?,
        kind: SpanKind,
        startTimeUnixNano: UInt64,
        scope: InstrumentationScope,
        core: TracerProviderCore
    ) {
        // Built where it is stored: a value made first and then stored would be retained twice over.
        func start() -> Start {
            Start(
                spanContext: spanContext,
                parentSpanID: parent?.spanID,
                parentIsRemote: parent?.isRemote ?? false,
                kind: kind,
                startTimeUnixNano: startTimeUnixNano,
                scope: scope
            )
        }
        // Moved out of the optional: an `if let` binding would be a copy, a reference counted.
        var pooled = core.recorderPool.popShared()
        if pooled != nil {
            // The pool handed it over: nothing else refers to it. Only the start is replaced,
            // so that its `core` (this provider's: each provider has its own pool) is not
            // counted again.
            // The batch worker emptied it last, so its memory is in the other core's cache:
            // asking for all of it at once costs about one transfer's wait instead of one per
            // line as the span fills it.
            pooled!.storage.prefetchForWrite()
            pooled!.storage.reuse { fixed, state in
                state.prefetchForWrite()
                fixed.start = start()
                state.name = name
            }
            self = pooled.take()!
        } else {
            storage = LockedStorage(
                fixed: Fixed(start: start(), core: Unmanaged.passUnretained(core), coreLifetime: core),
                state: State(name: name)
            )
        }
    }

    /// Empties this recorder and returns it to its provider's pool, when nothing else refers
    /// to it (no span, no context) and the provider is still there; otherwise it is simply
    /// released.
    consuming func recycle() {
        guard storage.isUniquelyReferenced() else { return }
        guard withCore({ $0.recorderPoolIsOpen }) else { return }
        storage.reuse { _, state in state.reset(name: "") }
        // The pool gets a copy: this one keeps the storage, and through it the core, alive
        // until the push has been checked against a provider closing the pool meanwhile.
        let recycled = copy self
        withCore { $0.returnToPool(recycled) }
    }

    /// Asks the processor to fetch this storage for writing (see ``LockedStorage/prefetchForWrite()``).
    func prefetchForWrite() {
        storage.prefetchForWrite()
    }

    // The fixed fields are read without the lock: they do not change while the span records.
    var spanContext: SpanContext { storage.withFixed { $0.pointee.start.spanContext } }
    /// Whether the span is sampled, read without copying the span context.
    var isSampled: Bool { storage.withFixed { $0.pointee.start.spanContext.isSampled } }

    /// Runs `body` with this span's provider core, without counting a reference to it: the
    /// storage keeps it alive.
    @inline(__always)
    private func withCore<Result>(_ body: (TracerProviderCore) throws -> Result) rethrows -> Result {
        try storage.withFixed { try $0.pointee.core._withUnsafeGuaranteedRef(body) }
    }

    private var spanLimits: SpanLimits { withCore { $0.spanLimits } }
    private var startTimeUnixNano: UInt64 {
        storage.withFixed { $0.pointee.start.startTimeUnixNano }
    }

    var name: String {
        get { storage.withLock { $0.name } }
        nonmutating set { storage.withLock { if !$0.hasEnded { $0.name = newValue } } }
    }

    var isRecording: Bool { storage.withLock { !$0.hasEnded } }

    // MARK: Attributes

    /// All attributes, as swift-distributed-tracing's type.
    var attributes: SpanAttributes {
        let attributes: SpanAttributes? = storage.withLock { state in
            if state.attributes.isEmpty, state.typedAttributes.isEmpty {
                // Handed over rather than shared: the caller (typically the protocol's default
                // `updateAttributes`, which sets the result back) then fills the room a
                // recycled recorder already has, instead of copying it on its first change.
                // A fresh recorder's has no room yet: room is made outside the lock.
                let taken = state.takeAttributes()
                return taken.hadRoom ? taken.attributes : nil
            }
            var attributes = state.attributes
            for attribute in state.typedAttributes {
                attributes.set(attribute.key, value: attribute.value.spanAttribute)
            }
            return attributes
        }
        return attributes ?? Self.attributesWithRoom()
    }

    func setAttribute(_ key: String, _ value: AttributeValue) {
        // Comparing lengths first skips most string comparisons: keys of one span rarely share one.
        let length = key.utf8.count
        // "The attribute key MUST be a non-null and non-empty string."
        guard length > 0 else { return }
        storage.withLock { state in
            guard !state.hasEnded else { return }
            state.generation &+= 1
            if let index = state.typedAttributes.firstIndex(where: { $0.key.utf8.count == length && $0.key == key }) {
                state.typedAttributes[index] = Attribute(key, value)
            } else if !state.attributes.isEmpty, state.attributes.get(key) != nil {
                state.attributes.set(key, value: value.spanAttribute)
            } else if state.attributeCount < spanLimits.attributeCountLimit {
                if state.typedAttributes.isEmpty {
                    state.typedAttributes.reserveCapacity(Self.typicalAttributeCount)
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
            guard !state.hasEnded else { return }
            state.generation &+= 1
            state.typedAttributes.removeAll()
            state.attributes = limited(attributes, keepingFirst: [], in: &state)
            state.attributesHaveRoom = false
        }
    }

    /// `attributes` within the attribute count limit: the keys in `keepingFirst` first, then
    /// the others; what does not fit is counted dropped.
    private func limited(_ attributes: SpanAttributes, keepingFirst existing: [String], in state: inout State) -> SpanAttributes {
        let limit = spanLimits.attributeCountLimit
        guard attributes.count > limit else { return attributes }
        var kept = Self.noAttributes
        kept.reserveCapacity(limit)
        for key in existing where kept.count < limit {
            if let value = attributes.get(key) { kept.set(key, value: value) }
        }
        attributes.forEach { key, value in
            if kept.count < limit, kept.get(key) == nil { kept.set(key, value: value) }
        }
        state.droppedAttributeCount += attributes.count - kept.count
        reportLimit("attribute count", in: &state)
        return kept
    }

    /// Runs `update` on the current attributes (outside the lock, so that it may use the
    /// span), then stores the result.
    ///
    /// When no other update is running, the dictionary is moved out for the update rather
    /// than copied, so that it is changed in place (no copy, and a recycled span's capacity is
    /// used); other threads meanwhile see the attributes empty, and what they set is kept,
    /// this update winning where it changed the same key. When another update is running,
    /// this one works on a copy and applies only what it changed. Either way every thread's
    /// sets survive (a removal racing another thread's update may not). An `end()` that comes
    /// meanwhile takes effect once the update has stored its result.
    func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        // Filled by the first critical section; the only reference to its storage when moved
        // out, so that the update changes it in place.
        var attributes = Self.noAttributes
        let taken: (generation: Int, movedOut: Bool, hadRoom: Bool)? = storage.withLock { state in
            guard !state.hasEnded else { return nil }
            if !state.typedAttributes.isEmpty {
                for attribute in state.typedAttributes {
                    state.attributes.set(attribute.key, value: attribute.value.spanAttribute)
                }
                state.typedAttributes.removeAll(keepingCapacity: true)
            }
            let movedOut = state.updatesInProgress == 0
            var hadRoom = false
            if movedOut {
                (attributes, hadRoom) = state.takeAttributes()
            } else {
                attributes = state.attributes
            }
            state.generation &+= 1
            state.updatesInProgress += 1
            return (state.generation, movedOut, hadRoom)
        }
        guard let taken else { return }
        // What the attributes were, to tell what this update changed. Kept only when there
        // were some: sharing an empty dictionary's storage would make the update copy it.
        let wasEmpty = attributes.isEmpty
        let before = wasEmpty ? Self.noAttributes : attributes
        if wasEmpty, !taken.hadRoom {
            attributes = Self.attributesWithRoom()
        }
        update(&attributes)
        let updated = attributes
        // A local function, not a closure value: a closure stored in a constant would box
        // what it captures, an allocation per update.
        func changedHere(_ key: String) -> Bool {
            before.get(key) != updated.get(key)
        }
        let endNow = storage.withLock { state -> Bool in
            var result: SpanAttributes
            var existingKeys: [String] = []
            if taken.movedOut {
                result = updated
                before.forEach { key, _ in existingKeys.append(key) }
                if state.generation != taken.generation {
                    // Others set attributes meanwhile (they saw them empty): keep theirs,
                    // except where this update changed the same key.
                    state.attributes.forEach { key, value in
                        if !changedHere(key) { result.set(key, value: value) }
                    }
                }
            } else {
                // A copy: apply what this update changed onto what the span has now.
                result = state.attributes
                result.forEach { key, _ in existingKeys.append(key) }
                before.forEach { key, _ in
                    if updated.get(key) == nil { result.set(key, value: nil) }
                }
                updated.forEach { key, value in
                    if changedHere(key) { result.set(key, value: value) }
                }
            }
            // Typed attributes set meanwhile join the dictionary unless this update changed the key.
            for typed in state.typedAttributes where !changedHere(typed.key) {
                result.set(typed.key, value: typed.value.spanAttribute)
            }
            state.typedAttributes.removeAll(keepingCapacity: true)
            state.attributes = limited(result, keepingFirst: existingKeys, in: &state)
            state.attributesHaveRoom = false
            state.generation &+= 1
            state.updatesInProgress -= 1
            guard state.updatesInProgress == 0, let pending = state.pendingEndUnixNano else { return false }
            state.pendingEndUnixNano = nil
            state.endTimeUnixNano = pending
            return true
        }
        if endNow {
            handToProcessors()
        }
    }

    // MARK: Events, links, status

    func addEvent(_ event: SpanEvent) {
        storage.withLock { state in
            guard !state.hasEnded else { return }
            guard state.events.count < spanLimits.eventCountLimit else {
                state.droppedEventCount += 1
                reportLimit("event count", in: &state)
                return
            }
            state.events.append(event)
        }
    }

    func addLink(_ context: SpanContext, attributes: SpanAttributes) {
        storage.withLock { state in
            guard !state.hasEnded else { return }
            guard state.links.count < spanLimits.linkCountLimit else {
                state.droppedLinkCount += 1
                reportLimit("link count", in: &state)
                return
            }
            state.links.append(PendingLink(context: context, attributes: attributes))
        }
    }

    func setStatus(_ status: SpanStatus) {
        storage.withLock { state in
            guard !state.hasEnded else { return }
            // "When span status is set to Ok it SHOULD be considered final and any further
            // attempts to change it SHOULD be ignored."
            if state.status?.code == .ok { return }
            state.status = status.code == .ok ? SpanStatus(code: .ok) : status
        }
    }

    private func reportLimit(_ limit: String, in state: inout State) {
        guard !state.reportedLimit else { return }
        state.reportedLimit = true
        withCore { $0.logger }.debug(
            "Span limit reached; what is over the limit is dropped and counted",
            metadata: ["span": "\(state.name)", "limit": "\(limit)", "span_id": "\(spanContext.spanID)"]
        )
    }

    // MARK: Ending

    /// Marks the span ended and hands it to the processors; only the first call does anything.
    /// While an `updateAttributes` closure runs, the end waits for it to store its result.
    func end(atUnixNano endTime: UInt64) {
        let endNow = storage.withLock { state in
            guard !state.hasEnded else { return false }
            let end = max(endTime, startTimeUnixNano)
            guard state.updatesInProgress == 0 else {
                state.pendingEndUnixNano = end
                return false
            }
            state.endTimeUnixNano = end
            return true
        }
        if endNow {
            handToProcessors()
        }
    }

    private func handToProcessors() {
        withCore { $0.endProcessors?.onEnd(self) }
    }

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
                    event.attributes, to: &eventAttributes, limit: limits.attributePerEventCountLimit, limits: limits
                )
                state.frozenEvents.append(SpanData.Event(
                    name: event.name, timeUnixNano: event.nanosecondsSinceEpoch,
                    attributes: eventAttributes, droppedAttributeCount: droppedHere
                ))
            }
            let events = state.frozenEvents
            let links = state.links.map { link in
                var linkAttributes: [Attribute] = []
                let droppedHere = append(
                    link.attributes, to: &linkAttributes, limit: limits.attributePerLinkCountLimit, limits: limits
                )
                return SpanData.Link(context: link.context, attributes: linkAttributes, droppedAttributeCount: droppedHere)
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
            typed: [], dictionary: source, valueLengthLimit: limits.attributeValueLengthLimit
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
