import Benchmark
@_spi(Benchmarks) import OTLPExporter
import OTelSDK
import Workloads

let benchmarks: @Sendable () -> Void = {
    let batchSize = 512
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )

    // What the harness itself allocates per measurement, to subtract from the rows below.
    Benchmark("Harness baseline (no work)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(batchSize)
        }
    }

    // (a) The floor: packing a protobuf-c tree that is already built.
    Benchmark("Pack a built 512-span tree") { benchmark in
        let encoder = OTLPProtobufTraceEncoder()
        encoder.buildTree(workloadBatch(count: batchSize))
        _ = encoder.packBuiltTree()  // grows the output buffer once, outside the measurement
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(encoder.packBuiltTree())
        }
    }

    // (b) The encoder's real work per batch: grouping, building the tree from SpanData, packing.
    Benchmark("Encode a 512-span batch") { benchmark in
        let encoder = OTLPProtobufTraceEncoder()
        let batch = workloadBatch(count: batchSize)
        encoder.encode(batch) { _ in }  // grows the arena and buffers once, outside the measurement
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encode(batch) { blackHole($0.bytes.count) })
        }
    }

    // (c) The same with no attribute repeated in the batch: what the encoder's reuse of
    // identical attributes costs when it never finds one.
    Benchmark("Encode a 512-span batch with every attribute value distinct") { benchmark in
        let encoder = OTLPProtobufTraceEncoder()
        let batch = workloadBatch(count: batchSize, distinctValues: true)
        encoder.encode(batch) { _ in }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encode(batch) { blackHole($0.bytes.count) })
        }
    }
}
