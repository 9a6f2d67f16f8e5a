extension PeriodicExportingMetricReader {
    /// How often a ``PeriodicExportingMetricReader`` collects and how long an export may take.
    ///
    /// The defaults are the OpenTelemetry specification's; each setting can come from the
    /// environment (see ``init(environment:)``).
    public struct Configuration: Sendable, Equatable {
        /// The time from the start of one collection to the next; more than zero. Environment:
        /// `OTEL_METRIC_EXPORT_INTERVAL` (milliseconds). Default: 60,000 ms.
        public var exportInterval: Duration
        /// How long one export may take; zero is no limit. Environment:
        /// `OTEL_METRIC_EXPORT_TIMEOUT` (milliseconds). Default: 30,000 ms.
        public var exportTimeout: Duration

        /// Creates a configuration.
        /// - Parameters:
        ///   - exportInterval: default 60,000 ms; zero or less is replaced by the default.
        ///   - exportTimeout: default 30,000 ms; zero for no limit.
        public init(exportInterval: Duration = .milliseconds(60_000), exportTimeout: Duration = .milliseconds(30_000)) {
            self.exportInterval = exportInterval > .zero ? exportInterval : .milliseconds(60_000)
            self.exportTimeout = max(.zero, exportTimeout)
        }

        /// The settings `OTEL_METRIC_EXPORT_INTERVAL` (a positive integer) and
        /// `OTEL_METRIC_EXPORT_TIMEOUT` (a non-negative integer) give, in milliseconds; any other
        /// value is reported and the default used.
        /// - Parameter environment: the environment to read.
        public init(environment: OTelEnvironment) {
            self.init(
                exportInterval: .milliseconds(environment.positiveInteger("OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000),
                exportTimeout: .milliseconds(environment.nonNegativeInteger("OTEL_METRIC_EXPORT_TIMEOUT") ?? 30_000)
            )
        }
    }
}
