import Benchmark
import OTelSDK
import Tracing
import Workloads

// W1's span (Benchmarks/README.md) through swift-distributed-tracing's API: startSpan, one
// updateAttributes call setting six attributes by subscript, addEvent, end. Each benchmark
// runs 1,000 spans per measured unit, so its figures read as per span in the "K" rows.

/// Takes every ended span and does nothing with it: the SDK's own cost, no export. Like the
/// SDK's own processors, it acts only when spans end.
private struct DiscardingProcessor: SpanProcessor {
    var isStartRequired: Bool { false }
    func onEnd(_ span: FinishedSpan) {}
    func forceFlush(timeout: Duration) -> SpanProcessorResult { .success }
    func shutdown(timeout: Duration) -> SpanProcessorResult { .success }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    let noOp = NoOpTracer()
    let noOpParent = InstrumentationContext.topLevel
    let sampled = workloadTracer(sampler: AlwaysOnSampler(), processors: [DiscardingProcessor()])
    let sampledParent = remoteParent(sampled)
    let sampledOut = workloadTracer(sampler: AlwaysOffSampler(), processors: [DiscardingProcessor()])

    Benchmark("W1 span, NoOpTracer (floor)") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(noOp, parent: noOpParent) }
    }
    Benchmark("W1 span, OTelTracer through the Tracer protocol") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span, OTelTracer concrete") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(concrete: sampled, parent: sampledParent) }
    }
    Benchmark("W1 span in withSpan, NoOpTracer (floor)") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpanInWithSpan(noOp, parent: noOpParent) }
    }
    Benchmark("W1 span in withSpan, OTelTracer") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpanInWithSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span, typed fast path") { benchmark in
        for _ in benchmark.scaledIterations { typedWorkloadSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span, sampled out, concrete") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(concrete: sampledOut, parent: sampledParent) }
    }
    Benchmark("W1 span, sampled out, through the Tracer protocol") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(sampledOut, parent: sampledParent) }
    }
}
