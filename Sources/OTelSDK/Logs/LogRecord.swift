import Logging

/// A log record as a log handler emitted it: what log record processors receive in
/// ``LogRecordProcessor/onEmit(_:)``.
///
/// The thread that logged only stores what it was given: the message, the three metadata
/// dictionaries as they are, where the call was made, and the ids of the span it was made in.
/// ``makeLogRecordData()`` turns that into the exportable record (metadata into attributes,
/// the limits applied); a batch processor does it on its worker thread.
public struct LogRecord: Sendable {
    /// When it was logged, in nanoseconds since the Unix epoch.
    public let timeUnixNano: UInt64
    /// The swift-log level.
    public let level: Logger.Level
    let message: Logger.Message
    let handlerMetadata: Logger.Metadata
    let providedMetadata: Logger.Metadata?
    let callMetadata: Logger.Metadata?
    let error: RecordedError?
    let file: String
    let function: String
    let line: UInt
    let span: SpanIDs?
    /// Not counted: sources live as long as the process (see ``LogRecordSource``).
    let source: Unmanaged<LogRecordSource>

    /// The span a record was made in, without its trace state (a log record does not carry one).
    struct SpanIDs: Sendable {
        let traceID: TraceID
        let spanID: SpanID
        let traceFlags: TraceFlags
    }

    /// swift-log's `error:`, described where it was logged (an `any Error` may not be
    /// sendable). A class: most records have none, and a queued record stays smaller.
    final class RecordedError: Sendable {
        let type: String
        let message: String

        init(type: String, message: String) {
            self.type = type
            self.message = message
        }
    }

    /// How severe it is.
    public var severity: LogSeverity { LogSeverity(level) }

    /// The message.
    public var body: String { message.description }

    /// The span it was made in (ids and flags); nil outside a span.
    public var spanContext: SpanContext? {
        span.map { SpanContext(traceID: $0.traceID, spanID: $0.spanID, traceFlags: $0.traceFlags) }
    }

    /// The logger that made it: for swift-log, its label.
    public var instrumentationScope: InstrumentationScope { source.takeUnretainedValue().scope }

    /// The entity that produced it: its provider's resource.
    public var resource: Resource { source.takeUnretainedValue().resource }

    /// The exportable record, made anew on each call: the metadata of the handler, of its
    /// metadata provider and of the call (later wins where a key repeats) become attributes,
    /// keys sorted, followed by `code.file.path`, `code.function.name`, `code.line.number` and,
    /// for a call with an `error:`, `exception.type` and `exception.message`; then the limits
    /// apply, the attributes beyond the count limit counted as dropped.
    public func makeLogRecordData() -> LogRecordData {
        let source = source.takeUnretainedValue()
        let limits = source.limits
        // Most calls carry only their own metadata: then no dictionary is merged or copied.
        var merged = callMetadata ?? [:]
        if !handlerMetadata.isEmpty || providedMetadata?.isEmpty == false {
            merged = handlerMetadata
            if let providedMetadata { merged.merge(providedMetadata) { _, provided in provided } }
            if let callMetadata { merged.merge(callMetadata) { _, explicit in explicit } }
        }
        let entries = merged.sorted { $0.key < $1.key }
        var attributes: [LogAttribute] = []
        attributes.reserveCapacity(min(limits.attributeCountLimit, entries.count + 5))
        var dropped = 0
        func add(_ key: String, _ value: @autoclosure () -> LogValue) {
            guard attributes.count < limits.attributeCountLimit else {
                dropped += 1
                return
            }
            attributes.append(LogAttribute(key, limits.truncated(value())))
        }
        for (key, value) in entries {
            add(key, LogValue(value))
        }
        // Metadata can name the standard attributes itself; only then is it looked up.
        let namesStandardKeys = entries.contains { $0.key.hasPrefix("code.") || $0.key.hasPrefix("exception.") }
        func addUnlessGiven(_ key: String, _ value: LogValue) {
            if !namesStandardKeys || merged[key] == nil { add(key, value) }
        }
        addUnlessGiven("code.file.path", .string(file))
        addUnlessGiven("code.function.name", .string(function))
        addUnlessGiven("code.line.number", .int(Int64(line)))
        if let error {
            addUnlessGiven("exception.type", .string(error.type))
            addUnlessGiven("exception.message", .string(error.message))
        }
        return LogRecordData(
            timeUnixNano: timeUnixNano,
            observedTimeUnixNano: timeUnixNano,
            severity: severity,
            body: .string(message.description),
            attributes: attributes,
            droppedAttributeCount: dropped,
            spanContext: spanContext,
            resource: source.resource,
            instrumentationScope: source.scope
        )
    }
}

extension LogValue {
    /// A swift-log metadata value as OTLP carries it: a string, an array, or a map whose keys
    /// are sorted (a dictionary has no order of its own).
    init(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .stringConvertible(let convertible): self = .string(convertible.description)
        case .array(let values): self = .array(values.map(LogValue.init))
        case .dictionary(let dictionary):
            self = .map(dictionary.keys.sorted().map { LogAttribute($0, LogValue(dictionary[$0]!)) })
        }
    }
}
