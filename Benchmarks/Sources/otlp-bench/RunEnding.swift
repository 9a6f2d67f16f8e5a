import OTelSDK

/// The end of a workload's run, measured the same way for spans and log records: a flush
/// first, so that the worker and the lanes have done all their work, and are still alive to be
/// read, when their CPU time is taken; then the shutdown, the process's usage, and what the
/// receiver counted.
struct RunEnding {
    let workerCPUNanoseconds: Int
    let exportedBeforeShutdown: Int
    let shutdownResult: CompletionResult
    let wall: Duration
    let usage: ProcessUsage
    /// What the receiver counted, or the processor's exported count without a receiver.
    let delivered: Int

    /// The worker's and lanes' CPU time over what was exported before the shutdown.
    var workerNanosecondsPerItem: Double {
        exportedBeforeShutdown > 0 ? Double(workerCPUNanoseconds) / Double(exportedBeforeShutdown) : 0
    }

    /// Ends the run.
    /// - Parameters:
    ///   - worker: the worker thread's name.
    ///   - workerCPUBefore: its and the lanes' CPU time when the run started.
    ///   - start: when the run started.
    ///   - statistics: reads the processor's statistics.
    ///   - flush: flushes the processor.
    ///   - shutdown: shuts the provider (or the processor) down.
    ///   - receiver: the embedded receiver, stopped here.
    ///   - progress: the progress task, cancelled here.
    init(
        worker: String,
        workerCPUBefore: Int,
        start: ContinuousClock.Instant,
        statistics: () -> BatchProcessorStatistics,
        flush: () -> CompletionResult,
        shutdown: () -> CompletionResult,
        receiver: ReceiverProcess?,
        progress: Task<Void, Never>
    ) {
        _ = flush()
        workerCPUNanoseconds = WorkerThreadClock.cpuNanoseconds(worker: worker) - workerCPUBefore
        exportedBeforeShutdown = statistics().exported
        shutdownResult = shutdown()
        wall = ContinuousClock.now - start
        progress.cancel()
        usage = ProcessUsage.now()
        let exported = statistics().exported
        if let receiver {
            delivered = receiver.waitForItems(atLeast: exported)
            receiver.stop()
        } else {
            delivered = exported
        }
    }
}
