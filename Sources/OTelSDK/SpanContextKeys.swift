import Tracing

/// The span a context belongs to: its span context, and its recorder when it is a local
/// recording span. One key, so that finding a parent is one lookup.
final class ContextSpan: Sendable {
    let spanContext: SpanContext
    let recorder: SpanRecorder?

    init(_ spanContext: SpanContext, recorder: SpanRecorder? = nil) {
        self.spanContext = spanContext
        self.recorder = recorder
    }
}

enum ContextSpanKey: InstrumentationContextKey {
    typealias Value = ContextSpan
    static var nameOverride: String? { "otel-span" }
}

extension InstrumentationContext {
    /// The OpenTelemetry span context of the span this context belongs to, local or remote.
    public var spanContext: SpanContext? {
        self[ContextSpanKey.self]?.spanContext
    }

    /// This context with `spanContext` as its span (and no local recording span).
    func with(remote spanContext: SpanContext) -> InstrumentationContext {
        var context = self
        context[ContextSpanKey.self] = ContextSpan(spanContext)
        return context
    }
}
