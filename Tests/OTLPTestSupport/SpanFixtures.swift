import OTelSDK
import Tracing

/// Spans for encoder tests, built so that every field and value type OTLP carries is used.
public enum SpanFixtures {
    public static let resource = Resource(
        attributes: [
            Attribute("service.name", "fixtures"),
            Attribute("service.instance.id", "0f1e2d3c"),
            Attribute("deployment.replicas", .int(3)),
        ],
        droppedAttributeCount: 2,
        schemaURL: "https://opentelemetry.io/schemas/1.26.0"
    )

    public static let scope = InstrumentationScope(
        name: "fixtures.scope",
        version: "1.2.3",
        schemaURL: "https://opentelemetry.io/schemas/1.25.0",
        attributes: [Attribute("scope.flag", true)],
        droppedAttributeCount: 1
    )

    public static let remoteParent = SpanContext(
        traceID: TraceID(hexString: "0af7651916cd43dd8448eb211c80319c")!,
        spanID: SpanID(hexString: "b7ad6b7169203331")!,
        traceFlags: .sampled,
        isRemote: true
    )

    /// Every attribute value type, including the edges: empty strings and arrays, unicode,
    /// long strings, int64 extremes, NaN and infinities.
    public static let everyValue: [Attribute] = [
        Attribute("string", "orders"),
        Attribute("string.empty", ""),
        Attribute("string.unicode", "ünïcødé ✓ 日本語 🚀"),
        Attribute("string.long", .string(String(repeating: "abcdefghij", count: 5_000))),
        Attribute("bool.true", true),
        Attribute("bool.false", false),
        Attribute("int.min", .int(.min)),
        Attribute("int.max", .int(.max)),
        Attribute("int.zero", 0),
        Attribute("double", 3.25),
        Attribute("double.nan", .double(.nan)),
        Attribute("double.infinity", .double(.infinity)),
        Attribute("double.negative.infinity", .double(-.infinity)),
        Attribute("double.negative.zero", .double(-0.0)),
        Attribute("strings", .stringArray(["a", "", "ß"])),
        Attribute("strings.empty", .stringArray([])),
        Attribute("bools", .boolArray([true, false, true])),
        Attribute("ints", .intArray([.min, -1, 0, 1, .max])),
        Attribute("ints.empty", .intArray([])),
        Attribute("doubles", .doubleArray([1.5, .nan, -.infinity])),
    ]

    /// `remoteParent` as OTLP carries a parent: its span id and that it is remote; no flags, and
    /// the span's own trace state. A span made with it decodes back equal.
    public static func parentAsSent(of context: SpanContext) -> SpanContext {
        SpanContext(
            traceID: context.traceID,
            spanID: remoteParent.spanID,
            traceState: context.traceState,
            isRemote: true
        )
    }

    /// A span with every field set.
    public static func fullSpan(index: Int = 1) -> SpanData {
        let context = SpanContext(
            traceID: remoteParent.traceID,
            spanID: SpanID(UInt64(0x1000 + index)),
            traceFlags: [.sampled, .random],
            traceState: try! TraceState(entries: [
                .init(key: "rojo", value: "00f067aa0ba902b7"),
                .init(key: "tenant@vendor", value: "x y"),
            ])
        )
        return SpanData(
            context: context,
            parentSpanContext: parentAsSent(of: context),
            name: "process orders \(index)",
            kind: .consumer,
            startTimeUnixNano: 1_700_000_000_000_000_000,
            endTimeUnixNano: 1_700_000_000_123_456_789,
            attributes: everyValue,
            events: [
                SpanData.Event(name: "ack", timeUnixNano: 1_700_000_000_100_000_000),
                SpanData.Event(
                    name: "exception",
                    timeUnixNano: .max,
                    attributes: [Attribute("exception.type", "Timeout"), Attribute("exception.message", "")],
                    droppedAttributeCount: 4
                ),
            ],
            links: [
                SpanData.Link(
                    context: remoteParent,
                    attributes: [Attribute("link.kind", "follows")],
                    droppedAttributeCount: 1
                ),
                SpanData.Link(
                    context: SpanContext(
                        traceID: TraceID(high: 1, low: 2),
                        spanID: SpanID(3),
                        traceState: try! TraceState(entries: [.init(key: "congo", value: "t61rcWkgMzE")])
                    )
                ),
            ],
            status: SpanStatus(code: .error, message: "payment declined"),
            droppedAttributeCount: 5,
            droppedEventCount: 6,
            droppedLinkCount: 7,
            resource: resource,
            instrumentationScope: scope
        )
    }

    /// The benchmark workloads' span shape (../shared/WORKLOAD.md), ended at fixed times.
    public static func workloadSpan(
        index: Int,
        resource: Resource = Resource(attributes: ["service.name": "bench"]),
        scope: InstrumentationScope = InstrumentationScope(name: "bench")
    ) -> SpanData {
        let context = SpanContext(
            traceID: remoteParent.traceID,
            spanID: SpanID(UInt64(index + 1)),
            traceFlags: .sampled
        )
        return SpanData(
            context: context,
            parentSpanContext: parentAsSent(of: context),
            name: "process orders",
            kind: .consumer,
            startTimeUnixNano: 1_700_000_000_000_000_000 + UInt64(index),
            endTimeUnixNano: 1_700_000_000_000_100_000 + UInt64(index),
            attributes: [
                Attribute("messaging.system", "kafka"),
                Attribute("messaging.destination.name", "orders"),
                Attribute("messaging.operation.type", "process"),
                Attribute("messaging.consumer.group.name", "billing"),
                Attribute("messaging.kafka.partition", 3),
                Attribute("messaging.message.body.size", 1024),
            ],
            events: [SpanData.Event(name: "ack", timeUnixNano: 1_700_000_000_000_050_000 + UInt64(index))],
            resource: resource,
            instrumentationScope: scope
        )
    }

    /// A span of its own trace whose one attribute holds `payloadBytes` bytes, with `other`'s
    /// resource and scope: for the limits on a request's size.
    public static func payloadSpan(named name: String, id: UInt64, payloadBytes: Int, like other: SpanData) -> SpanData
    {
        SpanData(
            context: SpanContext(traceID: TraceID(high: 7, low: 7), spanID: SpanID(id)),
            name: name,
            startTimeUnixNano: 1,
            endTimeUnixNano: 2,
            attributes: [Attribute("payload", .string(String(repeating: "x", count: payloadBytes)))],
            resource: other.resource,
            instrumentationScope: other.instrumentationScope
        )
    }
}
