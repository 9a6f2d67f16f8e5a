import Foundation
import Logging
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP log exporter")
struct OTLPLogExporterTests {
    private static let resource = Resource(attributes: ["service.name": "log-exporter-test"])
    private static let scope = InstrumentationScope(name: "checkout", version: "1.0")

    /// Every value shape: primitives, bytes, nested arrays, maps, empty ones.
    private static func attributes(index: Int) -> [LogAttribute] {
        let items: LogValue = .array([.string("a"), .int(2), .array([.bool(false)])])
        let customer: LogValue = .map([LogAttribute("id", .string("7")), LogAttribute("tags", .array([]))])
        return [
            LogAttribute("index", .int(Int64(index))),
            LogAttribute("ratio", .double(0.5)),
            LogAttribute("ok", .bool(true)),
            LogAttribute("payload", .bytes([0, 1, 255])),
            LogAttribute("items", items),
            LogAttribute("customer", customer),
        ]
    }

    /// Records with every field and value shape a log record carries.
    private static func records(_ count: Int, run: UInt64 = .random(in: 1...UInt64.max)) -> [LogRecordData] {
        (0..<count).map { index in
            LogRecordData(
                timeUnixNano: 1_700_000_000_000_000_000 + UInt64(index),
                observedTimeUnixNano: 1_700_000_000_000_000_500 + UInt64(index),
                severity: LogSeverity(number: 13, text: "warning"),
                body: .string("record \(run) \(index) ✓ \"quoted\""),
                attributes: attributes(index: index),
                droppedAttributeCount: 2,
                spanContext: SpanContext(
                    traceID: TraceID(high: run, low: 42),
                    spanID: SpanID(UInt64(index + 1)),
                    traceFlags: .sampled
                ),
                eventName: index == 0 ? "order.placed" : nil,
                resource: resource,
                instrumentationScope: scope
            )
        }
    }

    private static func exporter(
        _ endpoint: String,
        _ transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression = .none,
        maximumRequestBytes: Int = OTLPProtobufTraceEncoder.defaultMaximumRequestBytes
    ) throws -> OTLPLogExporter {
        try OTLPLogExporter(
            configuration: .forTest(.logs, endpoint, transportProtocol, compression: compression),
            maximumRequestBytes: maximumRequestBytes
        )
    }

