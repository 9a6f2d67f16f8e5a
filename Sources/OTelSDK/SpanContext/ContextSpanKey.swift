import Tracing

/// The key under which an instrumentation context holds the span it belongs to.
enum ContextSpanKey: InstrumentationContextKey {
    typealias Value = ContextSpan
    static var nameOverride: String? { "otel-span" }
}
