#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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

    private let exporter: any SpanExporter
    private let ring: MPSCRingBuffer<FinishedSpan>
    private let logger: Logger
    private let metrics: ProcessorMetrics

    private let dropped = Atomic<Int>(0)
    /// The counts that change for every span the worker takes and every batch that settles,
    /// out of this object: on its lines, each change would take away from the app threads the
    /// line that they read on every span.
    private let workerCounts = CacheLineIsolated(WorkerCounts())
    private var counts: UnsafeMutablePointer<WorkerCounts> { workerCounts.pointer }
    private let isAccepting = Atomic<Bool>(true)
    private let isShutDown = Atomic<Bool>(false)
    /// The pushed count at which a producer must wake the sleeping worker; `Int.max` when the
    /// worker is awake. Exactly one push reaches it, so a batch causes at most one wake-up.
    private let wakeThreshold = Atomic<Int>(.max)

    private struct WorkerCounts: ~Copyable, Sendable {
        let exported = Atomic<Int>(0)
        let rejected = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
    }

    private struct Control {
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

    private let control = ConditionLock(Control())

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
        var configuration = configuration ?? Configuration(environment: OTelEnvironment(logger: logger))
        self.exporter = exporter
        self.ring = MPSCRingBuffer(minimumCapacity: configuration.maxQueueSize)
        // The settings are public vars: hold them to what the worker can run with. A zero
        // delay would make it spin, a batch of 0 or over the ring's size never fill.
        configuration.maxQueueSize = ring.capacity
        configuration.maxExportBatchSize = min(max(1, configuration.maxExportBatchSize), ring.capacity)
        configuration.scheduleDelay = max(.milliseconds(1), configuration.scheduleDelay)
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
        guard let position = ring.push(taking: &pending)
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

    // MARK: The worker thread

    private func runWorker() {
        var batch: [FinishedSpan] = []
        batch.reserveCapacity(configuration.maxExportBatchSize)
        var spans: [SpanData] = []
        spans.reserveCapacity(configuration.maxExportBatchSize)
        var nextExport = ContinuousClock.now + configuration.scheduleDelay
        var reported = ReportedCounts()

        while true {
            napWhileBatchFills(until: nextExport)
            let (flushGeneration, flushTarget, shutdownRequested) = control.wait(
                until: { state in
                    if state.hasRequest { return true }
                    // Publish where a producer must wake us, then look again: a push that
                    // missed the threshold is then seen here.
                    let threshold = ring.poppedCount + configuration.maxExportBatchSize
                    wakeThreshold.store(threshold, ordering: .sequentiallyConsistent)
                    return ring.pushedCount >= threshold
                },
                deadline: nextExport
            ) { state, _ in
                (state.flushRequested, state.flushTarget, state.shutdownRequested)
            }
            wakeThreshold.store(.max, ordering: .sequentiallyConsistent)

            if shutdownRequested {
                let failuresBefore = control.withLock { $0.failedExports }
                let result = exportAll(upTo: nil, batch: &batch, spans: &spans)
                // The exporter's shutdown waits for the exports it still has in flight, as long
                // as the caller waits.
                let exporterResult = exporter.shutdown(timeout: remaining(until: control.withLock { $0.shutdownDeadline }))
                report(&reported)
                finish(result: .combined([result, exporterResult, exportResult(since: failuresBefore)]))
                return
            }
            if flushGeneration > control.withLock({ $0.flushCompleted }) {
                let failuresBefore = control.withLock { $0.failedExports }
                let result = exportAll(upTo: flushTarget, batch: &batch, spans: &spans)
                let exporterResult = exporter.forceFlush(timeout: remaining(until: control.withLock { $0.flushDeadline }))
                let exportsResult = exportResult(since: failuresBefore)
                control.withLock { state in
                    state.flushCompleted = flushGeneration
                    state.flushResult = .combined([result, exporterResult, exportsResult])
                }
                control.broadcast()
            } else {
                // A full batch, or the schedule delay passed: one export.
                _ = exportBatch(batch: &batch, spans: &spans)
            }
            nextExport = ContinuousClock.now + configuration.scheduleDelay
            report(&reported)
        }
    }

    /// How long ``napWhileBatchFills(until:)`` waits for a batch at most, in naps of `napLength`.
    private static let maximumNapping = Duration.milliseconds(1)
    private static let napLength = Duration.microseconds(50)

    /// When at least half a batch is queued, spans are coming fast: the worker naps in short
    /// steps until the batch is full rather than sleeping until a producer wakes it, which
    /// costs that producer a system call (about 10 µs on the development machine, some 20 ns
    /// a span). Only while the queue has room for twice what the batch still lacks, so that
    /// spans that come during a nap are not dropped for want of room. It stops napping at
    /// `deadline`, after ``maximumNapping``, or when a flush or shutdown is asked for.
    private func napWhileBatchFills(until deadline: ContinuousClock.Instant) {
        let batchSize = configuration.maxExportBatchSize
        let napEnd = min(deadline, .now + Self.maximumNapping)
        while ContinuousClock.now < napEnd {
            let queued = ring.count
            let lacking = batchSize - queued
            guard queued * 2 >= batchSize, lacking > 0, ring.capacity - queued >= 2 * lacking else { return }
            if control.withLock(\.hasRequest) { return }
            PosixThread.sleep(for: Self.napLength)
        }
    }

    /// The time left until `deadline`, at least the export timeout: an exporter is always
    /// given the time one export may take.
    private func remaining(until deadline: ContinuousClock.Instant) -> Duration {
        max(deadline - .now, configuration.exportTimeout)
    }

    /// Failure if an export completed as a failure since `failuresBefore` was read.
    private func exportResult(since failuresBefore: Int) -> SpanProcessorResult {
        control.withLock { $0.failedExports > failuresBefore ? .failure : .success }
    }

    /// Exports until the popped count reaches `target` (nil: until the queue is empty and no
    /// more spans can arrive). Timeout when shutdown gave up on the remaining spans.
    private func exportAll(upTo target: Int?, batch: inout [FinishedSpan], spans: inout [SpanData]) -> SpanProcessorResult {
        while true {
            let goal = target ?? ring.pushedCount
            guard ring.poppedCount < goal else { break }
            guard exportBatch(batch: &batch, spans: &spans) else {
                if control.withLock({ $0.abandoned }) { return .timeout }
                // A producer claimed a slot but has not written it yet: it is about to.
                sched_yield()
                continue
            }
        }
        return control.withLock { $0.abandoned } ? .timeout : .success
    }

    /// Takes up to a batch from the queue and hands it to the exporter; false when there was
    /// nothing to take. The outcome is settled when the exporter completes it.
    @discardableResult
    private func exportBatch(batch: inout [FinishedSpan], spans: inout [SpanData]) -> Bool {
        while batch.count < configuration.maxExportBatchSize {
            // Moved from the ring into the batch: a `let` binding would be a copy, a reference counted.
            var span = ring.pop()
            guard span != nil else { break }
            batch.append(span.take()!)
        }
        let count = batch.count
        guard count > 0 else { return false }
        let (producersWait, abandoned) = control.withLock { ($0.waitingProducers > 0, $0.abandoned) }
        if producersWait {
            control.broadcast()
        }
        if abandoned {
            settle(nil, count: count)
        } else {
            freeze(&batch, into: &spans)
            exporter.export(spans, timeout: configuration.exportTimeout) { [self] result in
                settle(result, count: count)
            }
            spans.removeAll(keepingCapacity: true)
        }
        while !batch.isEmpty {
            // Straight from the batch: a bound copy would make the span's storage look shared.
            batch.removeLast().recycle()
        }
        return true
    }

    /// Freezes each span into SpanData: here, on the worker, not on the app threads.
    ///
    /// The app threads wrote the spans last, so the loop asks for spans a few ahead of the one
    /// it reads: their transfers between cores then overlap instead of each stalling in turn.
    private func freeze(_ batch: inout [FinishedSpan], into spans: inout [SpanData]) {
        // The spans are reached in place, as `inout`: a call on an element read from the array
        // would copy it, a reference counted per span.
        func prefetch(_ span: inout FinishedSpan) { span.prefetchForWrite() }
        func freeze(_ span: inout FinishedSpan) -> SpanData { span.spanData }
        batch.withUnsafeMutableBufferPointer { batch in
            for index in batch.indices {
                if index + Self.prefetchDistance < batch.count {
                    prefetch(&batch[index + Self.prefetchDistance])
                }
                spans.append(freeze(&batch[index]))
            }
        }
    }

    /// How many spans ahead of the one being frozen the worker asks for.
    private static let prefetchDistance = 4

    /// Accounts for an exported batch of `count` spans (nil: not exported, shutdown gave up).
    /// Under the control lock, so that an abandoning shutdown sees all or nothing; once
    /// shutdown gave up, the spans are already counted lost.
    private func settle(_ result: SpanExportResult?, count: Int) {
        control.withLock { state in
            guard let result, !state.abandoned else { return }
            switch result {
            case .success:
                counts.pointee.exported.add(count, ordering: .relaxed)
            case .partialSuccess(let refused, _):
                // The exporter, which knows the receiver's message, logs it.
                let refused = min(max(0, refused), count)
                counts.pointee.exported.add(count - refused, ordering: .relaxed)
                counts.pointee.rejected.add(refused, ordering: .relaxed)
            case .partialFailure(let failedCount, let refused, _):
                let failedCount = min(max(0, failedCount), count)
                let refused = min(max(0, refused), count - failedCount)
                counts.pointee.exported.add(count - failedCount - refused, ordering: .relaxed)
                counts.pointee.rejected.add(refused, ordering: .relaxed)
                counts.pointee.failed.add(failedCount, ordering: .relaxed)
                state.failedExports += 1
            case .failure:
                // Counted here; the exporter, which knows why, says so in its own log.
                counts.pointee.failed.add(count, ordering: .relaxed)
                state.failedExports += 1
            }
        }
    }

    private func finish(result: SpanProcessorResult) {
        control.withLock { state in
            if state.abandoned {
                // Already counted lost; release them.
                while ring.pop() != nil {}
            }
            state.shutdownResult = result
            // A flush that was still waiting is answered by the shutdown's drain.
            state.flushCompleted = state.flushRequested
            state.flushResult = result
        }
        control.broadcast()
    }

    /// The counts already reported to swift-metrics, and the drops already logged.
    private struct ReportedCounts {
        var dropped = 0
        var exported = 0
        var rejected = 0
        var failed = 0
        var lost = 0
        var loggedDropped = 0
        var lastDropWarning: ContinuousClock.Instant?
    }

    /// The shortest time between two drop warnings, so that a long overload logs a summary
    /// every so often rather than a line per export cycle.
    private static let dropWarningInterval = Duration.seconds(10)

    /// Reports what changed since the last cycle: metrics, and one warning if spans were dropped.
    private func report(_ reported: inout ReportedCounts) {
        let statistics = statistics
        var current = reported
        current.dropped = statistics.dropped
        current.exported = statistics.exported
        current.rejected = statistics.rejected
        current.failed = statistics.failed
        current.lost = statistics.lost
        metrics.record(
            exported: current.exported - reported.exported,
            rejected: current.rejected - reported.rejected,
            dropped: current.dropped - reported.dropped,
            failed: current.failed - reported.failed,
            lost: current.lost - reported.lost,
            queueSize: statistics.queued
        )
        let now = ContinuousClock.now
        if current.dropped > current.loggedDropped,
            current.lastDropWarning.map({ now - $0 >= Self.dropWarningInterval }) ?? true
        {
            logger.warning(
                "Dropped spans: the batch span processor's queue was full",
                metadata: [
                    "dropped": "\(current.dropped - current.loggedDropped)",
                    "dropped_total": "\(current.dropped)",
                    "queue_capacity": "\(ring.capacity)",
                ]
            )
            current.loggedDropped = current.dropped
            current.lastDropWarning = now
        }
        reported = current
    }
}
