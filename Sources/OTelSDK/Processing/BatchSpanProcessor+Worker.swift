import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The worker thread: it takes batches from the queue, freezes and exports them, settles
/// their outcome, and answers flushes and shutdown.
extension BatchSpanProcessor {
    func runWorker() {
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
                // "Shutdown MUST include the effects of ForceFlush" (OpenTelemetry trace SDK):
                // the exporter is flushed, then shut down. Both wait for the exports it still
                // has in flight, as long as the caller waits.
                let shutdownDeadline = control.withLock { $0.shutdownDeadline }
                let flushResult = exporter.forceFlush(timeout: remaining(until: shutdownDeadline))
                let exporterResult = exporter.shutdown(timeout: remaining(until: shutdownDeadline))
                report(&reported)
                finish(
                    result: .combined([result, flushResult, exporterResult, exportResult(since: failuresBefore)])
                )
                return
            }
            if flushGeneration > control.withLock({ $0.flushCompleted }) {
                let failuresBefore = control.withLock { $0.failedExports }
                let result = exportAll(upTo: flushTarget, batch: &batch, spans: &spans)
                let exporterResult = exporter.forceFlush(
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
    private func exportAll(
        upTo target: Int?,
        batch: inout [FinishedSpan],
        spans: inout [SpanData]
    ) -> SpanProcessorResult {
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
            // Straight from the batch: a bound copy would make the span's recorder look shared.
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
}
