import Tracing

extension InstrumentationContext {
    /// The OpenTelemetry span context of the span this context belongs to, local or remote.
    public var spanContext: SpanContext? {
        self[ContextSpanKey.self]?.spanContext
    }

    /// This context with `spanContext` as its span (and no local recording span).
    func with(remote spanContext: SpanContext) -> InstrumentationContext {
        var context = self
        context[ContextSpanKey.self] = .remote(RemoteSpanContext(spanContext))
        return context
    }
}
