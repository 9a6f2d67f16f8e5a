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
    private let loggers = LockedValue<[String: OTelLogger]>([:])

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

    /// The logger for `label`, made once and then shared.
    func logger(label: String) -> OTelLogger {
        loggers.withLock { loggers in
            if let logger = loggers[label] { return logger }
            let logger = OTelLogger(scope: InstrumentationScope(name: label), core: self)
            loggers[label] = logger
            return logger
        }
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
