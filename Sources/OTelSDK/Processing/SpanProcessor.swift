import Tracing

/// Receives spans as they start and end: the hook between the tracer and exporters.
///
/// `onStart` and `onEnd` run on the app thread that started or ended the span, so they must
/// be fast and must not block.
public protocol SpanProcessor: Sendable {
    /// Called when a recording span starts.
    /// - Parameters:
    ///   - span: the span that started.
    ///   - parentContext: the context it was started in.
    func onStart(_ span: OTelSpan, parentContext: InstrumentationContext)

    /// Whether the tracer must call ``onStart(_:parentContext:)``. A processor that does nothing
    /// there returns false, and starting a span then costs no call (as OpenTelemetry Java's
    /// `SpanProcessor.isStartRequired()` allows). Default: true.
    var isStartRequired: Bool { get }

    /// Called once when a recording span ends.
    ///
    /// The processor owns `span`: one that keeps it (a queue) moves it rather than copying it.
    /// - Parameter span: the finished span; its `spanData` is the exportable record.
    func onEnd(_ span: consuming FinishedSpan)

    /// Exports everything received so far, waiting at most `timeout`.
    /// - Parameter timeout: how long to wait.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// Flushes, then stops: later spans are ignored. Idempotent.
    /// - Parameter timeout: how long to wait.
    func shutdown(timeout: Duration) -> CompletionResult
}

extension SpanProcessor {
    /// Does nothing: most processors only act when spans end.
    public func onStart(_ span: OTelSpan, parentContext: InstrumentationContext) {}

    /// True: a processor is called when spans start unless it says it need not be.
    public var isStartRequired: Bool { true }
}
