import Tracing

/// The recording span a context belongs to (a local parent).
enum ActiveSpanKey: InstrumentationContextKey {
    typealias Value = SpanRecorder
    static var nameOverride: String? { "otel-active-span" }
}

/// A span context without a recording span: extracted from a remote caller, or a
/// sampled-out span's.
enum SpanContextKey: InstrumentationContextKey {
    typealias Value = SpanContext
    static var nameOverride: String? { "otel-span-context" }
}

extension InstrumentationContext {
    /// The OpenTelemetry span context of the span this context belongs to, local or remote.
    public var spanContext: SpanContext? {
        self[ActiveSpanKey.self]?.spanContext ?? self[SpanContextKey.self]
    }

    /// This context with `spanContext` as its span (and no local recording span).
    func with(remote spanContext: SpanContext) -> InstrumentationContext {
        var context = self
        context[ActiveSpanKey.self] = nil
        context[SpanContextKey.self] = spanContext
        return context
    }
}
