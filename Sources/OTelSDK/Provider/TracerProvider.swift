import Logging
import ServiceLifecycle
import Tracing

/// The entry point of the SDK: owns the resource, sampler, span limits and span processors,
/// and makes ``OTelTracer``s that share them.
///
/// ```swift
/// let provider = TracerProvider(
///     resource: .detected(attributes: [Attribute("service.name", "checkout")]),
///     processors: [SimpleSpanProcessor(exporter: ConsoleSpanExporter())]
/// )
/// InstrumentationSystem.bootstrap(provider.tracer(name: "checkout"))
/// ...
/// provider.shutdown()   // flushes everything still queued
/// ```
///
/// Settings left nil come from the environment (``OTelEnvironment``): `OTEL_SERVICE_NAME`,
/// `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, the span
/// limit variables, `OTEL_PROPAGATORS`; `OTEL_SDK_DISABLED=true` makes every span
/// non-recording (the processors get no span, but are still flushed and shut down with the
/// provider, so that their threads end). The provider is a swift-service-lifecycle `Service`: run it in a
/// `ServiceGroup` and its graceful shutdown flushes and shuts the provider down.
public final class TracerProvider: Sendable {
    let core: TracerProviderCore
    /// How long ``run()`` gives the final shutdown.
    private let shutdownTimeout: Duration

    /// Creates a provider.
    /// - Parameters:
    ///   - resource: the producing entity, merged over ``Resource/detected(attributes:environment:)``
    ///     (the SDK's attributes, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`) so that its
    ///     attributes win; default none (that resource alone).
    ///   - sampler: default from `OTEL_TRACES_SAMPLER`, else parent-based always-on.
    ///   - spanLimits: default from the `OTEL_*_LIMIT` variables, else 128 of each.
    ///   - idGenerator: default ``RandomIDGenerator``.
    ///   - processors: where spans go when they end; default none.
    ///   - propagators: default from `OTEL_PROPAGATORS`, else trace context and baggage.
    ///   - environment: where unset settings are read from; default the process environment.
    ///   - shutdownTimeout: how long a lifecycle shutdown may take; default 30 s.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        resource: Resource? = nil,
        sampler: (any Sampler)? = nil,
        spanLimits: SpanLimits? = nil,
        idGenerator: any IDGenerator = RandomIDGenerator(),
        processors: [any SpanProcessor] = [],
        propagators: Propagators? = nil,
        environment: OTelEnvironment? = nil,
        shutdownTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        let environment = environment ?? OTelEnvironment(logger: logger)
        let isDisabled = environment.boolean("OTEL_SDK_DISABLED")
        core = TracerProviderCore(
            resource: .detected(under: resource, environment: environment),
            sampler: sampler ?? EnvironmentSampler.sampler(from: environment),
            spanLimits: spanLimits ?? SpanLimits(environment: environment),
            idGenerator: idGenerator,
            processors: processors,
            propagators: propagators ?? Propagators(environment: environment),
            logger: logger,
            isDisabled: isDisabled
        )
        self.shutdownTimeout = shutdownTimeout
    }

    deinit {
        // Every tracer holds its provider, so no span can start from here on; pooled
        // recorders would otherwise keep the core, its processors and exporters alive.
        core.closeRecorderPool()
    }

    /// The provider's resource.
    public var resource: Resource { core.resource }

    /// The provider's sampler.
    public var sampler: any Sampler { core.sampler }

    /// The provider's span limits.
    public var spanLimits: SpanLimits { core.spanLimits }

    /// A tracer for one instrumentation library; tracers of one provider share everything else.
    /// The tracer keeps its provider alive.
    ///
    /// An empty name gives a working tracer whose scope name stays empty, and is warned about
    /// once per provider: "In the case where an invalid name (null or empty string) is
    /// specified, a working Tracer MUST be returned as a fallback ... and a message reporting
    /// that the specified value is invalid SHOULD be logged" (OpenTelemetry Trace API).
    /// - Parameters:
    ///   - name: the library's name, for example `swift-kafka-client`, or your service's when
    ///     the tracer is the one bootstrapped for every library; default empty (warned about).
    ///   - version: the library's version; default nil.
    ///   - schemaURL: its semantic conventions' schema URL; default nil.
    ///   - attributes: the scope's attributes, exported in OTLP's `InstrumentationScope.attributes`;
    ///     default none.
    public func tracer(
        name: String = "",
        version: String? = nil,
        schemaURL: String? = nil,
        attributes: [Attribute] = []
    ) -> OTelTracer {
        if name.isEmpty {
            core.warnOnceAboutEmptyTracerName()
        }
        let scope = InstrumentationScope(name: name, version: version, schemaURL: schemaURL, attributes: attributes)
        return OTelTracer(provider: self, instrumentationScope: core.keeping(scope))
    }

    /// Exports every span ended so far, through every processor, within `timeout`.
    /// - Parameter timeout: the deadline for all processors together; default 30 s.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        return .combined(core.processors.map { $0.forceFlush(timeout: deadline.remaining) })
    }

    /// Flushes and shuts down every processor; afterwards new spans are non-recording.
    /// Only the first call does anything; later calls return success.
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

extension TracerProvider: Service {
    /// Waits for the service group's graceful shutdown (or cancellation), then shuts the
    /// provider down, flushing what is queued within the shutdown timeout.
    public func run() async throws {
        try? await gracefulShutdown()
        let result = await shutdown(timeout: shutdownTimeout)
        if result != .success {
            core.logger.warning("Tracer provider shutdown did not complete", metadata: ["result": "\(result)"])
        }
    }
}
