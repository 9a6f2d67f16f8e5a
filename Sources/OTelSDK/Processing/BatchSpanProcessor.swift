import Logging
import Metrics
import Synchronization

/// Queues ended spans and exports them in batches from a worker thread of its own, so that
/// the threads that end spans never wait for the network.
///
/// Ending a span pushes it into a lock-free ring (many producers, one consumer): no lock, no
/// system call, no allocation. The worker exports once a full batch
/// (``Configuration/maxExportBatchSize``) is queued, and otherwise every
/// ``Configuration/scheduleDelay``; exports never overlap. A producer wakes the worker at most
/// once per batch, and only when it sleeps. While spans come fast (half a batch queued again
/// when an export ends), the worker rather naps in 50 µs steps until the batch is full, so
/// that producers seldom need to wake it. When the queue is full, the span is dropped and
/// counted (or, with ``Configuration/blocksWhenFull``, the producer waits for room).
///
/// Every span is accounted for (``statistics``): exported, rejected by the receiver, dropped,
/// failed, lost at shutdown, queued, or being exported. With swift-metrics bootstrapped, the processor also reports
/// `otel.sdk.processor.span.processed` (with `error.type` for spans that did not make it),
/// `otel.sdk.processor.span.queue.size` and `otel.sdk.processor.span.queue.capacity`.
///
/// Call `shutdown(timeout:)`, blocking or async (or the provider's), before the process exits:
/// it exports what is queued and stops the worker thread.
public final class BatchSpanProcessor: SpanProcessor {
    /// The settings the processor runs with (the batch size clamped to the queue size).
    public let configuration: Configuration

    let exporter: any SpanExporter
    let ring: MPSCRingBuffer<FinishedSpan>
    let logger: Logger
    let metrics: ProcessorMetrics

    let dropped = Atomic<Int>(0)
    /// The counts that change for every span the worker takes and every batch that settles,
    /// out of this object: on its lines, each change would take away from the app threads the
    /// line that they read on every span.
    let workerCounts = CacheLineIsolated(WorkerCounts())
    var counts: UnsafeMutablePointer<WorkerCounts> { workerCounts.pointer }
    let isAccepting = Atomic<Bool>(true)
    let isShutDown = Atomic<Bool>(false)
    /// The pushed count at which a producer must wake the sleeping worker; `Int.max` when the
    /// worker is awake. Exactly one push reaches it, so a batch causes at most one wake-up.
    let wakeThreshold = Atomic<Int>(.max)

    struct WorkerCounts: ~Copyable, Sendable {
        let exported = Atomic<Int>(0)
        let rejected = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
    }

    struct Control {
        var flushRequested = 0
        var flushTarget = 0
        /// When the latest flush's caller stops waiting: the exporter may use what is left.
        var flushDeadline = ContinuousClock.now
        var flushCompleted = 0
        var flushResult = SpanProcessorResult.success
        var shutdownRequested = false
        /// When shutdown's caller stops waiting: the exporter may use what is left.
        var shutdownDeadline = ContinuousClock.now
        var shutdownResult: SpanProcessorResult?
        /// Set when shutdown's deadline passed: every span not exported or failed by then is
        /// counted lost, and the worker counts nothing more.
        var abandoned = false
        var waitingProducers = 0
        /// Exports that ended in failure or partial failure so far, for flush results.
        var failedExports = 0

        /// A flush or shutdown is waiting for the worker.
        var hasRequest: Bool { shutdownRequested || flushRequested > flushCompleted }
    }

    let control = ConditionLock(Control())

    /// Creates the processor and starts its worker thread.
    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: default from the `OTEL_BSP_*` environment variables, else the
    ///     specification's defaults.
    ///   - logger: diagnostics; default label `otel-sdk`.
    public init(
        exporter: any SpanExporter,
        configuration: Configuration? = nil,
        logger: Logger = .otelSDK
    ) {
        // The settings are public vars: hold them to what the worker can run with. A zero
        // delay would make it spin, a batch of 0 or over the ring's size never fill.
        let configuration = (configuration ?? Configuration(environment: OTelEnvironment(logger: logger)))
            .usable(ringCapacity: MPSCRingBuffer<FinishedSpan>.capacity(forMinimum:), logger: logger)
        self.exporter = exporter
        self.ring = MPSCRingBuffer(minimumCapacity: configuration.maxQueueSize)
        self.configuration = configuration
        self.logger = logger
        self.metrics = ProcessorMetrics(capacity: ring.capacity)
        PosixThread.start(name: "otel-span-batch") { [self] in runWorker() }
    }

    // MARK: App threads

    /// False: this processor only acts when spans end.
    public var isStartRequired: Bool { false }

