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
