/// A span context held by reference, so that ``SpanOfContext`` stays one reference wide.
final class SpanContextReference: Sendable {
    let spanContext: SpanContext

    init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}
