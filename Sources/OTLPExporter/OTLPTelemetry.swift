import CoreMetrics
import Logging
import OTelSDK
import ServiceLifecycle
import Tracing

/// Traces, logs and metrics set up together: one resource; a tracer provider and a logger
/// provider that export over OTLP in batches, and a meter provider that exports periodically;
/// swift-distributed-tracing, swift-log and swift-metrics bootstrapped with them; and one
/// swift-service-lifecycle `Service` that flushes all three on shutdown.
///
/// ```swift
/// let telemetry = try OTLPTelemetry.bootstrap(serviceName: "checkout")
/// // in a ServiceGroup with the application's services: SIGTERM flushes spans and logs
/// let group = ServiceGroup(services: [server, telemetry], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
///
/// Each signal's exporter is picked by the environment, as the specification names them:
/// `OTEL_TRACES_EXPORTER`, `OTEL_LOGS_EXPORTER` and `OTEL_METRICS_EXPORTER` = `otlp` (the
/// default), `console` or `none` (the signal is off). The OTLP exporters read the
/// `OTEL_EXPORTER_OTLP_*` variables, the processors `OTEL_BSP_*` and `OTEL_BLRP_*`, the
/// metric reader `OTEL_METRIC_EXPORT_*`, the providers the rest.
public final class OTLPTelemetry: Service, Sendable {
    /// The entity both signals describe.
    public let resource: Resource
    /// The spans' provider; `InstrumentationSystem` is bootstrapped with its tracer.
    public let tracerProvider: TracerProvider
    /// The log records' provider; `LoggingSystem` is bootstrapped with its handlers.
    public let loggerProvider: LoggerProvider
    /// The metrics' provider; `MetricsSystem` is bootstrapped with it. The batch processors'
    /// own metrics (`otel.sdk.processor.*`) go to it, bootstrapped or not.
    public let meterProvider: MeterProvider
    private let consoleLogHandler: (@Sendable (String) -> any LogHandler)?
    private let logLevel: Logger.Level

    /// Makes the three providers and their exporters, without touching the global systems (see
    /// ``bootstrap(serviceName:resourceAttributes:logLevel:alsoLoggingTo:environment:)``).
    /// - Parameters:
    ///   - serviceName: `service.name`; default `OTEL_SERVICE_NAME`, else
    ///     `unknown_service:<process>`.
    ///   - resourceAttributes: more resource attributes; they win over `OTEL_RESOURCE_ATTRIBUTES`.
    ///   - logLevel: the lowest level the log handlers pass on; default `info`.
    ///   - consoleLogHandler: a handler that gets every log call as well, in the same level,
    ///     for example `StreamLogHandler.standardOutput`; default none.
    ///   - environment: where the settings are read; default the process environment.
    /// - Throws: ``OTLPConfigurationError`` for unusable exporter settings (an `otlp` exporter
    ///   with an invalid endpoint, say); ``OTLPTransportError`` when libcurl cannot be set up.
    public init(
        serviceName: String? = nil,
        resourceAttributes: [Attribute] = [],
        logLevel: Logger.Level = .info,
        consoleLogHandler: (@Sendable (String) -> any LogHandler)? = nil,
        environment: OTelEnvironment = OTelEnvironment()
    ) throws {
        var attributes = resourceAttributes
        if let serviceName { attributes.append(Attribute("service.name", .string(serviceName))) }
        let resource = Resource.detected(attributes: attributes, environment: environment)
        self.resource = resource

        // The metrics first: the batch processors below count their own work in them.
        let metricExporter: (any MetricExporter)? =
            switch try Self.exporterChoice("OTEL_METRICS_EXPORTER", in: environment) {
            case .otlp:
                try OTLPMetricExporter(
                    configuration: OTLPExporterConfiguration(signal: .metrics, environment: environment),
                    environment: environment
                )
            case .console: ConsoleMetricExporter()
            case .none: nil
            }
        let meterProvider = MeterProvider(
            resource: resource,
            reader: metricExporter.map {
                PeriodicExportingMetricReader(exporter: $0, configuration: .init(environment: environment))
            },
            environment: environment
        )
        self.meterProvider = meterProvider

        let spanProcessors: [any SpanProcessor] =
            switch try Self.exporterChoice("OTEL_TRACES_EXPORTER", in: environment) {
            case .otlp:
                [
                    BatchSpanProcessor(
                        exporter: try OTLPSpanExporter(
                            configuration: OTLPExporterConfiguration(signal: .traces, environment: environment)
                        ),
                        configuration: .init(environment: environment),
                        metricsFactory: meterProvider
                    )
                ]
            case .console: [SimpleSpanProcessor(exporter: ConsoleSpanExporter())]
            case .none: []
            }
        tracerProvider = TracerProvider(resource: resource, processors: spanProcessors, environment: environment)

        let logProcessors: [any LogRecordProcessor] =
            switch try Self.exporterChoice("OTEL_LOGS_EXPORTER", in: environment) {
            case .otlp:
                [
                    BatchLogRecordProcessor(
                        exporter: try OTLPLogExporter(
                            configuration: OTLPExporterConfiguration(signal: .logs, environment: environment)
                        ),
                        configuration: .init(environment: environment),
                        metricsFactory: meterProvider
                    )
                ]
            case .console: [SimpleLogRecordProcessor(exporter: ConsoleLogRecordExporter())]
            case .none: []
            }
        loggerProvider = LoggerProvider(resource: resource, processors: logProcessors, environment: environment)
        self.consoleLogHandler = consoleLogHandler
        self.logLevel = logLevel
    }

