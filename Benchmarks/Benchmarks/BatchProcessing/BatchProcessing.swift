import Benchmark
import Foundation
@_spi(Benchmarks) import OTelSDK
import Synchronization
import Tracing
import Workloads

// The batch span processor's ring, and W1 (Benchmarks/README.md) through the full SDK:
// tracer provider -> batch span processor (queue 8192, batch 512, delay 10 ms) -> an exporter
// that discards each batch. Rows read per item / per span (1,000 per measured unit).

private struct DiscardingExporter: SpanExporter {
    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

/// `producers` threads push `count` items in all while this thread pops them.
private func pushAndPop(_ ring: MPSCRingBuffer<Int>, producers: Int, count: Int) {
    let perProducer = count / producers
    let threads = (0..<producers).map { _ in
        Thread {
            for index in 0..<perProducer {
                while ring.push(index) == nil {}
            }
        }
    }
    threads.forEach { $0.start() }
    var popped = 0
    while popped < perProducer * producers {
        if ring.pop() != nil { popped += 1 }
    }
}

/// The batch size of the processor benchmarks, which the hand-off's consumer also drains by.
private let batchSize = 512

/// Moves records of a W1 span's size between cores, without spans: the producing thread fills
/// each record and queues it; a consumer thread, which like the batch worker waits until a
/// batch is queued, reads them and hands them back for reuse. What it costs the producer is
/// about the least that moving span data to a worker costs on this machine.
private final class RecordHandOff: Sendable {
    private let words: Int
    private let queued = MPSCRingBuffer<UnsafeMutablePointer<Int>>(minimumCapacity: 8192)
    /// Holds every record there is (at most the queue's capacity and a batch), so a push never fails.
    private let reusable = MPSCRingBuffer<UnsafeMutablePointer<Int>>(minimumCapacity: 16384)
    private let isRunning = Atomic<Bool>(false)
    private let hasStopped = Atomic<Bool>(true)

    init(recordBytes: Int) {
        words = recordBytes / MemoryLayout<Int>.stride
    }

    /// Starts the consumer thread (a benchmark's setup).
    func start() {
        isRunning.store(true, ordering: .relaxed)
        hasStopped.store(false, ordering: .relaxed)
        Thread { [self] in consume() }.start()
    }

    /// Stops the consumer thread and frees every record (a benchmark's teardown).
    func stop() {
        isRunning.store(false, ordering: .releasing)
        while !hasStopped.load(ordering: .acquiring) { usleep(50) }
        while let record = queued.pop() { record.deallocate() }
        while let record = reusable.pop() { record.deallocate() }
    }

    private func consume() {
        var checksum = 0
        while isRunning.load(ordering: .acquiring) {
            guard queued.count >= batchSize else {
                usleep(50)
                continue
            }
            while let record = queued.pop() {
                for index in 0..<words { checksum &+= record[index] }
                precondition(reusable.push(record) != nil, "the reusable records outnumber the pool's room")
            }
        }
        blackHole(checksum)
        hasStopped.store(true, ordering: .releasing)
    }

    func produce(count: Int) {
        for iteration in 0..<count {
            // Whole cache lines, as a span's storage would have them.
            let record =
                reusable.pop()
                ?? UnsafeMutableRawPointer.allocate(byteCount: words * MemoryLayout<Int>.stride, alignment: 64)
                .bindMemory(to: Int.self, capacity: words)
            for index in 0..<words { record[index] = iteration &+ index }
            while queued.push(record) == nil {}
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    Benchmark("Ring push+pop on one thread") { benchmark in
        let ring = MPSCRingBuffer<Int>(minimumCapacity: 8192)
        for index in benchmark.scaledIterations {
            blackHole(ring.push(index))
            blackHole(ring.pop())
        }
    }
    for producers in [1, 2, 4] {
        Benchmark("Ring push+pop with \(producers) producer thread\(producers == 1 ? "" : "s") and a consumer") {
            benchmark in
            let ring = MPSCRingBuffer<Int>(minimumCapacity: 8192)
            benchmark.startMeasurement()
            pushAndPop(ring, producers: producers, count: benchmark.scaledIterations.count)
        }
    }

    let handOff = RecordHandOff(recordBytes: 384)
    Benchmark(
        "Hand a W1-sized record (384 bytes) to another thread and back without spans",
        closure: { benchmark in handOff.produce(count: benchmark.scaledIterations.count) },
        setup: { handOff.start() },
        teardown: { handOff.stop() }
    )
    // The floor of step 2, in this run, for the W1 rows below.
    let noOp = NoOpTracer()
    Benchmark("W1 span on NoOpTracer (floor)") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(noOp, parent: .topLevel) }
    }

    let processor = BatchSpanProcessor(
        exporter: DiscardingExporter(),
        configuration: .init(scheduleDelay: .milliseconds(10), maxQueueSize: 8192, maxExportBatchSize: batchSize)
    )
    let tracer = workloadTracer(sampler: AlwaysOnSampler(), processors: [processor])
    let parent = remoteParent(tracer)

    // Spans dropped during each run (queue full), as a metric of its own: the target is 0.
    let drops = BenchmarkMetric.custom("spans dropped", polarity: .prefersSmaller, useScalingFactor: false)
    let processorConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput, drops],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    Benchmark("W1 span through the batch span processor", configuration: processorConfiguration) { benchmark in
        let droppedBefore = processor.statistics.dropped
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            workloadSpan(concrete: tracer, parent: parent)
        }
        benchmark.stopMeasurement()
        benchmark.measurement(drops, processor.statistics.dropped - droppedBefore)
    }
    Benchmark("W1 span through the batch span processor on the typed fast path", configuration: processorConfiguration)
    {
        benchmark in
        let droppedBefore = processor.statistics.dropped
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            typedWorkloadSpan(tracer, parent: parent)
        }
        benchmark.stopMeasurement()
        benchmark.measurement(drops, processor.statistics.dropped - droppedBefore)
    }
}
