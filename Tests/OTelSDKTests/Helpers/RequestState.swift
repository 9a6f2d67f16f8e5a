import Tracing

/// Something a request carries in its context: whether it is freed shows what spans keep.
final class RequestState: Sendable {}

enum RequestStateKey: InstrumentationContextKey {
    typealias Value = RequestState
}

extension InstrumentationContext {
    /// A top-level context that carries `state`.
    static func carrying(_ state: RequestState) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        context[RequestStateKey.self] = state
        return context
    }
}
