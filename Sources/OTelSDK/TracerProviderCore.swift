import Logging
import Synchronization

/// What every tracer and span of one provider shares: the configuration, and whether the
/// provider has been shut down.
final class TracerProviderCore: Sendable {
    let resource: Resource
    let sampler: any Sampler
    let spanLimits: SpanLimits
    let idGenerator: any IDGenerator
    let processors: [any SpanProcessor]
    let propagators: Propagators
    let logger: Logger
    /// OTEL_SDK_DISABLED: every span is non-recording, nothing reaches a processor.
    let isDisabled: Bool
    private let shutDown = Atomic<Bool>(false)
    /// Recorders of exported spans, ready for new spans (see ``SpanRecorder/recycle()``).
    let recorderPool = MPSCRingBuffer<SpanRecorder>(minimumCapacity: 2_048)

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
        self.processors = processors
        self.propagators = propagators
        self.logger = logger
        self.isDisabled = isDisabled
    }

    /// Whether new spans are recorded at all.
    var isRecording: Bool { !isDisabled && !shutDown.load(ordering: .relaxed) }

    /// Marks the provider shut down; true only for the first call.
    func markShutDown() -> Bool {
        !shutDown.exchange(true, ordering: .acquiringAndReleasing)
    }
}
