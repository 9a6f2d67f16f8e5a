import Tracing

/// Which measurements may become exemplars: the specification's `ExemplarFilter`.
///
/// An exemplar is a measurement kept with its time and the span it was made in; in Grafana it
/// is what links a latency histogram's bucket to the trace of one of its requests.
public enum ExemplarFilter: Sendable, Equatable {
    /// Every measurement is offered; one made outside a span carries no trace id.
    case alwaysOn
    /// No measurement is offered: recording never reads the task's context.
    case alwaysOff
    /// Measurements made inside a sampled span are offered (the specification's default):
    /// each exemplar names a span that is exported.
    case traceBased

    /// Reads `OTEL_METRICS_EXEMPLAR_FILTER`: `always_on`, `always_off` or `trace_based` (the
    /// default, also when unset); an unknown value is reported and the default used.
    /// - Parameter environment: where the variable is read.
    public init(environment: OTelEnvironment) {
        let variable = "OTEL_METRICS_EXEMPLAR_FILTER"
        switch environment[variable]?.lowercased() {
        case nil, "trace_based": self = .traceBased
        case "always_on": self = .alwaysOn
        case "always_off": self = .alwaysOff
        case let other?:
            environment.reportInvalid(variable, other, expected: "always_on, always_off or trace_based")
            self = .traceBased
        }
    }

    /// The span a measurement made now is offered with, or nil when it is not offered.
    @inline(__always)
    func admittedMeasurementSpan() -> ExemplarSpan? {
        switch self {
        case .alwaysOff:
            return nil
        case .traceBased:
            guard let span = InstrumentationContext.current?.spanContext, span.isSampled else { return nil }
            return ExemplarSpan(span)
        case .alwaysOn:
            return InstrumentationContext.current?.spanContext.map(ExemplarSpan.init) ?? ExemplarSpan.none
        }
    }
}

/// The ids an exemplar keeps of its span; zeros for none.
struct ExemplarSpan {
    let traceHigh: UInt64
    let traceLow: UInt64
    let spanID: UInt64

    static let none = ExemplarSpan(traceHigh: 0, traceLow: 0, spanID: 0)

    init(traceHigh: UInt64, traceLow: UInt64, spanID: UInt64) {
        self.traceHigh = traceHigh
        self.traceLow = traceLow
        self.spanID = spanID
    }

    init(_ span: SpanContext) {
        self.init(traceHigh: span.traceID.high, traceLow: span.traceID.low, spanID: span.spanID.value)
    }
}
