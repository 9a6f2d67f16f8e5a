import Logging
import Synchronization

/// What every logger and record of one ``LoggerProvider`` shares.
final class LoggerProviderCore: Sendable {
    let resource: Resource
    let limits: LogRecordLimits
    let dropsRecordsOfUnsampledSpans: Bool
    /// Every processor the provider was given: flushed and shut down with it.
    let processors: [any LogRecordProcessor]
    /// The first processor and the rest, called through `let`s on every record: a call on an
    /// element read from an array would copy it, a reference counted per record.
    private let firstProcessor: (any LogRecordProcessor)?
    private let otherProcessors: [any LogRecordProcessor]
    /// OTEL_SDK_DISABLED: no record reaches a processor.
    let isDisabled: Bool
    private let shutDown = Atomic<Bool>(false)

    init(
        resource: Resource,
        limits: LogRecordLimits,
        dropsRecordsOfUnsampledSpans: Bool,
        processors: [any LogRecordProcessor],
        isDisabled: Bool
    ) {
        self.resource = resource
        self.limits = limits
        self.dropsRecordsOfUnsampledSpans = dropsRecordsOfUnsampledSpans
        self.processors = processors
        self.firstProcessor = isDisabled ? nil : processors.first
        self.otherProcessors = isDisabled ? [] : Array(processors.dropFirst())
        self.isDisabled = isDisabled
    }

    /// Whether new records are made at all.
    var isRecording: Bool { !isDisabled && !shutDown.load(ordering: .relaxed) }

    /// A logger for `label`, for one handler. Its records' source is interned, so every
    /// handler of one label shares it; the core keeps no logger (a logger keeps the core).
    func logger(label: String) -> OTelLogger {
        OTelLogger(
            source: LogRecordSource.interned(
                scope: InstrumentationScope(name: label),
                resource: resource,
                limits: limits
            ),
            core: self
        )
    }

    /// Hands `record` to each processor, moving it into the last.
    func emit(_ record: consuming LogRecord) {
        guard let firstProcessor else { return }
        guard !otherProcessors.isEmpty else { return firstProcessor.onEmit(record) }
        firstProcessor.onEmit(copy record)
        for processor in otherProcessors {
            processor.onEmit(copy record)
        }
    }

    /// Marks the provider shut down; true only for the first call.
    func markShutDown() -> Bool {
        !shutDown.exchange(true, ordering: .acquiringAndReleasing)
    }
}
