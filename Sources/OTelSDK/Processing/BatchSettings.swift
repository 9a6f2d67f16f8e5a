import Logging

/// What a ``BatchQueue`` runs with: a batch processor's configuration, with the signal's
/// defaults for any setting that cannot be used as given.
struct BatchSettings: Sendable {
    var scheduleDelay: Duration
    var maxQueueSize: Int
    var maxExportBatchSize: Int
    var exportTimeout: Duration
    var blocksWhenFull: Bool
    /// The signal's defaults (the specification's).
    var defaults: Defaults

    struct Defaults: Sendable {
        var scheduleDelay: Duration
        var maxQueueSize: Int
        var maxExportBatchSize: Int
        var exportTimeout: Duration
    }

    /// Settings from code: a batch size left nil is the default, or the queue size when smaller.
    init(
        scheduleDelay: Duration,
        maxQueueSize: Int,
        maxExportBatchSize: Int?,
        exportTimeout: Duration,
        blocksWhenFull: Bool,
        defaults: Defaults
    ) {
        self.scheduleDelay = scheduleDelay
        self.maxQueueSize = maxQueueSize
        self.maxExportBatchSize =
            maxExportBatchSize ?? Self.batchSize(default: defaults.maxExportBatchSize, forQueueSize: maxQueueSize)
        self.exportTimeout = exportTimeout
        self.blocksWhenFull = blocksWhenFull
        self.defaults = defaults
    }

    /// The settings a processor's variables give (`<prefix>SCHEDULE_DELAY`, `MAX_QUEUE_SIZE`,
    /// `MAX_EXPORT_BATCH_SIZE`, `EXPORT_TIMEOUT`; `OTEL_BSP_` for spans), `defaults` for the
    /// rest. A value that is not a positive integer (for the timeout, a non-negative one) is
    /// reported and the default used; a batch size larger than the queue size is reported and
    /// clamped.
    init(environment: OTelEnvironment, prefix: String, defaults: Defaults) {
        let maxQueueSize = environment.positiveInteger(prefix + "MAX_QUEUE_SIZE") ?? defaults.maxQueueSize
        var maxExportBatchSize = environment.positiveInteger(prefix + "MAX_EXPORT_BATCH_SIZE")
        if let size = maxExportBatchSize, size > maxQueueSize {
            environment.reportInvalid(
                prefix + "MAX_EXPORT_BATCH_SIZE",
                String(size),
                expected: "at most the queue size, \(maxQueueSize), which is used"
            )
            maxExportBatchSize = maxQueueSize
        }
        self.init(
            scheduleDelay: environment.positiveInteger(prefix + "SCHEDULE_DELAY").map { .milliseconds($0) }
                ?? defaults.scheduleDelay,
            maxQueueSize: maxQueueSize,
            maxExportBatchSize: maxExportBatchSize,
            exportTimeout: environment.nonNegativeInteger(prefix + "EXPORT_TIMEOUT").map { .milliseconds($0) }
                ?? defaults.exportTimeout,
            blocksWhenFull: false,
            defaults: defaults
        )
    }

    /// The default batch size for a queue of `queueSize`: the default, or the queue when smaller.
    static func batchSize(default batchSize: Int, forQueueSize queueSize: Int) -> Int {
        min(batchSize, max(1, queueSize))
    }

    /// These settings with each one the worker cannot run with replaced, each replacement
    /// warned about (a zero delay would make the worker spin, a batch of 0 or over the queue's
    /// size never fill); and the queue size the ring of `capacity` really holds, said when it
    /// differs from what was asked for.
    func usable(processor: String, ringCapacity capacity: (Int) -> Int, logger: Logger) -> BatchSettings {
        var usable = self
        func replace(_ setting: String, _ value: String, with replacement: String, because reason: String) {
            logger.warning(
                "Batch processor setting replaced",
                metadata: [
                    "processor": "\(processor)", "setting": "\(setting)", "value": "\(value)",
                    "used": "\(replacement)", "reason": "\(reason)",
                ]
            )
        }
        if maxQueueSize < 1 {
            usable.maxQueueSize = defaults.maxQueueSize
            replace("maxQueueSize", String(maxQueueSize), with: String(usable.maxQueueSize), because: "below 1")
        }
        if maxExportBatchSize < 1 {
            usable.maxExportBatchSize = Self.batchSize(
                default: defaults.maxExportBatchSize,
                forQueueSize: usable.maxQueueSize
            )
            replace(
                "maxExportBatchSize",
                String(maxExportBatchSize),
                with: String(usable.maxExportBatchSize),
                because: "below 1"
            )
        } else if maxExportBatchSize > usable.maxQueueSize {
            usable.maxExportBatchSize = usable.maxQueueSize
            replace(
                "maxExportBatchSize",
                String(maxExportBatchSize),
                with: String(usable.maxExportBatchSize),
                because: "larger than maxQueueSize"
            )
        }
        if scheduleDelay <= .zero {
            usable.scheduleDelay = defaults.scheduleDelay
            replace("scheduleDelay", "\(scheduleDelay)", with: "\(usable.scheduleDelay)", because: "not above zero")
        }
        if exportTimeout < .zero {
            usable.exportTimeout = defaults.exportTimeout
            replace("exportTimeout", "\(exportTimeout)", with: "\(usable.exportTimeout)", because: "negative")
        }
        let held = capacity(usable.maxQueueSize)
        if held != usable.maxQueueSize {
            logger.info(
                "The queue holds the next power of two of the size asked for",
                metadata: [
                    "processor": "\(processor)", "maxQueueSize": "\(usable.maxQueueSize)", "holds": "\(held)",
                ]
            )
            usable.maxQueueSize = held
        }
        return usable
    }
}