    @Test(
        "every field arrives as it was sent, over each protocol, with and without gzip",
        arguments: everyTransport
    )
    func roundTrip(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression
    ) async throws {
        try await withReceiver { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol, compression: compression)
            let sent = Self.records(5)
            #expect(exporter.export(sent, timeout: .seconds(5)).isSuccess)
            let received = try await receiver.waitForLogRecords(count: 5, timeout: .seconds(5))
            #expect(received == sent)
            #expect(exporter.statistics.sent == 5 && exporter.statistics.failed == 0)
            #expect(receiver.spans.isEmpty)
        }
    }

    @Test("a batch over the request limit is split in requests that fit; a record too large alone is refused")
    func split() async throws {
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let endpoint = try #require(receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, .httpProtobuf, maximumRequestBytes: 2_000)
            var batch = Self.records(20)
            batch.append(
                LogRecordData(
                    timeUnixNano: 1,
                    severity: LogSeverity(number: 9, text: "info"),
                    body: .string(String(repeating: "x", count: 5_000)),
                    resource: Self.resource,
                    instrumentationScope: Self.scope
                )
            )
            let result = exporter.export(batch, timeout: .seconds(5))
            guard case .partialSuccess(let rejected, _) = result else {
                Issue.record("expected the oversized record rejected, got \(result)")
                return
            }
            #expect(rejected == 1)
            // Requests travel on several lanes at once: their order of arrival is not the batch's.
            let received = try await receiver.waitForLogRecords(count: 20, timeout: .seconds(5))
            #expect(received.sorted { $0.timeUnixNano < $1.timeUnixNano } == Array(batch.prefix(20)))
            #expect(receiver.statistics.requests > 1)
        }
    }

    @Test(
        "a partial success counts rejected log records (rejectedLogRecords in JSON)",
        arguments: [
            OTLPExporterConfiguration.TransportProtocol.httpProtobuf, .httpJSON, .grpc,
        ]
    )
    func partialSuccess(transportProtocol: OTLPExporterConfiguration.TransportProtocol) async throws {
        let configuration = OTLPReceiver.Configuration { _ in .partialSuccess(rejected: 2, message: "too old") }
        try await withReceiver(configuration) { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol)
            let result = exporter.export(Self.records(5), timeout: .seconds(5))
            guard case .partialSuccess(let rejected, let message) = result else {
                Issue.record("expected a partial success, got \(result)")
                return
            }
            #expect(rejected == 2 && message == "too old")
            #expect(exporter.statistics.rejected == 2)
        }
    }

    @Test("configuration: OTEL_EXPORTER_OTLP_LOGS_* over the generic variables; /v1/logs joins the generic endpoint")
    func configuration() throws {
        let generic = try OTLPExporterConfiguration(
            signal: .logs,
            environment: OTelEnvironment([
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip",
            ])
        )
        #expect(generic.endpoint.absoluteString == "http://collector:4318/v1/logs")
        #expect(generic.compression == .none)
        let specific = try OTLPExporterConfiguration(
            signal: .logs,
            environment: OTelEnvironment([
                "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://logs:4318/custom",
                "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/json",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            ])
        )
        #expect(specific.endpoint.absoluteString == "http://logs:4318/custom")
        #expect(specific.transportProtocol == .httpJSON)
        #expect(
            try OTLPExporterConfiguration(signal: .logs, environment: OTelEnvironment([:])).endpoint.absoluteString
                == "http://localhost:4318/v1/logs"
        )
    }

    @Test("a configuration made for traces is refused by the log exporter with a typed error")
    func wrongSignal() {
        #expect(throws: OTLPConfigurationError.self) {
            try OTLPLogExporter(configuration: OTLPExporterConfiguration(environment: OTelEnvironment([:])))
        }
    }

    @Test(
        "through swift-log and the batch processor into rotel, over each protocol",
        arguments: [
            OTLPExporterConfiguration.TransportProtocol.httpProtobuf, .httpJSON, .grpc,
        ]
    )
    func throughRotel(transportProtocol: OTLPExporterConfiguration.TransportProtocol) throws {
        let collector = try RotelCollector()
        defer { collector.stop() }
        let exporter = try Self.exporter(
            transportProtocol == .grpc ? collector.grpcEndpoint : collector.httpEndpoint,
            transportProtocol
        )
        let processor = BatchLogRecordProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(50))
        )
        let provider = LoggerProvider(
            resource: Self.resource,
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        let traces = TracerProvider(
            resource: Self.resource,
            sampler: AlwaysOnSampler(),
            environment: OTelEnvironment([:])
        )
        let logger = Logger(label: "rotel-logs") { provider.makeLogHandler(label: $0) }
        let run = UInt32.random(in: 0...UInt32.max)
        var traceID = ""
        traces.tracer(name: "t").withSpan("order") { span in
            traceID = span.spanContext.traceID.hexString
            logger.warning("order \(run) slow", metadata: ["order.id": "42"])
        }
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        #expect(processor.statistics.exported == 1)
        let log = collector.waitForLog(containing: ["Body: Str(order \(run) slow)"])
        #expect(log.contains("Body: Str(order \(run) slow)"), "\(log.suffix(2_000))")
        #expect(log.contains("SeverityNumber: SEVERITY_NUMBER_WARN(13)"))
        #expect(log.contains("-> order.id: Str(42)"))
        #expect(log.contains("Trace ID       : \(traceID)"))
        #expect(log.contains("service.name: Str(log-exporter-test)"))
    }
}
