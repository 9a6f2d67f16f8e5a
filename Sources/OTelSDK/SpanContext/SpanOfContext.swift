/// The span an instrumentation context belongs to, under one key, so that finding a parent is
/// one lookup.
///
/// A recording span is its recorder itself: a single reference, which a context holds without
/// allocating, so that `withSpan` and `span.context` cost no object of their own.
enum SpanOfContext: Sendable {
    /// A recording span of this process.
    case recording(SpanRecorder)
    /// Only a span context: a span of another process (extracted from headers), or a span of
    /// this process that records nothing.
    case contextOnly(SpanContextReference)

    var spanContext: SpanContext {
        switch self {
        case .recording(let recorder): recorder.spanContext
        case .contextOnly(let reference): reference.spanContext
        }
    }
}