    public func onEnd(_ span: consuming FinishedSpan) {
        guard span.isSampled else { return }
        guard isAccepting.load(ordering: .relaxed) else {
            dropped.add(1, ordering: .relaxed)
            return
        }
        // Moved into the ring, not copied: a copy would count a reference on this thread that
        // the worker then releases on its own.
        var pending = Optional(span)
        guard
            let position = ring.push(taking: &pending)
                ?? (configuration.blocksWhenFull ? pushWaitingForRoom(&pending) : nil)
        else {
            dropped.add(1, ordering: .relaxed)
            return
        }
        if position + 1 == wakeThreshold.load(ordering: .sequentiallyConsistent) {
            control.broadcast()
        }
    }

    /// Pushes `span`, waiting for the worker to make room; nil once the processor shuts down.
    private func pushWaitingForRoom(_ span: inout FinishedSpan?) -> Int? {
        control.withLock { $0.waitingProducers += 1 }
        defer { control.withLock { $0.waitingProducers -= 1 } }
        while isAccepting.load(ordering: .relaxed) {
            if let position = ring.push(taking: &span) { return position }
            control.broadcast()
            // Woken when the worker takes a batch; the deadline only guards against a lost wake-up.
            control.wait(
                until: { [ring] _ in ring.count < ring.capacity },
                deadline: .now + .milliseconds(10)
            ) { _, _ in }
        }
        return nil
    }

    // MARK: Flush and shutdown

    /// Exports every span queued before the call, then flushes the exporter.
    /// - Parameter timeout: how long to wait.
    /// - Returns: success; failure if an export or the exporter's flush failed; timeout.
    public func forceFlush(timeout: Duration) -> SpanProcessorResult {
        let deadline = ContinuousClock.now + timeout
        let generation = control.withLock { state in
            if state.shutdownResult != nil || state.shutdownRequested { return 0 }
            state.flushRequested += 1
            state.flushTarget = ring.pushedCount
            state.flushDeadline = max(state.flushDeadline, deadline)
            return state.flushRequested
        }
        guard generation > 0 else { return .success }
        control.broadcast()
        return control.wait(until: { $0.flushCompleted >= generation }, deadline: deadline) { state, isDone in
            isDone ? state.flushResult : .timeout
        }
    }

    /// Stops accepting spans, exports what is queued, and shuts the exporter down; returns
    /// within `timeout` even if the exporter hangs, counting what it could not export as lost.
    /// Only the first call does anything; later calls return success.
    /// - Parameter timeout: how long to wait.
    public func shutdown(timeout: Duration) -> SpanProcessorResult {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return .success }
        let deadline = ContinuousClock.now + timeout
        isAccepting.store(false, ordering: .sequentiallyConsistent)
        control.withLock { state in
            state.shutdownRequested = true
            state.shutdownDeadline = deadline
        }
        control.broadcast()
        return control.wait(until: { $0.shutdownResult != nil }, deadline: deadline) { state, isDone in
            if isDone { return state.shutdownResult ?? .success }
            // From now on the worker settles nothing more: every span pushed and not settled,
            // now or later, is lost (see `statistics`).
            state.abandoned = true
            return .timeout
        }
    }

    /// ``forceFlush(timeout:)`` without blocking the calling task's thread.
    public func forceFlush(timeout: Duration) async -> SpanProcessorResult {
        await BlockingWork.run { self.forceFlush(timeout: timeout) }
    }

    /// ``shutdown(timeout:)`` without blocking the calling task's thread.
    public func shutdown(timeout: Duration) async -> SpanProcessorResult {
        await BlockingWork.run { self.shutdown(timeout: timeout) }
    }

    /// Where every span received so far is now.
    ///
    /// What is being exported is derived rather than counted: the spans taken from the queue
    /// and not yet settled. Settling happens under the control lock, as this read does, and
    /// each position is read once, so the parts always add up to what was received. Once
    /// shutdown gave up, every span pushed and not settled is lost; the worker settles
    /// nothing more then, so this holds for spans pushed even after shutdown returned.
    public var statistics: Statistics {
        control.withLock { state in
            let dropped = dropped.load(ordering: .relaxed)
            let popped = ring.poppedCount
            let pushed = ring.pushedCount
            let exported = counts.pointee.exported.load(ordering: .relaxed)
            let rejected = counts.pointee.rejected.load(ordering: .relaxed)
            let failed = counts.pointee.failed.load(ordering: .relaxed)
            let settled = exported + rejected + failed
            return Statistics(
                received: pushed + dropped,
                exported: exported,
                rejected: rejected,
                dropped: dropped,
                failed: failed,
                lost: state.abandoned ? max(0, pushed - settled) : 0,
                queued: state.abandoned ? 0 : pushed - popped,
                exporting: state.abandoned ? 0 : popped - settled
            )
        }
    }
}
