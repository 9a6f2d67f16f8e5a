import OTelSDK

/// A transport handed to the one lane thread that uses it from then on.
private struct LaneTransport: @unchecked Sendable {
    let transport: any OTLPTransport
}

/// Delivers requests on several lanes at once: each lane is a thread with a transport (a
/// libcurl handle) of its own that sends one request at a time, with retries. Several
/// requests are in flight, so that a slow round trip or a fresh connection per call (the
/// h2c defect of libcurl < 8.0) does not stall the exporter, while each lane keeps the simple
/// synchronous send-and-retry of one request. A lane reports how each request ended to the
/// request's ``BatchDelivery``, and nowhere else.
final class DeliveryLanes: @unchecked Sendable {
    private struct State {
        var queue: [PendingRequest] = []
        /// Requests queued or being sent.
        var inFlight = 0
        var closed = false
    }

    /// How a request ended, after its retries.
    private enum Outcome {
        case delivered(OTLPPartialSuccess?)
        case failed(any Error)
    }

    let maximumInFlight: Int
    private let state = ConditionLock(State(), conditionCount: 2)
    /// What idle lanes wait on: a request wakes one of them, and none of the exporter's
    /// threads that wait on the shared condition for room or for the lanes to be idle.
    private static let work = ConditionLock<State>.Condition(index: 1)
    private let retryPolicy: RetryPolicy

    /// Starts a lane per transport.
    init(transports: [any OTLPTransport], retryPolicy: RetryPolicy) {
        maximumInFlight = transports.count
        self.retryPolicy = retryPolicy
        for (index, transport) in transports.enumerated() {
            let owned = LaneTransport(transport: transport)
            PosixThread.start(name: "otlp-export-\(index + 1)") { [self] in runLane(owned.transport) }
        }
    }

    /// Queues `request`, first waiting while every lane is busy. False when the deadline
    /// passed before a lane was free, or the lanes are closed.
    func submit(_ request: PendingRequest) -> Bool {
        let accepted = state.wait(until: { $0.closed || $0.inFlight < maximumInFlight }, deadline: request.deadline) {
            state,
            isDone in
            guard isDone, !state.closed else { return false }
            state.inFlight += 1
            state.queue.append(request)
            return true
        }
        if accepted { state.signal(Self.work) }
        return accepted
    }

    /// Waits until no request is queued or being sent; false when `deadline` passed first.
    func waitUntilIdle(deadline: ContinuousClock.Instant) -> Bool {
        state.wait(until: { $0.inFlight == 0 }, deadline: deadline) { _, isDone in isDone }
    }

    /// Lanes finish the requests they have and then stop; no request is accepted any more.
    func close() {
        state.withLock { $0.closed = true }
        state.broadcast(Self.work)
        state.broadcast()
    }

    private func runLane(_ transport: any OTLPTransport) {
        while true {
            let next: PendingRequest? = state.wait(
                on: Self.work,
                until: { !$0.queue.isEmpty || $0.closed },
                deadline: nil
            ) {
                state,
                _ in
                state.queue.isEmpty ? nil : state.queue.removeFirst()
            }
            guard let request = next else { return }
            var retries = 0
            let outcome = request.body.withUnsafeBytes { body in
                deliver(body, on: transport, until: request.deadline, retries: &retries)
            }
            switch outcome {
            case .delivered(let partial):
                request.batch.requestDelivered(
                    itemCount: request.itemCount,
                    partialSuccess: partial,
                    sentBytes: transport.lastRequestBytes,
                    retries: retries
                )
            case .failed(let error):
                request.batch.requestFailed(itemCount: request.itemCount, error: error, retries: retries)
            }
            state.withLock { $0.inFlight -= 1 }
            state.broadcast()
        }
    }

    /// Sends `body` until it is accepted, refused for good, or the deadline leaves no time.
    private func deliver(
        _ body: UnsafeRawBufferPointer,
        on transport: any OTLPTransport,
        until deadline: ContinuousClock.Instant,
        retries: inout Int
    ) -> Outcome {
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else {
                return .failed(OTLPTransportError(reason: "the export timeout passed before the request could be sent"))
            }
            let wait: Duration
            let lastError: any Error
            switch transport.attempt(body, timeout: remaining) {
            case .accepted(let partial):
                return .delivered(partial)
            case .refused(let error):
                return .failed(error)
            case .retryable(let error, let delay):
                lastError = error
                // A server's "retry after 0 s" is not an invitation to hammer it.
                wait = max(delay ?? .zero, retryPolicy.backoff(attempt: retries))
            }
            guard ContinuousClock.now + wait < deadline else { return .failed(lastError) }
            // The lane has nothing else to do while it waits.
            PosixThread.sleep(for: wait)
            retries += 1
        }
    }
}
