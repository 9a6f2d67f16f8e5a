import Benchmark
import CoreMetrics
import OTelSDK
import Tracing
import Workloads

// M1's calls (Benchmarks/README.md) under package-benchmark, for its malloc counts: a counter
// increment and a Timer record on made handles, inside a sampled span, on swift-metrics' NOOP
// handler (the floor) and on a MeterProvider with exemplars off and trace_based. Each
// benchmark runs 1,000 calls per measured unit: read the "K" rows per call.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    let tracer = workloadTracer(sampler: AlwaysOnSampler(), processors: [])
    let parent = remoteParent(tracer)
    let environment = OTelEnvironment([:])
    let factories: [(String, any MetricsFactory)] = [
        ("NOOP handler (floor)", NOOPMetricsHandler.instance),
        ("MeterProvider, exemplars off", MeterProvider(exemplarFilter: .alwaysOff, environment: environment)),
        ("MeterProvider, trace_based exemplars", MeterProvider(exemplarFilter: .traceBased, environment: environment)),
    ]
    for (name, factory) in factories {
        let counter = Counter(label: "bench.messages", dimensions: [("messaging.system", "kafka")], factory: factory)
        let timer = Timer(label: "bench.duration", dimensions: [("messaging.system", "kafka")], factory: factory)
        Benchmark("Counter increment in a sampled span on \(name)") { benchmark in
            tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations { counter.increment() }
                benchmark.stopMeasurement()
            }
        }
        Benchmark("Timer record in a sampled span on \(name)") { benchmark in
            tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
                benchmark.startMeasurement()
                for index in benchmark.scaledIterations {
                    timer.recordNanoseconds(Int64(index & 1_023) &* 1_000 &+ 1_000)
                }
                benchmark.stopMeasurement()
            }
        }
    }
}
