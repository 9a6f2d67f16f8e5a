import CoreMetrics
import Logging
import ServiceLifecycle

/// The entry point of the SDK's metrics: a swift-metrics backend (`MetricsFactory`) whose
/// handles aggregate in memory, and whose reader exports them periodically.
///
/// ```swift
/// let provider = MeterProvider(
///     resource: tracerProvider.resource,
///     reader: PeriodicExportingMetricReader(exporter: ConsoleMetricExporter())
/// )
/// MetricsSystem.bootstrap(provider)
/// Counter(label: "orders.placed", dimensions: [("region", "eu")]).increment()
/// ...
/// provider.shutdown()   // exports once more
/// ```
///
/// How swift-metrics' handles are exported:
///
/// | swift-metrics | OpenTelemetry |
/// |---|---|
/// | `Counter`, `FloatingPointCounter` | monotonic Sum (integer, double) |
/// | `Meter`, `Recorder(aggregate: false)` | Gauge (the last value) |
/// | `Recorder(aggregate: true)` | Histogram, the specification's default boundaries |
/// | `Timer` | Histogram in `s`, boundaries from 5 ms to 10 s (``HistogramAggregation/timerBoundaries``) |
///
/// The label is the metric's name, the dimensions its attributes. Recording on a handle takes
/// no lock: counters and explicit-bucket histograms add to per-core striped atomic cells, and
/// exemplars are offered through a try-lock that a busy slot skips. A handle destroyed through
/// swift-metrics is exported once more and its series then forgotten. Each metric holds at
/// most ``cardinalityLimit`` series; the measurements of any more go to one series with the
/// attribute `otel.metric.overflow=true` (the specification's rule).
///
/// The temporality and the histogram aggregation are the exporter's
/// (``MetricExporter/temporalityPreference``, ``MetricExporter/histogramAggregation``);
/// `OTEL_METRICS_EXEMPLAR_FILTER` picks the exemplars, `OTEL_SDK_DISABLED=true` makes the
/// reader export nothing. The provider is a swift-service-lifecycle `Service`: its graceful
/// shutdown exports once more and shuts the reader down.
public final class MeterProvider: MetricsFactory, Sendable {
    let core: MeterProviderCore
    private let reader: PeriodicExportingMetricReader?
    private let shutdownTimeout: Duration
    private let logger: Logger

