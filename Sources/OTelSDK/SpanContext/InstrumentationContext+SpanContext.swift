import Tracing

extension InstrumentationContext {
    /// The OpenTelemetry span context of the span this context belongs to, local or remote.
    public var spanContext: SpanContext? {
        self[SpanOfContextKey.self]?.spanContext
    }

    /// This context with `spanContext` as its span (and no local recording span).
    func with(remote spanContext: SpanContext) -> InstrumentationContext {
        var context = self
        context[SpanOfContextKey.self] = .contextOnly(SpanContextReference(spanContext))
        return context
    }
}
