import Logging
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP telemetry: traces and logs together")
struct OTLPTelemetryTests {
    @Test(
        "both signals share one resource and one flush; OTEL_TRACES_EXPORTER and OTEL_LOGS_EXPORTER turn one off",
        arguments: [("otlp", "otlp"), ("otlp", "none"), ("none", "otlp")]
    )
    func signals(traces: String, logs: String) async throws {
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let telemetry = try OTLPTelemetry(
                serviceName: "telemetry-test",
                environment: OTelEnvironment([
                    "OTEL_EXPORTER_OTLP_ENDPOINT": try #require(receiver.httpEndpoint),
                    "OTEL_TRACES_EXPORTER": traces, "OTEL_LOGS_EXPORTER": logs,
                ])
            )
            #expect(telemetry.loggerProvider.resource == telemetry.tracerProvider.resource)
            let logger = Logger(label: "checkout", factory: telemetry.makeLogHandler)
            telemetry.tracerProvider.tracer(name: "checkout").withSpan("charge") { _ in
                logger.info("charged")
            }
            #expect(telemetry.shutdown(timeout: .seconds(10)) == .success)
            try await Task.sleep(for: .milliseconds(200))
            let statistics = receiver.statistics
            #expect(statistics.spans == (traces == "otlp" ? 1 : 0))
            #expect(statistics.logRecords == (logs == "otlp" ? 1 : 0))
            if let record = receiver.logRecords.first, let span = receiver.spans.first {
                #expect(record.spanContext?.traceID == span.context.traceID)
                #expect(record.spanContext?.spanID == span.context.spanID)
                #expect(record.resource.serviceName == "telemetry-test")
                #expect(span.resource.serviceName == "telemetry-test")
            }
        }
    }

    @Test("an unknown exporter name is warned about and OTLP used")
    func unknownExporter() throws {
        let log = CapturedLog()
        _ = try OTLPTelemetry(
            environment: OTelEnvironment(["OTEL_LOGS_EXPORTER": "kafka"], logger: log.logger)
        )
        #expect(log.messages.contains { $0.contains("OTEL_LOGS_EXPORTER") && $0.contains("kafka") }, "\(log.messages)")
    }
}