    /// Makes the providers (see ``init(serviceName:resourceAttributes:logLevel:consoleLogHandler:environment:)``)
    /// and bootstraps swift-distributed-tracing with the tracer provider's tracer (its
    /// instrumentation scope named after the service: the process has this one tracer),
    /// swift-log with ``makeLogHandler(label:)`` and swift-metrics with the meter provider. Call
    /// it once, first thing: each system can be bootstrapped only once per process.
    /// - Parameters:
    ///   - serviceName: `service.name`; default `OTEL_SERVICE_NAME`.
    ///   - resourceAttributes: more resource attributes; default none.
    ///   - logLevel: the lowest level logged; default `info`.
    ///   - consoleLogHandler: a handler that gets every log call as well: to log to standard output
    ///     and OTLP at once, pass `StreamLogHandler.standardOutput`. Default none.
    ///   - environment: where the settings are read; default the process environment.
    /// - Returns: the telemetry, to run in the application's `ServiceGroup`.
    public static func bootstrap(
        serviceName: String? = nil,
        resourceAttributes: [Attribute] = [],
        logLevel: Logger.Level = .info,
        alsoLoggingTo consoleLogHandler: (@Sendable (String) -> any LogHandler)? = nil,
        environment: OTelEnvironment = OTelEnvironment()
    ) throws -> OTLPTelemetry {
        let telemetry = try OTLPTelemetry(
            serviceName: serviceName,
            resourceAttributes: resourceAttributes,
            logLevel: logLevel,
            consoleLogHandler: consoleLogHandler,
            environment: environment
        )
        InstrumentationSystem.bootstrap(telemetry.tracerProvider.tracer(name: telemetry.resource.serviceName ?? ""))
        LoggingSystem.bootstrap(telemetry.makeLogHandler)
        MetricsSystem.bootstrap(telemetry.meterProvider)
        return telemetry
    }

    /// The log handler for `label`: the logger provider's, beside the console handler when one
    /// was given (swift-log's `MultiplexLogHandler`), at the telemetry's level.
    /// - Parameter label: the logger's label.
    public func makeLogHandler(label: String) -> any LogHandler {
        var handler = loggerProvider.makeLogHandler(label: label)
        handler.logLevel = logLevel
        guard let consoleLogHandler else { return handler }
        var console = consoleLogHandler(label)
        console.logLevel = logLevel
        return MultiplexLogHandler([console, handler])
    }

    /// Flushes the three providers: queued spans and records, and a collection of the metrics.
    /// - Parameter timeout: the deadline for all together; default 30 s.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        return .combined([
            tracerProvider.forceFlush(timeout: timeout), loggerProvider.forceFlush(timeout: deadline.remaining),
            meterProvider.forceFlush(timeout: deadline.remaining),
        ])
    }

    /// Flushes and shuts down the three providers; spans first, so that the logs of their last
    /// moments are still taken, and metrics last, so that they count the processors' own work.
    /// - Parameter timeout: the deadline for all together; default 30 s.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) -> CompletionResult {
        let deadline = ContinuousClock.now + timeout
        return .combined([
            tracerProvider.shutdown(timeout: timeout), loggerProvider.shutdown(timeout: deadline.remaining),
            meterProvider.shutdown(timeout: deadline.remaining),
        ])
    }

    /// Waits for the service group's graceful shutdown (or cancellation), then shuts the
    /// providers down, flushing what is queued.
    public func run() async throws {
        try? await gracefulShutdown()
        _ = await BlockingWork.run { self.shutdown() }
    }

    private enum ExporterChoice {
        case otlp, console, none
    }

    /// The exporter `variable` names: `otlp` when unset; an unknown name is warned about and
    /// the default used.
    private static func exporterChoice(_ variable: String, in environment: OTelEnvironment) throws -> ExporterChoice {
        switch environment[variable]?.lowercased() {
        case nil, "otlp": return .otlp
        case "console": return .console
        case "none": return .none
        case let other?:
            environment.reportInvalid(variable, other, expected: "otlp, console or none")
            return .otlp
        }
    }
}
