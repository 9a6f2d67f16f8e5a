/// Which aggregation temporality an exporter asks for, per instrument kind:
/// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`.
public enum MetricTemporalityPreference: Sendable, Equatable {
    /// Every kind cumulative (the specification's default): each point covers the time since
    /// its series started, as Prometheus expects.
    case cumulative
    /// Counters and histograms delta: each point covers the time since the previous export.
    case delta
    /// The specification's `lowmemory`: counters and histograms delta, the rest cumulative, so
    /// that the SDK keeps no state for the kinds that would need it.
    case lowMemory

    /// The temporality of `kind`'s points. Gauges are always cumulative: a last value is not
    /// a sum and has no delta form.
    /// - Parameter kind: the instrument kind.
    public func temporality(for kind: InstrumentKind) -> AggregationTemporality {
        switch (self, kind) {
        case (.cumulative, _), (_, .gauge): .cumulative
        case (.delta, _), (.lowMemory, _): .delta
        }
    }

    /// Reads `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`: `cumulative` (the default,
    /// also when unset), `delta` or `lowmemory`, any case; an unknown value is reported and the
    /// default used.
    /// - Parameter environment: where the variable is read.
    public init(environment: OTelEnvironment) {
        let variable = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
        switch environment[variable]?.lowercased() {
        case nil, "cumulative": self = .cumulative
        case "delta": self = .delta
        case "lowmemory": self = .lowMemory
        case let other?:
            environment.reportInvalid(variable, other, expected: "cumulative, delta or lowmemory")
            self = .cumulative
        }
    }
}
