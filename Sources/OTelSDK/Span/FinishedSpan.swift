/// A span that has ended, as span processors receive it in `onEnd`.
///
/// Passing it around costs one reference. ``makeSpanData()`` turns it into the exportable
/// record, applying the span limits: a batch processor does that on its worker thread rather
/// than on the app thread that ended the span. Each call takes the span's lock and makes the
/// record anew.
public struct FinishedSpan: Sendable {
    var recorder: SpanRecorder

    /// The span's ids, flags and trace state.
    public var spanContext: SpanContext { recorder.spanContext }

    /// Whether the span is sampled: what processors check first, without copying the context.
    var isSampled: Bool { recorder.isSampled }

    /// The finished span's record, made anew (under the span's lock) on each call.
    public func makeSpanData() -> SpanData { recorder.spanData() }

    /// Asks the processor to fetch the span's recorder, which the thread that ended it wrote
    /// last; reading it takes its lock, a write.
    func prefetchForWrite() {
        recorder.prefetchForWrite()
    }

    /// Hands the span's recorder back for reuse once nothing else refers to it; call when done.
    consuming func recycle() {
        // Moved on, and this span let go of first: the recorder is only reused when nothing
        // else refers to it.
        let recorder = recorder
        _ = consume self
        (consume recorder).recycle()
    }
}
