import COTelSDKShims
import Logging
import Tracing

/// One logger of a ``LoggerProvider``, behind a swift-log handler: the provider's core, which
/// takes its records, and their source (scope, resource, limits), which each record refers to.
final class OTelLogger: Sendable {
    let source: Unmanaged<LogRecordSource>
    let core: LoggerProviderCore

    init(source: Unmanaged<LogRecordSource>, core: LoggerProviderCore) {
        self.source = source
        self.core = core
    }

    /// Makes a record of `event` and hands it to the provider's processors; on the thread
    /// that logged, without waiting.
    func emit(_ event: LogEvent, handlerMetadata: Logger.Metadata, metadataProvider: Logger.MetadataProvider?) {
        guard core.isRecording else { return }
        // The SDK's own diagnostics, logged on its own threads (batch workers, delivery lanes),
        // go to standard error: exported, a failing export's warning would make another record
        // to export, without end.
        guard otel_sdk_thread_is_current() == 0 else {
            var fallback = StreamLogHandler.standardError(label: source.takeUnretainedValue().scope.name)
            fallback.logLevel = .trace
            fallback.log(event: event)
            return
        }
        let span = InstrumentationContext.current?.spanContext
        if core.dropsRecordsOfUnsampledSpans, let span, !span.isSampled { return }
        core.emit(
            LogRecord(
                timeUnixNano: DefaultTracerClock.now.nanosecondsSinceEpoch,
                level: event.level,
                message: event.message,
                handlerMetadata: handlerMetadata,
                providedMetadata: metadataProvider?.get(),
                callMetadata: event.metadata,
                error: event.error.map {
                    LogRecord.RecordedError(type: String(reflecting: type(of: $0)), message: String(describing: $0))
                },
                file: event.file,
                function: event.function,
                line: event.line,
                span: span.map { LogRecord.SpanIDs(traceID: $0.traceID, spanID: $0.spanID, traceFlags: $0.traceFlags) },
                source: source
            )
        )
    }
}
