import Benchmark
import OTelSDK
import Tracing

// W1's span (Benchmarks/README.md) through swift-distributed-tracing's API: startSpan, one
// updateAttributes call setting six attributes by subscript, addEvent, end. Each benchmark
// runs 1,000 spans per measured unit, so its figures read as per span in the "K" rows.

/// Takes every ended span and does nothing with it: the SDK's own cost, no export.
private struct DiscardingProcessor: SpanProcessor {
    func onEnd(_ span: FinishedSpan) {}
    func forceFlush(timeout: Duration) -> SpanProcessorResult { .success }
    func shutdown(timeout: Duration) -> SpanProcessorResult { .success }
}

private func makeTracer(sampler: any Sampler) -> OTelTracer {
    TracerProvider(
        resource: Resource(attributes: ["service.name": "bench"]),
        sampler: sampler,
        processors: [DiscardingProcessor()],
        environment: OTelEnvironment([:])
    ).tracer(name: "bench")
}

/// The fixed remote parent every workload span has.
private func remoteParent(_ tracer: some Tracer) -> InstrumentationContext {
    var context = InstrumentationContext.topLevel
    tracer.extract(
        ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
        into: &context, using: DictionaryExtractor()
    )
    return context
}

/// W1's six attributes, set by subscript.
private func setWorkloadAttributes(_ attributes: inout SpanAttributes) {
    attributes["messaging.system"] = "kafka"
    attributes["messaging.destination.name"] = "orders"
    attributes["messaging.operation.type"] = "process"
    attributes["messaging.consumer.group.name"] = "billing"
    attributes["messaging.kafka.partition"] = 3
    attributes["messaging.message.body.size"] = 1024
}

/// Through the `Tracer` protocol, as libraries that take `some Tracer` or use
/// `InstrumentationSystem.tracer` call it: `updateAttributes` is then the protocol's default.
@inline(__always)
private func workloadSpan<T: Tracer>(_ tracer: T, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.updateAttributes(setWorkloadAttributes)
    span.addEvent("ack")
    span.end()
}

/// Through the concrete `OTelTracer`, whose span overrides `updateAttributes`.
@inline(__always)
private func workloadSpan(concrete tracer: OTelTracer, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.updateAttributes(setWorkloadAttributes)
    span.addEvent("ack")
    span.end()
}

@inline(__always)
private func workloadSpanInWithSpan<T: Tracer>(_ tracer: T, parent: InstrumentationContext) {
    tracer.withSpan("process orders", context: parent, ofKind: .consumer) { span in
        span.updateAttributes(setWorkloadAttributes)
        span.addEvent("ack")
    }
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
    let sampled = makeTracer(sampler: AlwaysOnSampler())
    let sampledParent = remoteParent(sampled)
    let sampledOut = makeTracer(sampler: AlwaysOffSampler())

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
        for _ in benchmark.scaledIterations {
            let span = sampled.startSpan("process orders", context: sampledParent, ofKind: .consumer)
            span.setAttribute("messaging.system", "kafka")
            span.setAttribute("messaging.destination.name", "orders")
            span.setAttribute("messaging.operation.type", "process")
            span.setAttribute("messaging.consumer.group.name", "billing")
            span.setAttribute("messaging.kafka.partition", 3)
            span.setAttribute("messaging.message.body.size", 1024)
            span.addEvent("ack")
            span.end()
        }
    }
    Benchmark("W1 span, sampled out, concrete") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(concrete: sampledOut, parent: sampledParent) }
    }
    Benchmark("W1 span, sampled out, through the Tracer protocol") { benchmark in
        for _ in benchmark.scaledIterations { workloadSpan(sampledOut, parent: sampledParent) }
    }
}
