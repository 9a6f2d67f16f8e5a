/// How a flush or shutdown ended.
public enum CompletionResult: Sendable, Equatable {
    /// Everything completed.
    case success
    /// Something failed (an export, an exporter's flush or shutdown).
    case failure
    /// The deadline passed first.
    case timeout

    /// The combined result of several: a timeout wins, then a failure.
    package static func combined(_ results: [CompletionResult]) -> CompletionResult {
        if results.contains(.timeout) { return .timeout }
        if results.contains(.failure) { return .failure }
        return .success
    }
}
