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
    func forceFlush(timeout: Duration) -> CompletionResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

/// Stands for a span in a context, as `withSpan` makes one: the key is the benchmark's, so
/// that the API's part is measured without the SDK.
private final class SpanInContext: Sendable {}

private enum SpanInContextKey: InstrumentationContextKey {
    typealias Value = SpanInContext
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

    Benchmark("W1 span on NoOpTracer (floor)") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(noOp, parent: noOpParent) }
    }
    Benchmark("W1 span on OTelTracer through the Tracer protocol") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span on OTelTracer concrete") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(concrete: sampled, parent: sampledParent) }
    }
    Benchmark("W1 span in withSpan on NoOpTracer (floor)") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpanInWithSpan(noOp, parent: noOpParent) }
    }
    Benchmark("W1 span in withSpan on OTelTracer") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpanInWithSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span on the typed fast path") { benchmark in
        for _ in benchmark.scaledIterations { typedWorkloadSpan(sampled, parent: sampledParent) }
    }
    Benchmark("W1 span sampled out on OTelTracer concrete") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(concrete: sampledOut, parent: sampledParent) }
    }
    Benchmark("W1 span sampled out through the Tracer protocol") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(sampledOut, parent: sampledParent) }
    }

    // What the API makes any SDK pay on top of the NoOpTracer floor, whatever it does itself:
    // finding the parent span in the context (a hashed lookup and a dynamic cast), and the
    // clock reads for the start and the end (NoOpTracer reads neither; the event's `"ack"`
    // literal reads the clock in both). Measured here, beside the figures they bound.
    Benchmark("API part when sampled out - parent lookup and the event literal") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sampledParent.spanContext)
            blackHole("ack" as SpanEvent)
        }
    }
    Benchmark("API part over the floor - parent lookup and start and end clock reads") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sampledParent.spanContext)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
        }
    }
    let spanInContext = SpanInContext()
    Benchmark("API part over the withSpan floor - also a context that holds the span") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sampledParent.spanContext)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
            var context = sampledParent
            context[SpanInContextKey.self] = spanInContext
            blackHole(context)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
        }
    }
    Benchmark("API part on the typed path - parent lookup and clock reads and the event literal") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sampledParent.spanContext)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
            blackHole("ack" as SpanEvent)
            blackHole(DefaultTracerClock.now.nanosecondsSinceEpoch)
        }
    }
}
