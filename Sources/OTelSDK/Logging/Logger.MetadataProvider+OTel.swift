import Logging
import Tracing

extension Logger.MetadataProvider {
    /// Adds the current span's `trace_id`, `span_id` and `trace_flags` to every log record, so
    /// that a log line leads to its trace (in Grafana, Tempo, Jaeger and the like).
    ///
    /// Install it once, for every logger of the process:
    ///
    /// ```swift
    /// LoggingSystem.bootstrap(StreamLogHandler.standardOutput, metadataProvider: .otel)
    /// ```
    ///
    /// The same as ``otel(traceIDKey:spanIDKey:traceFlagsKey:)`` with its default key names.
    public static let otel = Logger.MetadataProvider.otel()

    /// Adds the current span's trace id, span id and trace flags to every log record, under the
    /// given keys, so that a log line leads to its trace.
    ///
    /// Implements "Trace Context in non-OTLP Log Formats": "“trace_id” for TraceId, lowercase and
    /// hex-encoded. “span_id” for SpanId, lowercase and hex-encoded. “trace_flags” for trace
    /// flags, formatted according to W3C traceflags format." The values are 32, 16 and 2
    /// lowercase hex digits, as in a `traceparent` header.
    ///
    /// The span is the one of `InstrumentationContext.current` (`ServiceContext.current`): the
    /// span that `withSpan` runs the operation in (across its `await`s and in the `Task`s it
    /// starts), a span that records nothing (sampled out: its ids, the sampled flag clear), or
    /// the remote span of a context extracted from another process's headers. A record made
    /// outside any span, or in a span with an invalid context (a root span of a disabled
    /// provider), gets none of the keys.
    ///
    /// ```swift
    /// LoggingSystem.bootstrap(
    ///     StreamLogHandler.standardOutput,
    ///     metadataProvider: .otel(traceIDKey: "trace.id", spanIDKey: "span.id", traceFlagsKey: "trace.flags")
    /// )
    /// ```
    /// - Parameters:
    ///   - traceIDKey: the metadata key of the trace id; default `trace_id`.
    ///   - spanIDKey: the metadata key of the span id; default `span_id`.
    ///   - traceFlagsKey: the metadata key of the trace flags; default `trace_flags`.
    /// - Returns: a metadata provider for `LoggingSystem.bootstrap` or a `Logger`'s handler.
    public static func otel(
        traceIDKey: String = "trace_id",
        spanIDKey: String = "span_id",
        traceFlagsKey: String = "trace_flags"
    ) -> Logger.MetadataProvider {
        Logger.MetadataProvider {
            // An invalid context's all-zero ids would point every such line at one trace that does not exist.
            guard let spanContext = InstrumentationContext.current?.spanContext, spanContext.isValid else { return [:] }
            return [
                traceIDKey: .string(spanContext.traceID.hexString),
                spanIDKey: .string(spanContext.spanID.hexString),
                traceFlagsKey: .string(spanContext.traceFlags.hexString),
            ]
        }
    }
}
