import OTelSDK

/// The spans and counters a receiver collected, shared by its listeners' event loop and the
/// tasks that wait for spans.
final class ReceivedSpanStore: Sendable {
    private struct Waiter {
        let count: Int
        let continuation: CheckedContinuation<[SpanData], any Error>
    }

    private struct State {
        var spans: [SpanData] = []
        var statistics = OTLPReceiverStatistics()
        var decodedRequests = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiterID = 0
        var stopped = false
    }

    private let maximumStoredSpans: Int
    private let state = ConditionLock(State())

    init(maximumStoredSpans: Int) {
        self.maximumStoredSpans = maximumStoredSpans
    }

    var spans: [SpanData] { state.withLock { $0.spans } }
    var statistics: OTLPReceiverStatistics { state.withLock { $0.statistics } }

    func recordArrival(bytes: Int) {
        state.withLock {
            $0.statistics.requests += 1
            $0.statistics.bytes += bytes
        }
    }

    func recordRefusal() {
        state.withLock { $0.statistics.refusedRequests += 1 }
    }

    /// The next request sequence number, from 1.
    func nextRequestNumber() -> Int {
        state.withLock {
            $0.decodedRequests += 1
            return $0.decodedRequests
        }
    }

    func accept(_ decoded: DecodedSpans) {
        let ready: [(Waiter, [SpanData])] = state.withLock { state in
            state.statistics.spans += decoded.count
            let room = max(0, maximumStoredSpans - state.spans.count)
            state.spans.append(contentsOf: decoded.spans.prefix(room))
            let satisfied = state.waiters.filter { $0.value.count <= state.statistics.spans }
            for id in satisfied.keys { state.waiters[id] = nil }
            return satisfied.values.map { ($0, state.spans) }
        }
        for (waiter, spans) in ready { waiter.continuation.resume(returning: spans) }
    }

    func waitForSpans(count: Int, timeout: Duration) async throws -> [SpanData] {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.finishWaiter(id) { .timedOut(expected: count, received: $0.statistics.spans) }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<[SpanData], any Error>? = state.withLock { state in
                    if state.stopped { return .failure(OTLPReceiverError.stopped) }
                    if state.statistics.spans >= count { return .success(state.spans) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = Waiter(count: count, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            self.finishWaiter(id) { _ in nil }
        }
    }

    /// Ends every pending wait; true only for the first call.
    func stop() -> Bool {
        let stopped: (first: Bool, waiters: [Waiter]) = state.withLock { state in
            defer {
                state.stopped = true
                state.waiters = [:]
            }
            return (!state.stopped, Array(state.waiters.values))
        }
        for waiter in stopped.waiters { waiter.continuation.resume(throwing: OTLPReceiverError.stopped) }
        return stopped.first
    }

    /// Ends a pending wait with the error `reason` gives (a cancellation when it gives nil).
    private func finishWaiter(_ id: Int, reason: (State) -> OTLPReceiverError?) {
        let finished: (Waiter, any Error)? = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
            return (waiter, reason(state) ?? CancellationError())
        }
        if let (waiter, error) = finished { waiter.continuation.resume(throwing: error) }
    }
}
