import OTelSDK

/// The requests of one exported batch on their way: counts what each request came to and
/// completes the batch once the last one ended.
final class BatchDelivery: @unchecked Sendable {
    private struct State {
        /// Requests submitted and not ended, plus one while requests are still being submitted.
        var pending = 1
        var failedSpans = 0
        var rejectedSpans = 0
        var rejectionMessage = ""
        var firstError: (any Error)?
    }

    let spanCount: Int
    private let completion: @Sendable (SpanExportResult) -> Void
    private let state = ConditionLock(State())

    init(spanCount: Int, completion: @escaping @Sendable (SpanExportResult) -> Void) {
        self.spanCount = spanCount
        self.completion = completion
    }

    /// A request of the batch is on its way.
    func requestSubmitted() {
        state.withLock { $0.pending += 1 }
    }

    /// Spans refused before sending (too large to send alone).
    func rejectedBeforeSending(_ count: Int) {
        state.withLock { $0.rejectedSpans += count }
    }

    /// A request was delivered; the receiver may have refused some of its spans.
    func requestDelivered(rejectedSpans: Int, message: String) {
        finishRequest { state in
            if rejectedSpans > 0 || !message.isEmpty {
                state.rejectedSpans += rejectedSpans
                state.rejectionMessage = message
            }
        }
    }

    /// A request of `spanCount` spans was not delivered.
    func requestFailed(spanCount: Int, error: any Error) {
        finishRequest { state in
            state.failedSpans += spanCount
            if state.firstError == nil { state.firstError = error }
        }
    }

    /// Every request has been submitted; the batch completes when they have all ended.
    func submissionFinished() {
        finishRequest { _ in }
    }

    private func finishRequest(_ update: (inout State) -> Void) {
        let result: SpanExportResult? = state.withLock { state in
            update(&state)
            state.pending -= 1
            guard state.pending == 0 else { return nil }
            let rejected = min(state.rejectedSpans, spanCount - state.failedSpans)
            if let error = state.firstError {
                return state.failedSpans >= spanCount
                    ? .failure(error)
                    : .partialFailure(failed: state.failedSpans, rejected: rejected, error: error)
            }
            return rejected > 0 || !state.rejectionMessage.isEmpty
                ? .partialSuccess(rejected: rejected, message: state.rejectionMessage)
                : .success
        }
        if let result { completion(result) }
    }
}
