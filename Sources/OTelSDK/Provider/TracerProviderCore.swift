import Logging
import Synchronization

/// What every tracer and span of one provider shares: the configuration, and whether the
/// provider has been shut down.
final class TracerProviderCore: Sendable {
    // Fields are laid out in the order declared: the padding comes first and last.
    private let leadingPadding = CacheLinePadding()
    let resource: Resource
    let sampler: any Sampler
    let spanLimits: SpanLimits
    let idGenerator: any IDGenerator
    /// Every processor the provider was given: flushed and shut down with it, also when the
    /// SDK is disabled.
    let processors: [any SpanProcessor]
    /// `processors`, for calling them on every span that ends; none when the SDK is disabled.
    let endProcessors: SpanProcessorChain?
    /// The processors that want ``SpanProcessor/onStart(_:parentContext:)`` called, for calling
    /// them on every span that starts; none when the SDK is disabled.
    let startProcessors: SpanProcessorChain?
    let propagators: Propagators
    let logger: Logger
    /// OTEL_SDK_DISABLED: every span is non-recording, nothing reaches a processor.
    let isDisabled: Bool
    private let shutDown = Atomic<Bool>(false)
    /// Recorders of exported spans, ready for new spans (see ``SpanRecorder/recycle()``).
    /// Each keeps this core alive, so the provider empties and closes the pool when it goes.
    let recorderPool = MPSCRingBuffer<SpanRecorder>(minimumCapacity: 2_048)
    private let recorderPoolOpen = Atomic<Bool>(true)
    /// Every scope a tracer of this provider was given: spans hold theirs unowned.
    private let scopes = LockedValue<[InstrumentationScope]>([])
    private let warnedAboutEmptyTracerName = Atomic<Bool>(false)
    /// The flags a new trace starts with (before sampling): `random` when the generator's
    /// trace ids are.
    let newTraceFlags: TraceFlags
    private let trailingPadding = CacheLinePadding()

    init(
        resource: Resource,
        sampler: any Sampler,
        spanLimits: SpanLimits,
        idGenerator: any IDGenerator,
        processors: [any SpanProcessor],
        propagators: Propagators,
        logger: Logger,
        isDisabled: Bool
    ) {
        self.resource = resource
        self.sampler = sampler
        self.spanLimits = spanLimits
        self.idGenerator = idGenerator
        self.newTraceFlags = idGenerator.generatesRandomTraceIDs ? .random : []
        self.processors = processors
        self.endProcessors = isDisabled ? nil : SpanProcessorChain.of(processors)
        self.startProcessors = isDisabled ? nil : SpanProcessorChain.of(processors.filter(\.isStartRequired))
        self.propagators = propagators
        self.logger = logger
        self.isDisabled = isDisabled
    }

    /// Whether new spans are recorded at all.
    var isRecording: Bool { !isDisabled && !shutDown.load(ordering: .relaxed) }

    /// `scope`, or an equal one given to a tracer before, kept for as long as this core lives.
    func keeping(_ scope: InstrumentationScope) -> InstrumentationScope {
        scopes.withLock { scopes in
            if let kept = scopes.first(where: { $0 == scope }) { return kept }
            scopes.append(scope)
            return scope
        }
    }

    /// Logs, the first time only, that a tracer was asked for without a name.
    func warnOnceAboutEmptyTracerName() {
        guard !warnedAboutEmptyTracerName.exchange(true, ordering: .relaxed) else { return }
        logger.warning("A tracer was asked for with an empty name; its spans' instrumentation scope has no name")
    }

    /// Whether recycled recorders still go back to the pool.
    var recorderPoolIsOpen: Bool { recorderPoolOpen.load(ordering: .relaxed) }

    /// Puts a recycled recorder in the pool (a full pool lets it go).
    func returnToPool(_ recorder: consuming SpanRecorder) {
        _ = recorderPool.push(recorder)
        // The provider may have closed the pool since the caller looked: whatever it missed
        // must not stay, or it would keep this core alive. The fence pairs with the one in
        // `closeRecorderPool()`: either that emptying sees this push, or this load sees the pool closed.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if !recorderPoolIsOpen {
            emptyRecorderPool()
        }
    }

    /// Lets every pooled recorder go and keeps new ones out, so that the recorders' references
    /// to this core go too: called when the provider (and so every tracer) is gone.
    func closeRecorderPool() {
        recorderPoolOpen.store(false, ordering: .relaxed)
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        emptyRecorderPool()
    }

    private func emptyRecorderPool() {
        while recorderPool.popShared() != nil {}
    }

    /// Marks the provider shut down; true only for the first call.
    func markShutDown() -> Bool {
        !shutDown.exchange(true, ordering: .acquiringAndReleasing)
    }
}
