/// Spans as a ``BatchQueue`` carries them: finished spans queued by the threads that end
/// them, frozen into ``SpanData`` on the worker, their recorders reused once exported.
struct SpanBatching: BatchedSignal {
    let exporter: any SpanExporter

    static let names = BatchedSignalNames(
        processor: "batch span processor",
        items: "spans",
        threadName: "otel-span-batch",
        metricPrefix: "otel.sdk.processor.span",
        componentType: "batching_span_processor"
    )

    /// Freezes each span into SpanData: here, on the worker, not on the app threads.
    ///
    /// The app threads wrote the spans last, so the loop asks for spans a few ahead of the one
    /// it reads: their transfers between cores then overlap instead of each stalling in turn.
    func prepare(_ batch: inout [FinishedSpan], into spans: inout [SpanData]) {
        // The spans are reached in place, as `inout`: a call on an element read from the array
        // would copy it, a reference counted per span.
        func prefetch(_ span: inout FinishedSpan) { span.prefetchForWrite() }
        func freeze(_ span: inout FinishedSpan) -> SpanData { span.makeSpanData() }
        batch.withUnsafeMutableBufferPointer { batch in
            for index in batch.indices {
                if index + Self.prefetchDistance < batch.count {
                    prefetch(&batch[index + Self.prefetchDistance])
                }
                spans.append(freeze(&batch[index]))
            }
        }
    }

    /// How many spans ahead of the one being frozen the worker asks for.
    private static let prefetchDistance = 4

    func release(_ span: consuming FinishedSpan) {
        span.recycle()
    }

    func export(_ batch: [SpanData], timeout: Duration, completion: @escaping @Sendable (ExportResult) -> Void) {
        exporter.export(batch, timeout: timeout, completion: completion)
    }

    func forceFlush(timeout: Duration) -> CompletionResult {
        exporter.forceFlush(timeout: timeout)
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        exporter.shutdown(timeout: timeout)
    }
}
