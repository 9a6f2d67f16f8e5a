import Tracing

/// The key under which an instrumentation context holds the span it belongs to.
enum SpanOfContextKey: InstrumentationContextKey {
    typealias Value = SpanOfContext
    static var nameOverride: String? { "otel-span" }
}
