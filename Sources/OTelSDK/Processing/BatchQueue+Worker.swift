import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The worker thread: it takes batches from the queue, has the signal prepare and export them,
/// settles their outcome, and answers flushes and shutdown.
extension BatchQueue {
    func runWorker() {
        var batch: [Signal.Record] = []
        batch.reserveCapacity(settings.maxExportBatchSize)
        var exportables: [Signal.Exportable] = []
        exportables.reserveCapacity(settings.maxExportBatchSize)
        var nextExport = ContinuousClock.now + settings.scheduleDelay
        var reported = ReportedCounts()

        while true {
            napWhileBatchFills(until: nextExport)
            let (flushGeneration, flushTarget, shutdownRequested) = control.wait(
                until: { state in
                    if state.hasRequest { return true }
                    // Publish where a producer must wake us, then look again: a push that
                    // missed the threshold is then seen here.
                    let threshold = ring.poppedCount + settings.maxExportBatchSize
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
                let result = exportAll(upTo: nil, batch: &batch, exportables: &exportables)
                // "Shutdown MUST include the effects of ForceFlush" (OpenTelemetry trace SDK):
                // the exporter is flushed, then shut down. Both wait for the exports it still
                // has in flight, as long as the caller waits.
                let shutdownDeadline = control.withLock { $0.shutdownDeadline }
                let flushResult = signal.forceFlush(timeout: remaining(until: shutdownDeadline))
                let exporterResult = signal.shutdown(timeout: remaining(until: shutdownDeadline))
                report(&reported)
                finish(
                    result: .combined([result, flushResult, exporterResult, exportResult(since: failuresBefore)])
                )
                return
            }
            if flushGeneration > control.withLock({ $0.flushCompleted }) {
                let failuresBefore = control.withLock { $0.failedExports }
                let result = exportAll(upTo: flushTarget, batch: &batch, exportables: &exportables)
                let exporterResult = signal.forceFlush(
                    timeout: remaining(until: control.withLock { $0.flushDeadline })
                )
                let exportsResult = exportResult(since: failuresBefore)
                control.withLock { state in
                    state.flushCompleted = flushGeneration
                    state.flushResult = .combined([result, exporterResult, exportsResult])
                }
                control.broadcast()
            } else {
                // A full batch, or the schedule delay passed: one export.
                _ = exportBatch(batch: &batch, exportables: &exportables)
            }
            nextExport = ContinuousClock.now + settings.scheduleDelay
            report(&reported)
        }
    }

    /// How long ``napWhileBatchFills(until:)`` waits for a batch at most, in naps of `napLength`.
    private static var maximumNapping: Duration { .milliseconds(1) }
    private static var napLength: Duration { .microseconds(50) }

    /// When at least half a batch is queued, records are coming fast: the worker naps in short
    /// steps until the batch is full rather than sleeping until a producer wakes it, which
    /// costs that producer a system call (a futex wake; see W4 in Benchmarks/README.md). Only
    /// while the queue has room for twice what the batch still lacks, so that records that
    /// come during a nap are not dropped for want of room. It stops napping at
    /// `deadline`, after ``maximumNapping``, or when a flush or shutdown is asked for.
    private func napWhileBatchFills(until deadline: ContinuousClock.Instant) {
        let batchSize = settings.maxExportBatchSize
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
        max(deadline - .now, settings.exportTimeout)
    }

    /// Failure if an export completed as a failure since `failuresBefore` was read.
    private func exportResult(since failuresBefore: Int) -> CompletionResult {
        control.withLock { $0.failedExports > failuresBefore ? .failure : .success }
    }

    /// Exports until the popped count reaches `target` (nil: until the queue is empty and no
    /// more records can arrive). Timeout when shutdown gave up on the remaining records.
    private func exportAll(
        upTo target: Int?,
        batch: inout [Signal.Record],
        exportables: inout [Signal.Exportable]
    ) -> CompletionResult {
        while true {
            let goal = target ?? ring.pushedCount
            guard ring.poppedCount < goal else { break }
            guard exportBatch(batch: &batch, exportables: &exportables) else {
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
    private func exportBatch(batch: inout [Signal.Record], exportables: inout [Signal.Exportable]) -> Bool {
        while batch.count < settings.maxExportBatchSize {
            // Moved from the ring into the batch: a `let` binding would be a copy, a reference counted.
            var record = ring.pop()
            guard record != nil else { break }
            batch.append(record.take()!)
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
            signal.prepare(&batch, into: &exportables)
            signal.export(exportables, timeout: settings.exportTimeout) { [self] result in
                settle(result, count: count)
            }
            exportables.removeAll(keepingCapacity: true)
        }
        while !batch.isEmpty {
            // Straight from the batch: a bound copy would make a span's recorder look shared.
            signal.release(batch.removeLast())
        }
        return true
    }

    /// Accounts for an exported batch of `count` records (nil: not exported, shutdown gave up).
    /// Under the control lock, so that an abandoning shutdown sees all or nothing; once
    /// shutdown gave up, the records are already counted lost.
    private func settle(_ result: ExportResult?, count: Int) {
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

    private func finish(result: CompletionResult) {
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
}
