import OTelSDK

/// The requests of one exported batch on their way, and the one channel their outcomes come
/// back on: each request's end is reported here (by its lane, or by the exporter when no lane
/// took it), and once the last one has ended the batch completes with its ``Outcome``.
final class BatchDelivery: Sendable {
    /// How a batch ended: its result for the processor, and what its requests did, for the
    /// exporter's statistics.
    struct Outcome {
        var result: ExportResult
        var sent = 0
        var rejected = 0
        var failed = 0
        var retries = 0
        var encodedBytes = 0
        var sentBytes = 0
        /// The first error of a request that failed.
        var error: (any Error)?
        /// The collector's explanation of the latest partial success.
        var rejectionMessage = ""
    }

    private struct State {
        /// Requests submitted and not ended, plus one while requests are still being submitted.
        var pending = 1
        var outcome = Outcome(result: .success)
    }

    let itemCount: Int
    private let completion: @Sendable (Outcome) -> Void
    private let state = ConditionLock(State())

    /// A batch of `itemCount` items whose `completion` is called once, when its last request ended.
    init(itemCount: Int, completion: @escaping @Sendable (Outcome) -> Void) {
        self.itemCount = itemCount
        self.completion = completion
    }

    /// A request of `encodedBytes` is on its way.
    func requestSubmitted(encodedBytes: Int) {
        state.withLock {
            $0.pending += 1
            $0.outcome.encodedBytes += encodedBytes
        }
    }

    /// Items refused before sending (too large to send alone).
    func rejectedBeforeSending(_ count: Int) {
        state.withLock { $0.outcome.rejected += count }
    }

    /// A request of `itemCount` items was delivered; the receiver may have refused some.
    func requestDelivered(itemCount: Int, partialSuccess: OTLPPartialSuccess?, sentBytes: Int, retries: Int) {
        finishRequest { outcome in
            outcome.sent += itemCount
            outcome.sentBytes += sentBytes
            outcome.retries += retries
            if let partialSuccess, partialSuccess.rejected > 0 || !partialSuccess.errorMessage.isEmpty {
                outcome.rejected += Int(clamping: partialSuccess.rejected)
                outcome.rejectionMessage = partialSuccess.errorMessage
            }
        }
    }

    /// A request of `itemCount` items was not delivered.
    func requestFailed(itemCount: Int, error: any Error, retries: Int = 0) {
        finishRequest { outcome in
            outcome.failed += itemCount
            outcome.retries += retries
            if outcome.error == nil { outcome.error = error }
        }
    }

    /// Every request has been submitted; the batch completes when they have all ended.
    func submissionFinished() {
        finishRequest { _ in }
    }

    private func finishRequest(_ update: (inout Outcome) -> Void) {
        let outcome: Outcome? = state.withLock { state in
            update(&state.outcome)
            state.pending -= 1
            guard state.pending == 0 else { return nil }
            var outcome = state.outcome
            outcome.rejected = min(outcome.rejected, itemCount - outcome.failed)
            if let error = outcome.error {
                outcome.result =
                    outcome.failed >= itemCount
                    ? .failure(error)
                    : .partialFailure(failed: outcome.failed, rejected: outcome.rejected, error: error)
            } else if outcome.rejected > 0 || !outcome.rejectionMessage.isEmpty {
                outcome.result = .partialSuccess(rejected: outcome.rejected, message: outcome.rejectionMessage)
            }
            return outcome
        }
        if let outcome { completion(outcome) }
    }
}
