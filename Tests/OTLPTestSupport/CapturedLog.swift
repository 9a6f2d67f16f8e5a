import Foundation
import Logging

/// A swift-log logger whose records are kept, to check what was logged and with what metadata.
public final class CapturedLog: @unchecked Sendable {
    /// One record: the level, the message, and the metadata (the provider's included).
    public struct Record: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: Logger.Metadata
    }

    private let lock = NSLock()
    private var storedRecords: [Record] = []

    public init() {}

    /// A logger that records here, every level included.
    /// - Parameter metadataProvider: a metadata provider the handler asks on each record.
    public func makeLogger(metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: "captured", factory: { _ in Handler(log: self, metadataProvider: metadataProvider) })
        logger.logLevel = .trace
        return logger
    }

    /// A logger that records here, every level included.
    public var logger: Logger { makeLogger() }

    /// What was logged, in order.
    public var records: [Record] {
        lock.withLock { storedRecords }
    }

    /// Each record as its message followed by its metadata, for a quick look.
    public var messages: [String] {
        records.map { record in
            ([record.message] + record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                .joined(separator: " ")
        }
    }

    fileprivate func append(_ record: Record) {
        lock.withLock { storedRecords.append(record) }
    }

    private struct Handler: LogHandler {
        let capturedLog: CapturedLog
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        init(log: CapturedLog, metadataProvider: Logger.MetadataProvider?) {
            self.capturedLog = log
            self.metadataProvider = metadataProvider
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            merged.merge(metadataProvider?.get() ?? [:]) { _, provided in provided }
            merged.merge(event.metadata ?? [:]) { _, explicit in explicit }
            capturedLog.append(Record(level: event.level, message: "\(event.message)", metadata: merged))
        }
    }
}
