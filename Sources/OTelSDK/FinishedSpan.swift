/// A span that has ended, as span processors receive it in `onEnd`.
///
/// Passing it around costs one reference. ``spanData`` turns it into the exportable record,
/// applying the span limits; that work is done once, and a batch processor does it on its
/// worker thread rather than on the app thread that ended the span.
public struct FinishedSpan: Sendable {
    let recorder: SpanRecorder

    /// The span's ids, flags and trace state.
    public var spanContext: SpanContext { recorder.spanContext }

    /// The finished span's record.
    public var spanData: SpanData { recorder.spanData() }
}
