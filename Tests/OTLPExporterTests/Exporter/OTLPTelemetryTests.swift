import CoreMetrics
import Logging
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP telemetry: traces, logs and metrics together")
struct OTLPTelemetryTests {
    @Test(
        "the signals share one resource and one flush; OTEL_{TRACES,LOGS,METRICS}_EXPORTER turn one off",
        arguments: [("otlp", "otlp", "otlp"), ("otlp", "none", "otlp"), ("none", "otlp", "none")]
    )
    func signals(traces: String, logs: String, metrics: String) async throws {
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let telemetry = try OTLPTelemetry(
                serviceName: "telemetry-test",
                environment: OTelEnvironment([
                    "OTEL_EXPORTER_OTLP_ENDPOINT": try #require(receiver.httpEndpoint),
                    "OTEL_TRACES_EXPORTER": traces, "OTEL_LOGS_EXPORTER": logs, "OTEL_METRICS_EXPORTER": metrics,
                ])
            )
            #expect(telemetry.loggerProvider.resource == telemetry.tracerProvider.resource)
            #expect(telemetry.meterProvider.resource == telemetry.tracerProvider.resource)
            let logger = Logger(label: "checkout", factory: telemetry.makeLogHandler)
            let duration = Timer(label: "charge.duration", factory: telemetry.meterProvider)
            telemetry.tracerProvider.tracer(name: "checkout").withSpan("charge") { _ in
                logger.info("charged")
                duration.recordMilliseconds(12)
            }
            #expect(telemetry.shutdown(timeout: .seconds(10)) == .success)
            try await Task.sleep(for: .milliseconds(200))
            let statistics = receiver.statistics
            #expect(statistics.spans == (traces == "otlp" ? 1 : 0))
            #expect(statistics.logRecords == (logs == "otlp" ? 1 : 0))
            // The batch processors count their own work in the telemetry's meter provider,
            // though swift-metrics was not bootstrapped: the series without error.type counts
            // the spans or records exported.
            func processed(_ signal: String) -> Int64? {
                guard
                    let metric = receiver.metrics.first(where: { $0.name == "otel.sdk.processor.\(signal).processed" }),
                    case .sum(let points, _, isMonotonic: true) = metric.points,
                    let exported = points.first(where: { !$0.attributes.contains { $0.key == "error.type" } }),
                    case .int(let value) = exported.value
                else { return nil }
                return value
            }
            if metrics == "otlp" {
                #expect(processed("span") == (traces == "otlp" ? 1 : nil))
                #expect(processed("log") == (logs == "otlp" ? 1 : nil))
            }
            let selfMetricPoints = receiver.metrics.filter { $0.name.hasPrefix("otel.sdk.") }.reduce(0) {
                $0 + $1.points.count
            }
            #expect(statistics.dataPoints - selfMetricPoints == (metrics == "otlp" ? 1 : 0))
            if let metric = receiver.metrics.first(where: { $0.name == "charge.duration" }) {
                #expect(metric.resource.serviceName == "telemetry-test")
                guard case .histogram(let points, .cumulative) = metric.points, let point = points.first else {
                    Issue.record("not a cumulative histogram: \(metric.points)")
                    return
                }
                #expect(metric.unit == "s")
                #expect(point.count == 1)
                if let span = receiver.spans.first {
                    #expect(point.exemplars.map(\.traceID) == [span.context.traceID])
                    #expect(point.exemplars.map(\.spanID) == [span.context.spanID])
                } else {
                    #expect(point.exemplars.isEmpty, "no sampled span")
                }
            }
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
