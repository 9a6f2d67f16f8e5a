import Benchmark
@_spi(Benchmarks) import OTLPExporter
import OTelSDK

/// A batch of the workloads' span shape (Benchmarks/README.md): a CONSUMER span with a remote
/// parent, six messaging attributes and one event.
private func workloadBatch(count: Int) -> [SpanData] {
    let resource = Resource(attributes: ["service.name": "bench"])
    let scope = InstrumentationScope(name: "bench")
    let traceID = TraceID(hexString: "0af7651916cd43dd8448eb211c80319c")!
    let parent = SpanID(hexString: "b7ad6b7169203331")!
    let start: UInt64 = 1_700_000_000_000_000_000
    return (0..<count).map { index in
        SpanData(
            context: SpanContext(traceID: traceID, spanID: SpanID(UInt64(index + 1)), traceFlags: .sampled),
            parentSpanID: parent,
            parentIsRemote: true,
            name: "process orders",
            kind: .consumer,
            startTimeUnixNano: start + UInt64(index) * 1_000,
            endTimeUnixNano: start + UInt64(index) * 1_000 + 900,
            attributes: [
                Attribute("messaging.system", "kafka"),
                Attribute("messaging.destination.name", "orders"),
                Attribute("messaging.operation.type", "process"),
                Attribute("messaging.consumer.group.name", "billing"),
                Attribute("messaging.kafka.partition", 3),
                Attribute("messaging.message.body.size", 1024),
            ],
            events: [SpanData.Event(name: "ack", timeUnixNano: start + UInt64(index) * 1_000 + 500)],
            resource: resource,
            instrumentationScope: scope
        )
    }
}

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
        let encoder = OTLPTraceEncoder()
        encoder.buildTree(workloadBatch(count: batchSize))
        _ = encoder.packBuiltTree()  // grows the output buffer once, outside the measurement
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(encoder.packBuiltTree())
        }
    }

    // (b) The encoder's real work per batch: grouping, building the tree from SpanData, packing.
    Benchmark("Encode a 512-span batch") { benchmark in
        let encoder = OTLPTraceEncoder()
        let batch = workloadBatch(count: batchSize)
        encoder.encode(batch) { _ in }  // grows the arena and buffers once, outside the measurement
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encode(batch) { blackHole($0.bytes.count) })
        }
    }
}
