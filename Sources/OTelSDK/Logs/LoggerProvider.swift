import Logging
import ServiceLifecycle

/// The entry point of the SDK's logs: owns the resource, the limits and the log record
/// processors, and makes the swift-log handlers that feed them.
///
/// ```swift
/// let provider = LoggerProvider(
///     resource: .detected(attributes: [Attribute("service.name", "checkout")]),
///     processors: [BatchLogRecordProcessor(exporter: ConsoleLogRecordExporter())]
/// )
/// LoggingSystem.bootstrap(provider.makeLogHandler)
/// ...
/// provider.shutdown()   // flushes everything still queued
/// ```
///
/// Settings left nil come from the environment (``OTelEnvironment``): `OTEL_SERVICE_NAME`,
/// `OTEL_RESOURCE_ATTRIBUTES`, the `OTEL_LOGRECORD_*` limits; `OTEL_SDK_DISABLED=true` makes
/// the handlers drop every record (the processors are still flushed and shut down with the
/// provider). The provider is a swift-service-lifecycle `Service`: run it in a `ServiceGroup`
/// and its graceful shutdown flushes and shuts the provider down.
public final class LoggerProvider: Sendable {
    let core: LoggerProviderCore
    /// How long ``run()`` gives the final shutdown.
    private let shutdownTimeout: Duration
    private let logger: Logger

    /// Creates a provider.
    /// - Parameters:
    ///   - resource: the producing entity, merged over ``Resource/detected(attributes:environment:)``
    ///     so that its attributes win; default none (that resource alone). Give the tracer
    ///     provider's ``TracerProvider/resource`` so that both signals carry the same.
    ///   - processors: where records go; default none.
    ///   - limits: default from the `OTEL_LOGRECORD_*` and `OTEL_ATTRIBUTE_*` variables, else
    ///     128 attributes of any length.
    ///   - dropsRecordsOfUnsampledSpans: the specification's `trace_based` option: a record made
    ///     inside a span that is not sampled is dropped, so that logs follow the traces'
    ///     sampling; records made outside a span are kept. Default false.
    ///   - environment: where unset settings are read from; default the process environment.
    ///   - shutdownTimeout: how long a lifecycle shutdown may take; default 30 s.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        resource: Resource? = nil,
        processors: [any LogRecordProcessor] = [],
        limits: LogRecordLimits? = nil,
        dropsRecordsOfUnsampledSpans: Bool = false,
        environment: OTelEnvironment? = nil,
        shutdownTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        let environment = environment ?? OTelEnvironment(logger: logger)
        core = LoggerProviderCore(
            resource: .detected(under: resource, environment: environment),
            limits: limits ?? LogRecordLimits(environment: environment),
            dropsRecordsOfUnsampledSpans: dropsRecordsOfUnsampledSpans,
            processors: processors,
            isDisabled: environment.boolean("OTEL_SDK_DISABLED")
        )
        self.shutdownTimeout = shutdownTimeout
        self.logger = logger
    }

    /// The provider's resource.
    public var resource: Resource { core.resource }

    /// The provider's limits.
    public var limits: LogRecordLimits { core.limits }

    /// A swift-log handler whose records go to this provider's processors, with `label` as
    /// their instrumentation scope: what `LoggingSystem.bootstrap` takes
    /// (`LoggingSystem.bootstrap(provider.makeLogHandler)`). A metadata provider is the
    /// handler's ``OTelLogHandler/metadataProvider``.
    /// - Parameter label: the logger's label.
    public func makeLogHandler(label: String) -> OTelLogHandler {
        OTelLogHandler(logger: core.logger(label: label), metadataProvider: nil)
    }

    /// Exports every record emitted so far, through every processor, within `timeout`.
    /// - Parameter timeout: the deadline for all processors together; default 30 s.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        return .combined(core.processors.map { $0.forceFlush(timeout: deadline.remaining) })
    }

    /// Flushes and shuts down every processor; afterwards records are dropped. Only the first
    /// call does anything; later calls return success.
    /// - Parameter timeout: the deadline for all processors together; default 30 s.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) -> CompletionResult {
        guard core.markShutDown() else { return .success }
        let deadline = ContinuousClock.now + timeout
        return .combined(core.processors.map { $0.shutdown(timeout: deadline.remaining) })
    }

    /// ``forceFlush(timeout:)`` without blocking the calling task's thread.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) async -> CompletionResult {
        await BlockingWork.run { self.forceFlush(timeout: timeout) }
    }

    /// ``shutdown(timeout:)`` without blocking the calling task's thread.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) async -> CompletionResult {
        await BlockingWork.run { self.shutdown(timeout: timeout) }
    }
}

extension LoggerProvider: Service {
    /// Waits for the service group's graceful shutdown (or cancellation), then shuts the
    /// provider down, flushing what is queued within the shutdown timeout.
    public func run() async throws {
        try? await gracefulShutdown()
        let result = await shutdown(timeout: shutdownTimeout)
        if result != .success {
            logger.warning("Logger provider shutdown did not complete", metadata: ["result": "\(result)"])
        }
    }
}
