import OTelSDK
import Testing
import Tracing

@Suite("Console span exporter")
struct ConsoleSpanExporterTests {
    @Test("prints one block per span with its name, kind, ids, attributes and events")
    func block() {
        let output = LockedBox("")
        let exporter = ConsoleSpanExporter { text in output.withLock { $0 += text } }
        let provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "console"]),
            processors: [SimpleSpanProcessor(exporter: exporter)],
            environment: OTelEnvironment([:])
        )
        let span = provider.tracer(name: "console").startSpan(
            "process orders",
            ofKind: .consumer,
            at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_000_000)
        )
        span.setAttribute("messaging.system", "kafka")
        span.addEvent(SpanEvent(name: "ack", at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_500_000)))
        span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 3_250_000))
        let text = output.withLock { $0 }
        #expect(
            text.hasPrefix(
                "process orders  CONSUMER  2.250 ms  trace \(span.spanContext.traceID)  span \(span.spanContext.spanID)\n"
            )
        )
        #expect(text.contains("\n  messaging.system = kafka\n"))
        #expect(text.contains("\n  event ack +0.500 ms\n"))
        // The provider's resource is merged over the SDK's own attributes.
        #expect(text.contains("\n  resource service.name=console, telemetry.sdk.name=swift-otlp-exporter"))
        #expect(text.hasSuffix("\n\n"))
        provider.shutdown()
        #expect({ if case .failure = exporter.export([], timeout: .seconds(1)) { true } else { false } }())
    }
}
