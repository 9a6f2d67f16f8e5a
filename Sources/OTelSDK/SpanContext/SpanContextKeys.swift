import Tracing

/// The span a context belongs to. One key, so that finding a parent is one lookup.
///
/// A local recording span is its recorder itself: a single reference, which a context holds
/// without allocating, so that `withSpan` and `span.context` cost no object of their own.
enum ContextSpan: Sendable {
    case local(SpanRecorder)
    /// A span of another process (extracted from headers), or a local span that records nothing.
    case remote(RemoteSpanContext)

    var spanContext: SpanContext {
        switch self {
        case .local(let recorder): recorder.spanContext
        case .remote(let remote): remote.spanContext
        }
    }
}

/// A span context held by reference, so that ``ContextSpan`` stays one reference wide.
final class RemoteSpanContext: Sendable {
    let spanContext: SpanContext

    init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
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
        context[ContextSpanKey.self] = .remote(RemoteSpanContext(spanContext))
        return context
    }
}
