extension BatchSpanProcessor {
    /// How a ``BatchSpanProcessor`` queues and exports.
    ///
    /// Each setting can come from the environment (see ``init(environment:)``); the defaults
    /// are the OpenTelemetry specification's.
    public struct Configuration: Sendable, Equatable {
        /// The longest time between two exports. Environment: `OTEL_BSP_SCHEDULE_DELAY`
        /// (milliseconds). Default: 5,000 ms.
        public var scheduleDelay: Duration
        /// Spans the queue holds; rounded up to a power of two. Environment:
        /// `OTEL_BSP_MAX_QUEUE_SIZE`. Default: 2,048.
        public var maxQueueSize: Int
        /// Spans per export; clamped to ``maxQueueSize``. Environment:
        /// `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. Default: 512.
        public var maxExportBatchSize: Int
        /// How long one export may take; zero is no limit ("0 indicates no limit", OpenTelemetry
        /// configuration specification). Environment: `OTEL_BSP_EXPORT_TIMEOUT` (milliseconds).
        /// Default: 30,000 ms.
        public var exportTimeout: Duration
        /// When the queue is full: false (the default) drops the span and counts it; true makes
        /// the thread that ends the span wait for room, for batch jobs that prefer
        /// backpressure to loss.
        public var blocksWhenFull: Bool

        /// Creates a configuration.
        /// - Parameters:
        ///   - scheduleDelay: default 5,000 ms.
        ///   - maxQueueSize: default 2,048.
        ///   - maxExportBatchSize: default 512, at most `maxQueueSize`.
        ///   - exportTimeout: default 30,000 ms; zero for no limit.
        ///   - blocksWhenFull: default false.
        public init(
            scheduleDelay: Duration = .milliseconds(5_000),
            maxQueueSize: Int = 2_048,
            maxExportBatchSize: Int = 512,
            exportTimeout: Duration = .milliseconds(30_000),
            blocksWhenFull: Bool = false
        ) {
            self.scheduleDelay = scheduleDelay
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = min(max(1, maxExportBatchSize), self.maxQueueSize)
            self.exportTimeout = exportTimeout
            self.blocksWhenFull = blocksWhenFull
        }

        /// The settings the `OTEL_BSP_*` variables give, the defaults for the rest. A value
        /// that is not a non-negative integer is reported and the default used.
        /// - Parameter environment: the environment to read.
        public init(environment: OTelEnvironment) {
            let defaults = Configuration()
            self.init(
                scheduleDelay: environment.nonNegativeInteger("OTEL_BSP_SCHEDULE_DELAY").map { .milliseconds($0) }
                    ?? defaults.scheduleDelay,
                maxQueueSize: environment.nonNegativeInteger("OTEL_BSP_MAX_QUEUE_SIZE") ?? defaults.maxQueueSize,
                maxExportBatchSize: environment.nonNegativeInteger("OTEL_BSP_MAX_EXPORT_BATCH_SIZE")
                    ?? defaults.maxExportBatchSize,
                exportTimeout: environment.nonNegativeInteger("OTEL_BSP_EXPORT_TIMEOUT").map { .milliseconds($0) }
                    ?? defaults.exportTimeout
            )
        }
    }
}
