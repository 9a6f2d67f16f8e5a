import Logging
import OTelSDK
import Tracing

// The workloads' span shape (Benchmarks/README.md), shared by every benchmark target.
// Cross-module calls are kept cheap with @inlinable, so that they measure what they call.

/// A tracer of the workloads' provider (resource `service.name=bench`, nothing read from the
/// environment) with `sampler` and `processors`.
public func workloadTracer(sampler: any Sampler, processors: [any SpanProcessor]) -> OTelTracer {
    TracerProvider(
        resource: Resource(attributes: ["service.name": "bench"]),
        sampler: sampler,
        processors: processors,
        environment: OTelEnvironment([:])
    ).tracer(name: "bench")
}

/// The fixed remote parent every workload span has.
public func remoteParent(_ tracer: some Tracer) -> InstrumentationContext {
    var context = InstrumentationContext.topLevel
    tracer.extract(
        ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
        into: &context,
        using: DictionaryExtractor()
    )
    return context
}

/// W1's six attributes, set by subscript.
@inlinable
public func setWorkloadAttributes(_ attributes: inout SpanAttributes) {
    attributes["messaging.system"] = "kafka"
    attributes["messaging.destination.name"] = "orders"
    attributes["messaging.operation.type"] = "process"
    attributes["messaging.consumer.group.name"] = "billing"
    attributes["messaging.kafka.partition"] = 3
    attributes["messaging.message.body.size"] = 1024
}

/// W1's span through the `Tracer` protocol, as libraries that take `some Tracer` or use
/// `InstrumentationSystem.tracer` call it: `updateAttributes` is then the protocol's default.
@inlinable
public func workloadSpan<T: Tracer>(_ tracer: T, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.updateAttributes(setWorkloadAttributes)
    span.addEvent("ack")
    span.end()
}

/// W1's span through the concrete `OTelTracer`, whose span overrides `updateAttributes`.
@inlinable
public func workloadSpan(concrete tracer: OTelTracer, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.updateAttributes(setWorkloadAttributes)
    span.addEvent("ack")
    span.end()
}

/// W1's span with the typed fast path: `setAttribute` six times.
@inlinable
public func typedWorkloadSpan(_ tracer: OTelTracer, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.setAttribute("messaging.system", "kafka")
    span.setAttribute("messaging.destination.name", "orders")
    span.setAttribute("messaging.operation.type", "process")
    span.setAttribute("messaging.consumer.group.name", "billing")
    span.setAttribute("messaging.kafka.partition", 3)
    span.setAttribute("messaging.message.body.size", 1024)
    span.addEvent("ack")
    span.end()
}

/// W1's span inside `withSpan`.
@inlinable
public func workloadSpanInWithSpan<T: Tracer>(_ tracer: T, parent: InstrumentationContext) {
    tracer.withSpan("process orders", context: parent, ofKind: .consumer) { span in
        span.updateAttributes(setWorkloadAttributes)
        span.addEvent("ack")
    }
}

/// L1's and L2's log call: a message and three metadata entries, as a message handler logs
/// one inside the span of the message it handles.
@inlinable
public func workloadLog(_ logger: Logger) {
    logger.info(
        "order accepted",
        metadata: ["messaging.destination.name": "orders", "messaging.message.id": "4711", "order.items": "3"]
    )
}

/// A swift-log handler that takes each event and does nothing: L1's floor, what swift-log
/// itself costs a call (the message, the metadata dictionary, the handler's level check).
public struct DiscardingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    public init() {}

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {}
}

/// A batch of finished workload spans, as an exporter receives them.
/// - Parameters:
///   - count: how many spans.
///   - distinctValues: give every span its own attribute values (the shape's keys, each value
///     carrying the span's index), so that no attribute repeats within the batch.
public func workloadBatch(count: Int, distinctValues: Bool = false) -> [SpanData] {
    let resource = Resource(attributes: ["service.name": "bench"])
    let scope = InstrumentationScope(name: "bench")
    let traceID = TraceID(hexString: "0af7651916cd43dd8448eb211c80319c")!
    let parent = SpanContext(
        traceID: traceID,
        spanID: SpanID(hexString: "b7ad6b7169203331")!,
        traceFlags: .sampled,
        isRemote: true
    )
    let start: UInt64 = 1_700_000_000_000_000_000
    let sharedAttributes = [
        Attribute("messaging.system", "kafka"),
        Attribute("messaging.destination.name", "orders"),
        Attribute("messaging.operation.type", "process"),
        Attribute("messaging.consumer.group.name", "billing"),
        Attribute("messaging.kafka.partition", 3),
        Attribute("messaging.message.body.size", 1024),
    ]
    // The same keys, each value made the span's own.
    func distinctAttributes(_ index: Int) -> [Attribute] {
        sharedAttributes.map { attribute in
            switch attribute.value {
            case .string(let value): Attribute(attribute.key, .string("\(value) \(index)"))
            case .int(let value): Attribute(attribute.key, .int(value + Int64(index)))
            default: attribute
            }
        }
    }
    return (0..<count).map { index in
        SpanData(
            context: SpanContext(traceID: traceID, spanID: SpanID(UInt64(index + 1)), traceFlags: .sampled),
            parentSpanContext: parent,
            name: "process orders",
            kind: .consumer,
            startTimeUnixNano: start + UInt64(index) * 1_000,
            endTimeUnixNano: start + UInt64(index) * 1_000 + 900,
            attributes: distinctValues ? distinctAttributes(index) : sharedAttributes,
            events: [SpanData.Event(name: "ack", timeUnixNano: start + UInt64(index) * 1_000 + 500)],
            resource: resource,
            instrumentationScope: scope
        )
    }
}
