/// A span context held by reference, so that ``ContextSpan`` stays one reference wide.
final class RemoteSpanContext: Sendable {
    let spanContext: SpanContext

    init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}