    /// Creates a provider and starts its reader.
    /// - Parameters:
    ///   - resource: the producing entity, merged over ``Resource/detected(attributes:environment:)``
    ///     so that its attributes win; default none (that resource alone). Give the tracer
    ///     provider's ``TracerProvider/resource`` so that every signal carries the same.
    ///   - reader: collects and exports periodically; default none (metrics are aggregated but
    ///     never exported).
    ///   - exemplarFilter: default from `OTEL_METRICS_EXEMPLAR_FILTER`, else `trace_based`.
    ///   - cardinalityLimit: the most series a metric holds, its overflow series included;
    ///     default 2,000 (the specification's).
    ///   - units: the unit of each metric by name, for the handles swift-metrics gives none
    ///     (a Timer's is always `s`); default ``semanticConventionUnits``.
    ///   - environment: where unset settings are read from; default the process environment.
    ///   - shutdownTimeout: how long a lifecycle shutdown may take; default 30 s.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        resource: Resource? = nil,
        reader: PeriodicExportingMetricReader? = nil,
        exemplarFilter: ExemplarFilter? = nil,
        cardinalityLimit: Int = 2_000,
        units: [String: String] = MeterProvider.semanticConventionUnits,
        environment: OTelEnvironment? = nil,
        shutdownTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "otel-sdk")
    ) {
        let environment = environment ?? OTelEnvironment(logger: logger)
        core = MeterProviderCore(
            resource: .detected(under: resource, environment: environment),
            exemplarFilter: exemplarFilter ?? ExemplarFilter(environment: environment),
            temporalityPreference: reader?.exporter.temporalityPreference ?? .cumulative,
            histogramAggregation: reader?.exporter.histogramAggregation ?? .explicitBucket,
            cardinalityLimit: cardinalityLimit,
            units: units,
            logger: logger
        )
        self.reader = environment.boolean("OTEL_SDK_DISABLED") ? nil : reader
        self.shutdownTimeout = shutdownTimeout
        self.logger = logger
        self.reader?.start(collecting: core)
    }

    /// The units of the semantic conventions' counters the SDK's messaging helpers record:
    /// `messaging.client.sent.messages` and `messaging.client.consumed.messages` count
    /// `{message}`.
    public static let semanticConventionUnits = [
        "messaging.client.sent.messages": "{message}", "messaging.client.consumed.messages": "{message}",
    ]

    deinit {
        // Its reader's thread would otherwise wait for collections no one will ask for.
        reader?.abandon()
    }

    /// The provider's resource.
    public var resource: Resource { core.resource }

    /// The exemplar filter the handles record with.
    public var exemplarFilter: ExemplarFilter { core.exemplarFilter }

    /// The most series a metric holds, its overflow series included.
    public var cardinalityLimit: Int { core.cardinalityLimit }

    /// Every metric's points now, as the reader would export them. A delta collection starts
    /// the next interval, so calling this beside a reader with a delta exporter takes points
    /// from it.
    public func collect() -> [MetricData] {
        core.collect()
    }

    /// Collects and exports now through the reader, within `timeout`.
    /// - Parameter timeout: default 30 s.
    @discardableResult
    public func forceFlush(timeout: Duration = .seconds(30)) -> CompletionResult {
        reader?.forceFlush(timeout: timeout) ?? .success
    }

    /// Exports a last time and shuts the reader and its exporter down. Only the first call
    /// does anything; the handles keep working, but nothing is exported any more.
    /// - Parameter timeout: default 30 s.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(30)) -> CompletionResult {
        reader?.shutdown(timeout: timeout) ?? .success
    }

    // MARK: MetricsFactory

    /// A monotonic integer sum named `label`.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        core.series(label: label, dimensions: dimensions, aggregation: .sum(isFloatingPoint: false)) as! SumSeries
    }

    /// A monotonic double sum named `label`.
    public func makeFloatingPointCounter(
        label: String,
        dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        core.series(label: label, dimensions: dimensions, aggregation: .sum(isFloatingPoint: true)) as! SumSeries
    }

    /// A gauge named `label`.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        core.series(label: label, dimensions: dimensions, aggregation: .lastValue) as! GaugeSeries
    }

    /// A histogram named `label` when `aggregate`, else a gauge.
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else {
            return core.series(label: label, dimensions: dimensions, aggregation: .lastValue) as! GaugeSeries
        }
        return core.series(label: label, dimensions: dimensions, aggregation: core.histogram(isTimer: false))
            as! any RecorderHandler
    }

    /// A histogram in seconds named `label`.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        core.series(label: label, dimensions: dimensions, aggregation: core.histogram(isTimer: true))
            as! any TimerHandler
    }

    /// Releases a counter's series: once no handle holds it, it is exported once more and forgotten.
    public func destroyCounter(_ handler: any CounterHandler) {
        core.release(handler)
    }

    /// Releases a floating-point counter's series.
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        core.release(handler)
    }

    /// Releases a meter's series.
    public func destroyMeter(_ handler: any MeterHandler) {
        core.release(handler)
    }

    /// Releases a recorder's series.
    public func destroyRecorder(_ handler: any RecorderHandler) {
        core.release(handler)
    }

    /// Releases a timer's series.
    public func destroyTimer(_ handler: any TimerHandler) {
        core.release(handler)
    }
}

extension MeterProvider: Service {
    /// Waits for the service group's graceful shutdown (or cancellation), then exports once
    /// more and shuts the reader down, within the shutdown timeout.
    public func run() async throws {
        try? await gracefulShutdown()
        let result = await BlockingWork.run { self.shutdown(timeout: self.shutdownTimeout) }
        if result != .success {
            logger.warning("Meter provider shutdown did not complete", metadata: ["result": "\(result)"])
        }
    }
}
