import Tracing

/// A provider's span processors as a chain of `let`s, for calling each on every span.
///
/// A call through a `let` property borrows the processor where it is stored; reading one from
/// an array copies it, which counts a reference on every span.
final class SpanProcessorChain: Sendable {
    private let processor: any SpanProcessor
    private let next: SpanProcessorChain?

    /// The chain of `processors`, in order; nil when there are none.
    static func of(_ processors: [any SpanProcessor]) -> SpanProcessorChain? {
        processors.reversed().reduce(nil) { next, processor in SpanProcessorChain(processor, next: next) }
    }

    private init(_ processor: any SpanProcessor, next: SpanProcessorChain?) {
        self.processor = processor
        self.next = next
    }

    /// Calls each processor's `onStart` in order.
    func onStart(_ span: OTelSpan, parentContext: InstrumentationContext) {
        processor.onStart(span, parentContext: parentContext)
        next?.onStart(span, parentContext: parentContext)
    }

    /// Calls each processor's `onEnd` in order, each with its own `FinishedSpan` of `recorder`.
    func onEnd(_ recorder: SpanRecorder) {
        processor.onEnd(FinishedSpan(recorder: recorder))
        next?.onEnd(recorder)
    }
}
