import CoreMetrics
import Logging
import Synchronization

/// A signal's bounded lock-free queue and the worker thread that exports it in batches: the
/// machinery of every batch processor (``BatchSpanProcessor``), which only says what a record
/// is and where its batches go (a ``BatchedSignal``).
///
/// Pushing a record puts it into a lock-free ring (many producers, one consumer): no lock, no
/// system call, no allocation. The worker exports once a full batch is queued, and otherwise
/// every schedule delay; exports never overlap. A producer wakes the worker at most once per
/// batch, and only when it sleeps. While records come fast (half a batch queued again when an
/// export ends), the worker rather naps in short steps until the batch is full, so that
/// producers seldom need to wake it. When the queue is full, the record is dropped and counted
/// (or, with `blocksWhenFull`, the producer waits for room).
///
/// Every record is accounted for (``statistics``): exported, rejected by the receiver, dropped,
/// failed, lost at shutdown, queued, or being exported.
final class BatchQueue<Signal: BatchedSignal>: Sendable {
    /// The settings the worker runs with.
    let settings: BatchSettings

    let signal: Signal
    let ring: MPSCRingBuffer<Signal.Record>
    let logger: Logger
    let metrics: BatchProcessorMetrics

    let dropped = Atomic<Int>(0)
    /// The counts that change for every record the worker takes and every batch that settles,
    /// out of this object: on its lines, each change would take away from the app threads the
    /// line that they read on every push.
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
        var flushResult = CompletionResult.success
        var shutdownRequested = false
        /// When shutdown's caller stops waiting: the exporter may use what is left.
        var shutdownDeadline = ContinuousClock.now
        var shutdownResult: CompletionResult?
        /// Set when shutdown's deadline passed: every record not exported or failed by then is
        /// counted lost, and the worker counts nothing more.
        var abandoned = false
        var waitingProducers = 0
        /// Exports that ended in failure or partial failure so far, for flush results.
        var failedExports = 0

        /// A flush or shutdown is waiting for the worker.
        var hasRequest: Bool { shutdownRequested || flushRequested > flushCompleted }
    }

    let control = ConditionLock(Control())

    /// Makes the queue, with `settings` held to what the worker can run with, and starts its
    /// worker thread. Its self-metrics go to `metricsFactory`, or to swift-metrics' bootstrapped
    /// factory when nil.
    init(signal: Signal, settings: BatchSettings, metricsFactory: (any MetricsFactory)?, logger: Logger) {
        let settings = settings.usable(
            processor: Signal.names.processor,
            ringCapacity: MPSCRingBuffer<Signal.Record>.capacity(forMinimum:),
            logger: logger
        )
        self.signal = signal
        self.settings = settings
        self.ring = MPSCRingBuffer(minimumCapacity: settings.maxQueueSize)
        self.logger = logger
        self.metrics = BatchProcessorMetrics(names: Signal.names, capacity: ring.capacity, factory: metricsFactory)
        PosixThread.start(name: Signal.names.threadName) { [self] in runWorker() }
    }

    // MARK: App threads

    /// Queues `record`, or drops and counts it when the queue is full or shut down.
    @inline(__always)
    func push(_ record: consuming Signal.Record) {
        guard isAccepting.load(ordering: .relaxed) else {
            dropped.add(1, ordering: .relaxed)
            return
        }
        // Moved into the ring, not copied: a copy would count a reference on this thread that
        // the worker then releases on its own.
        var pending = Optional(record)
        guard
            let position = ring.push(taking: &pending)
                ?? (settings.blocksWhenFull ? pushWaitingForRoom(&pending) : nil)
        else {
            dropped.add(1, ordering: .relaxed)
            return
        }
        if position + 1 == wakeThreshold.load(ordering: .sequentiallyConsistent) {
            control.broadcast()
        }
    }

    /// Pushes `record`, waiting for the worker to make room; nil once the queue shuts down.
    private func pushWaitingForRoom(_ record: inout Signal.Record?) -> Int? {
        control.withLock { $0.waitingProducers += 1 }
        defer { control.withLock { $0.waitingProducers -= 1 } }
        while isAccepting.load(ordering: .relaxed) {
            if let position = ring.push(taking: &record) { return position }
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

    /// Exports every record queued before the call, then flushes the exporter.
    func forceFlush(timeout: Duration) -> CompletionResult {
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

    /// Stops accepting records, exports what is queued, flushes and shuts the exporter down;
    /// returns within `timeout` even if the exporter hangs, counting what it could not export
    /// as lost. Only the first call does anything; later calls return success.
    func shutdown(timeout: Duration) -> CompletionResult {
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
            // From now on the worker settles nothing more: every record pushed and not settled,
            // now or later, is lost (see `statistics`).
            state.abandoned = true
            return .timeout
        }
    }

    /// Where every record received so far is now.
    ///
    /// What is being exported is derived rather than counted: the records taken from the queue
    /// and not yet settled. Settling happens under the control lock, as this read does, and
    /// each position is read once, so the parts always add up to what was received. Once
    /// shutdown gave up, every record pushed and not settled is lost; the worker settles
    /// nothing more then, so this holds for records pushed even after shutdown returned.
    var statistics: BatchProcessorStatistics {
        control.withLock { state in
            let dropped = dropped.load(ordering: .relaxed)
            let popped = ring.poppedCount
            let pushed = ring.pushedCount
            let exported = counts.pointee.exported.load(ordering: .relaxed)
            let rejected = counts.pointee.rejected.load(ordering: .relaxed)
            let failed = counts.pointee.failed.load(ordering: .relaxed)
            let settled = exported + rejected + failed
            return BatchProcessorStatistics(
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
