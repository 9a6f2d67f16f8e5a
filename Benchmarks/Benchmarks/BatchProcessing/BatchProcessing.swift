import Benchmark
import Foundation
@_spi(Benchmarks) import OTelSDK
import Tracing
import Workloads

// The batch span processor's ring, and W1 (Benchmarks/README.md) through the full SDK:
// tracer provider -> batch span processor (queue 8192, batch 512, delay 10 ms) -> an exporter
// that discards each batch. Rows read per item / per span (1,000 per measured unit).

private struct DiscardingExporter: SpanExporter {
    func export(_ batch: [SpanData], timeout: Duration) -> SpanExportResult { .success }
    func shutdown(timeout: Duration) -> SpanProcessorResult { .success }
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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    Benchmark("Ring push+pop, one thread") { benchmark in
        let ring = MPSCRingBuffer<Int>(minimumCapacity: 8192)
        for index in benchmark.scaledIterations {
            blackHole(ring.push(index))
            blackHole(ring.pop())
        }
    }
    for producers in [1, 2, 4] {
        Benchmark("Ring push+pop, \(producers) producer thread\(producers == 1 ? "" : "s") and a consumer") { benchmark in
            let ring = MPSCRingBuffer<Int>(minimumCapacity: 8192)
            benchmark.startMeasurement()
            pushAndPop(ring, producers: producers, count: benchmark.scaledIterations.count)
        }
    }

    let processor = BatchSpanProcessor(
        exporter: DiscardingExporter(),
        configuration: .init(scheduleDelay: .milliseconds(10), maxQueueSize: 8192, maxExportBatchSize: 512)
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
    Benchmark("W1 span through the batch span processor, typed fast path", configuration: processorConfiguration) { benchmark in
        let droppedBefore = processor.statistics.dropped
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            typedWorkloadSpan(tracer, parent: parent)
        }
        benchmark.stopMeasurement()
        benchmark.measurement(drops, processor.statistics.dropped - droppedBefore)
    }
}
