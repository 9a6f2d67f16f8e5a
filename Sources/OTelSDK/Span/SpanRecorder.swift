import COTelSDKShims
import Logging
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A span's recorder: what the span has been given so far, behind a lock. It is the span's
/// only storage; `OTelSpan`, the context and the processors refer to it.
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
    ///
    /// Six fill a dictionary of 8 buckets; room for 8 would take 16 (the dictionary keeps a
    /// quarter of its buckets free), twice the memory for every queued span (W2's peak resident
    /// memory in Benchmarks/README.md shows it). A span with more grows its recorder's room
    /// once, and the recorder keeps that room from span to span.
    static let typicalAttributeCount = 6

    /// Empty attributes, without building a dictionary: `SpanAttributes()` is its dictionary
    /// literal initializer, which builds one from no elements through the standard library's
    /// unspecialized code.
    static var noAttributes: SpanAttributes { SpanAttributes([:]) }

    /// Empty attributes with room for ``typicalAttributeCount``, made at that size rather than
    /// made empty and then resized with `SpanAttributes.reserveCapacity`: both run the standard
    /// library's unspecialized dictionary code, but the resize is a second pass over it (the
    /// `W1 span in withSpan on OTelTracer` benchmark, for each span whose recorder is new).
    static func attributesWithRoom() -> SpanAttributes {
        SpanAttributes([String: SpanAttribute](minimumCapacity: typicalAttributeCount))
    }

    /// What never changes while a span records, read without the lock.
    ///
    /// A reference count that the app thread and the batch worker both change costs a cache
    /// line transfer each time, so the provider's parts are not counted per span. The recorder
    /// holds its provider's core from its allocation on, also while it waits in the pool
    /// (which the provider empties when it goes, see ``TracerProviderCore/closeRecorderPool()``),
    /// and reads it unmanaged; `scope` is unowned, alive because the core keeps every scope
    /// it gave a tracer.
    struct Fixed {
        /// What this span started with; replaced whole when a pooled recorder is reused.
        var start: Start
        let core: Unmanaged<TracerProviderCore>
        /// Keeps `core` alive; never read.
        let coreLifetime: TracerProviderCore
    }

    struct Start {
        let spanContext: SpanContext
        let parentSpanID: SpanID?
        let parentIsRemote: Bool
        let parentTraceFlags: TraceFlags
        /// The parent's trace state when the sampler gave the span another; nil when the span
        /// has the parent's, so that the common case counts no reference.
        let parentTraceStateIfReplaced: TraceState?
        let kind: SpanKind
        let startTimeUnixNano: UInt64
        unowned(unsafe) let scope: InstrumentationScope
    }

    var storage: LockedStorage<Fixed, State>

    struct PendingLink {
        let context: SpanContext
        let attributes: SpanAttributes
    }

    /// - Parameter parentTraceStateIfReplaced: the parent's trace state when the span's is
    ///   another (the sampler replaced it); nil when the span has the parent's.
    init(
        name: String,
        spanContext: SpanContext,
        parent: SpanContext?,
        parentTraceStateIfReplaced: TraceState?,
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
                parentTraceFlags: parent?.traceFlags ?? [],
                parentTraceStateIfReplaced: parentTraceStateIfReplaced,
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
        // The pool gets a copy: this one keeps the recorder, and through it the core, alive
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
    /// recorder keeps it alive.
    @inline(__always)
    func withCore<Result>(_ body: (TracerProviderCore) throws -> Result) rethrows -> Result {
        try storage.withFixed { try $0.pointee.core._withUnsafeGuaranteedRef(body) }
    }

    var spanLimits: SpanLimits { withCore { $0.spanLimits } }
    var startTimeUnixNano: UInt64 {
        storage.withFixed { $0.pointee.start.startTimeUnixNano }
    }

    var name: String {
        get { storage.withLock { $0.name } }
        nonmutating set { storage.withLock { if !$0.hasEnded { $0.name = newValue } } }
    }

    var isRecording: Bool { storage.withLock { !$0.hasEnded } }

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

    func reportLimit(_ limit: String, in state: inout State) {
        guard !state.reportedLimit else { return }
        state.reportedLimit = true
        withCore { $0.logger }.debug(
            "Span limit reached; what is over the limit is dropped and counted",
            metadata: ["span": "\(state.name)", "limit": "\(limit)", "span_id": "\(spanContext.spanID)"]
        )
    }

    // MARK: Ending

    /// Marks the span ended and hands it to the processors, on this thread before returning:
    /// "OnEnd ... MUST be called synchronously within the Span.End() API" (OpenTelemetry trace
    /// SDK). Only the first call does anything.
    ///
    /// While `updateAttributes` closures run on other threads, the end waits for them to store
    /// their results, refusing new changes meanwhile. A thread that is itself inside an update
    /// closure cannot wait (the update it runs would never finish): there the span ends, and
    /// reaches the processors, when the last update stores its result.
    func end(atUnixNano endTime: UInt64) {
        enum Ending { case now, afterUpdatesHere, whenUpdatesStore, never }
        let ending: Ending = storage.withLock { state in
            guard !state.hasEnded else { return .never }
            let end = max(endTime, startTimeUnixNano)
            guard state.updatesInProgress == 0 else {
                state.pendingEndUnixNano = end
                if otel_attribute_updates_running_on_this_thread() > 0 { return .whenUpdatesStore }
                state.endWaitsForUpdates = true
                return .afterUpdatesHere
            }
            state.endTimeUnixNano = end
            return .now
        }
        switch ending {
        case .now:
            handToProcessors()
        case .afterUpdatesHere:
            waitForUpdatesThenEnd()
        case .whenUpdatesStore, .never:
            break
        }
    }

    /// Waits until no update is running, then ends the span with the end time it was given.
    @inline(never)
    private func waitForUpdatesThenEnd() {
        var attempts = 0
        while true {
            let ended = storage.withLock { state in
                guard state.updatesInProgress == 0 else { return false }
                state.endTimeUnixNano = state.pendingEndUnixNano
                state.pendingEndUnixNano = nil
                state.endWaitsForUpdates = false
                return true
            }
            if ended { break }
            // Update closures are short; one that is not (it blocks) is waited for without
            // taking a core.
            attempts += 1
            if attempts < 100 {
                sched_yield()
            } else {
                PosixThread.sleep(for: .microseconds(100))
            }
        }
        handToProcessors()
    }

    func handToProcessors() {
        withCore { $0.endProcessors?.onEnd(self) }
    }
}
