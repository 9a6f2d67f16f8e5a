import Logging

/// A swift-log handler that turns each log call into an OpenTelemetry log record and hands it
/// to its ``LoggerProvider``'s processors, which export it (over OTLP, to the console, ...).
///
/// Made by ``LoggerProvider/makeLogHandler(label:)``; bootstrap swift-log
/// with it (`LoggingSystem.bootstrap(provider.makeLogHandler)`), or beside another handler in
/// one line, logs to standard output and OTLP at once:
///
/// ```swift
/// LoggingSystem.bootstrap { label in
///     MultiplexLogHandler([StreamLogHandler.standardOutput(label: label), provider.makeLogHandler(label: label)])
/// }
/// ```
///
/// Logging costs the calling thread the record's making and a push into the processor's
/// queue: it never waits for the network. A record made inside a span carries that span's
/// trace id, span id and trace flags.
public struct OTelLogHandler: LogHandler {
    /// The handler's metadata; it becomes attributes of every record, below the metadata
    /// provider's and the call's.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level logged; default `info`, as swift-log's own handlers have it.
    public var logLevel: Logger.Level = .info
    /// Adds metadata to each record, for example from task-local values; below the call's.
    public var metadataProvider: Logger.MetadataProvider?
    let logger: OTelLogger

    init(logger: OTelLogger, metadataProvider: Logger.MetadataProvider?) {
        self.logger = logger
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        logger.emit(event, handlerMetadata: metadata, metadataProvider: metadataProvider)
    }
}
