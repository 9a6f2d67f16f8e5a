extension BatchSpanProcessor {
    /// How a ``BatchSpanProcessor`` queues and exports.
    ///
    /// Each setting can come from the environment (see ``init(environment:)``); the defaults
    /// are the OpenTelemetry specification's. The processor runs with what it can use: a
    /// setting that cannot work (a size or delay of zero or less, a batch larger than the
    /// queue) is warned about and replaced, and ``BatchSpanProcessor/configuration`` says
    /// what the processor runs with.
    public struct Configuration: Sendable, Equatable {
        /// The longest time between two exports; more than zero. Environment:
        /// `OTEL_BSP_SCHEDULE_DELAY` (milliseconds). Default: 5,000 ms.
        public var scheduleDelay: Duration
        /// Spans the queue holds; at least 1. The queue is a ring whose size is a power of two,
        /// so it holds the next power of two at or above this number (3,000 gives 4,096), and
        /// spans are dropped only when that many wait. Environment: `OTEL_BSP_MAX_QUEUE_SIZE`.
        /// Default: 2,048.
        public var maxQueueSize: Int
        /// Spans per export; at least 1 and at most ``maxQueueSize``. Environment:
        /// `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. Default: 512, or ``maxQueueSize`` when that is
        /// smaller.
        public var maxExportBatchSize: Int
        /// How long one export may take; zero is no limit ("0 indicates no limit", OpenTelemetry
        /// configuration specification). Environment: `OTEL_BSP_EXPORT_TIMEOUT` (milliseconds).
        /// Default: 30,000 ms.
        public var exportTimeout: Duration
        /// When the queue is full: false (the default) drops the span and counts it; true makes
        /// the thread that ends the span wait for room, for batch jobs that prefer
        /// backpressure to loss.
        public var blocksWhenFull: Bool

        static let defaults = BatchSettings.Defaults(
            scheduleDelay: .milliseconds(5_000),
            maxQueueSize: 2_048,
            maxExportBatchSize: 512,
            exportTimeout: .milliseconds(30_000)
        )

        /// Creates a configuration.
        /// - Parameters:
        ///   - scheduleDelay: default 5,000 ms.
        ///   - maxQueueSize: default 2,048.
        ///   - maxExportBatchSize: default 512, or `maxQueueSize` when that is smaller.
        ///   - exportTimeout: default 30,000 ms; zero for no limit.
        ///   - blocksWhenFull: default false.
        public init(
            scheduleDelay: Duration = .milliseconds(5_000),
            maxQueueSize: Int = 2_048,
            maxExportBatchSize: Int? = nil,
            exportTimeout: Duration = .milliseconds(30_000),
            blocksWhenFull: Bool = false
        ) {
            self.init(
                BatchSettings(
                    scheduleDelay: scheduleDelay,
                    maxQueueSize: maxQueueSize,
                    maxExportBatchSize: maxExportBatchSize,
                    exportTimeout: exportTimeout,
                    blocksWhenFull: blocksWhenFull,
                    defaults: Self.defaults
                )
            )
        }

        /// The settings the `OTEL_BSP_*` variables give, the defaults for the rest. A value
        /// that is not a positive integer (for the timeout, a non-negative one) is reported and
        /// the default used; a batch size larger than the queue size is reported and clamped.
        /// - Parameter environment: the environment to read.
        public init(environment: OTelEnvironment) {
            self.init(BatchSettings(environment: environment, prefix: "OTEL_BSP_", defaults: Self.defaults))
        }

        /// What the queue runs with.
        var settings: BatchSettings {
            BatchSettings(
                scheduleDelay: scheduleDelay,
                maxQueueSize: maxQueueSize,
                maxExportBatchSize: maxExportBatchSize,
                exportTimeout: exportTimeout,
                blocksWhenFull: blocksWhenFull,
                defaults: Self.defaults
            )
        }

        /// The configuration a queue runs with.
        init(_ settings: BatchSettings) {
            scheduleDelay = settings.scheduleDelay
            maxQueueSize = settings.maxQueueSize
            maxExportBatchSize = settings.maxExportBatchSize
            exportTimeout = settings.exportTimeout
            blocksWhenFull = settings.blocksWhenFull
        }
    }
}
