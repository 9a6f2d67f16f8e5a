import Logging

/// How severe a log record is: the OpenTelemetry log data model's severity number (1 to 24)
/// and the text the source used.
public struct LogSeverity: Sendable, Equatable {
    /// From 1 (TRACE) to 24 (FATAL4); 0 when unspecified.
    public let number: Int
    /// The level as its source wrote it: `info`, `warning`.
    public let text: String

    /// Creates a severity.
    /// - Parameters:
    ///   - number: from 1 to 24, or 0 for unspecified.
    ///   - text: the level as its source wrote it.
    public init(number: Int, text: String) {
        self.number = number
        self.text = text
    }

    /// A swift-log level's severity, by the specification's mapping of its levels: trace 1,
    /// debug 5, info 9, notice 10 (INFO2), warning 13, error 17, critical 18 (ERROR2). The
    /// text is the level's name.
    /// - Parameter level: the swift-log level.
    public init(_ level: Logger.Level) {
        self.init(number: Self.number(of: level), text: level.rawValue)
    }

    private static func number(of level: Logger.Level) -> Int {
        switch level {
        case .trace: 1
        case .debug: 5
        case .info: 9
        case .notice: 10
        case .warning: 13
        case .error: 17
        case .critical: 18
        }
    }
}
