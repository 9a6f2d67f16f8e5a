import OTLPExporter
import OTelSDK

/// The spans, log records, metrics and counters a receiver collected, shared by its listeners' event
/// loop and the tasks that wait for what arrives.
final class ReceivedItemStore: Sendable {
    private struct Waiter {
        let signal: OTLPSignal
        let count: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var spans: [SpanData] = []
        var logRecords: [LogRecordData] = []
        var metrics: [MetricData] = []
        var statistics = OTLPReceiverStatistics()
        var decodedRequests = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiterID = 0
        var stopped = false

        /// How many items of `signal` arrived: spans, log records or data points.
        func received(_ signal: OTLPSignal) -> Int {
            switch signal {
            case .logs: statistics.logRecords
            case .metrics: statistics.dataPoints
            default: statistics.spans
            }
        }
    }

    private let maximumStoredItems: Int
    private let state = ConditionLock(State())

    /// A store that keeps at most `maximumStoredItems` spans, as many log records and as many
    /// metrics.
    init(maximumStoredItems: Int) {
        self.maximumStoredItems = maximumStoredItems
    }

    var spans: [SpanData] { state.withLock { $0.spans } }
    var logRecords: [LogRecordData] { state.withLock { $0.logRecords } }
    var metrics: [MetricData] { state.withLock { $0.metrics } }
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

    func accept(_ decoded: DecodedItems) {
        let ready: [Waiter] = state.withLock { state in
            switch decoded.signal {
            case .logs:
                state.statistics.logRecords += decoded.count
                let room = max(0, maximumStoredItems - state.logRecords.count)
                state.logRecords.append(contentsOf: decoded.logRecords.prefix(room))
            case .metrics:
                state.statistics.dataPoints += decoded.count
                let room = max(0, maximumStoredItems - state.metrics.count)
                state.metrics.append(contentsOf: decoded.metrics.prefix(room))
            default:
                state.statistics.spans += decoded.count
                let room = max(0, maximumStoredItems - state.spans.count)
                state.spans.append(contentsOf: decoded.spans.prefix(room))
            }
            let satisfied = state.waiters.filter { $0.value.count <= state.received($0.value.signal) }
            for id in satisfied.keys { state.waiters[id] = nil }
            return Array(satisfied.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Waits until at least `count` items of `signal` have been accepted.
    func waitFor(_ count: Int, of signal: OTLPSignal, timeout: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.finishWaiter(id) { .timedOut(expected: count, received: $0.received(signal)) }
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<Void, any Error>? = state.withLock { state in
                    if state.stopped { return .failure(OTLPReceiverError.stopped) }
                    if state.received(signal) >= count { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = Waiter(signal: signal, count: count, continuation: continuation)
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
