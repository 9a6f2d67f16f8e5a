/// The kinds of instrument swift-metrics' handles become, as the specification names them; an
/// exporter picks each kind's temporality by it.
public enum InstrumentKind: Sendable, Equatable, CaseIterable {
    /// A monotonic sum: swift-metrics' `Counter` and `FloatingPointCounter`.
    case counter
    /// The last value set: `Meter`, and `Recorder` made with `aggregate: false`.
    case gauge
    /// A distribution: `Timer`, and `Recorder` made with `aggregate: true`.
    case histogram
}
