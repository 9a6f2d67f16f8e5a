/// What a signal brings to a ``BatchQueue``: the record app threads queue, how the worker
/// makes a batch of them exportable, and the exporter the batch goes to. The queue, its worker
/// thread, flush, shutdown and the accounting are the same for every signal.
protocol BatchedSignal: Sendable {
    /// What an app thread queues: a finished span.
    associatedtype Record: Sendable
    /// What the exporter takes: a span's data.
    associatedtype Exportable: Sendable

    /// Names for the worker thread, the warnings and the self-metrics.
    static var names: BatchedSignalNames { get }

    /// Appends each record's exportable form to `exportables`, on the worker thread; the records
    /// stay in `records` to be released after the export has read them.
    func prepare(_ records: inout [Record], into exportables: inout [Exportable])

    /// Lets go of a record whose batch the exporter has read (a span's recorder is reused).
    func release(_ record: consuming Record)

    /// Hands a batch to the exporter; `completion` gets its outcome, possibly later and on
    /// another thread.
    func export(_ batch: [Exportable], timeout: Duration, completion: @escaping @Sendable (ExportResult) -> Void)

    /// The exporter's flush.
    func forceFlush(timeout: Duration) -> CompletionResult

    /// The exporter's shutdown.
    func shutdown(timeout: Duration) -> CompletionResult
}

/// What a batched signal is called where people read it.
struct BatchedSignalNames: Sendable {
    /// The processor, in warnings: `batch span processor`.
    let processor: String
    /// The items, in warnings: `spans`.
    let items: String
    /// The worker thread: `otel-span-batch`.
    let threadName: String
    /// The prefix of the self-metrics, as the semantic conventions for SDK metrics name them:
    /// `otel.sdk.processor.span`.
    let metricPrefix: String
    /// The processor's `otel.component.type`: `batching_span_processor`.
    let componentType: String
}
