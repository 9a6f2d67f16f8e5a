import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

@Suite("OTLP metric exporter")
struct OTLPMetricExporterTests {
    private static func exporter(
        _ endpoint: String,
        _ transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression = .none
    ) throws -> OTLPMetricExporter {
        try OTLPMetricExporter(
            configuration: .forTest(.metrics, endpoint, transportProtocol, compression: compression)
        )
    }

    @Test(
        "every kind of point arrives as it was sent, over each protocol, with and without gzip",
        arguments: everyTransport
    )
    func roundTrip(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression
    ) async throws {
        try await withReceiver { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol, compression: compression)
            let sent = MetricFixtures.everyKind()
            #expect(exporter.export(sent, timeout: .seconds(5)).isSuccess)
            let received = try await receiver.waitForMetrics(dataPoints: 4, timeout: .seconds(5))
            // A request nests metrics by scope: compare them in one order.
            #expect(received.sorted { $0.name < $1.name } == sent.sorted { $0.name < $1.name })
            #expect(receiver.statistics.dataPoints == 4)
            #expect(exporter.statistics.sent == 4, "the exporter counts data points")
            #expect(receiver.spans.isEmpty && receiver.logRecords.isEmpty)
        }
    }

    @Test(
        "a partial success counts rejected data points (rejectedDataPoints in JSON)",
        arguments: [OTLPExporterConfiguration.TransportProtocol.httpProtobuf, .httpJSON, .grpc]
    )
    func partialSuccess(transportProtocol: OTLPExporterConfiguration.TransportProtocol) async throws {
        let configuration = OTLPReceiver.Configuration { _ in .partialSuccess(rejected: 3, message: "stale") }
        try await withReceiver(configuration) { receiver in
            let endpoint = try #require(transportProtocol == .grpc ? receiver.grpcEndpoint : receiver.httpEndpoint)
            let exporter = try Self.exporter(endpoint, transportProtocol)
            let result = exporter.export(MetricFixtures.everyKind(), timeout: .seconds(5))
            guard case .partialSuccess(let rejected, let message) = result else {
                Issue.record("expected a partial success, got \(result)")
                return
            }
            #expect(rejected == 3 && message == "stale")
            #expect(exporter.statistics.rejected == 3 && exporter.statistics.sent == 4)
        }
    }

    @Test(
        "configuration: OTEL_EXPORTER_OTLP_METRICS_* over the generic variables; /v1/metrics joins the generic endpoint"
    )
    func configuration() throws {
        let generic = try OTLPExporterConfiguration(
            signal: .metrics,
            environment: OTelEnvironment([
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                "OTEL_EXPORTER_OTLP_LOGS_COMPRESSION": "gzip",
            ])
        )
        #expect(generic.endpoint.absoluteString == "http://collector:4318/v1/metrics")
        #expect(generic.compression == .none)
        let specific = try OTLPExporterConfiguration(
            signal: .metrics,
            environment: OTelEnvironment([
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://metrics:4318/custom",
                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "grpc",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            ])
        )
        #expect(specific.endpoint.absoluteString == "http://metrics:4318/custom")
        #expect(specific.transportProtocol == .grpc)
        #expect(throws: OTLPConfigurationError.self) {
            try OTLPMetricExporter(
                configuration: OTLPExporterConfiguration(signal: .logs, environment: OTelEnvironment([:]))
            )
        }
    }

    @Test("a metric too large for any request is rejected with its data points; the rest is sent")
    func oversized() async throws {
        try await withReceiver(.init(grpcPort: nil)) { receiver in
            let endpoint = try #require(receiver.httpEndpoint)
            let exporter = try OTLPMetricExporter(
                configuration: OTLPExporterConfiguration(
                    signal: .metrics,
                    endpoint: endpoint + "/v1/metrics",
                    environment: OTelEnvironment([:])
                ),
                maximumRequestBytes: 1_000
            )
            let big = MetricData(
                name: "wide",
                points: .gauge(
                    (0..<40).map {
                        NumberDataPoint(
                            attributes: [Attribute("series", .string("series number \($0)"))],
                            startTimeUnixNano: 0,
                            timeUnixNano: 1,
                            value: .int(Int64($0))
                        )
                    }
                ),
                resource: MetricFixtures.resource,
                instrumentationScope: MetricFixtures.scope
            )
            let result = exporter.export(MetricFixtures.everyKind() + [big], timeout: .seconds(5))
            guard case .partialSuccess(let rejected, _) = result else {
                Issue.record("expected the wide metric rejected, got \(result)")
                return
            }
            #expect(rejected == 40, "a rejected metric counts its data points")
            _ = try await receiver.waitForMetrics(dataPoints: 4, timeout: .seconds(5))
            #expect(receiver.statistics.dataPoints == 4)
        }
    }

    @Test(
        "rotel receives every kind of point, over each protocol",
        arguments: [OTLPExporterConfiguration.TransportProtocol.httpProtobuf, .httpJSON, .grpc]
    )
    func throughRotel(transportProtocol: OTLPExporterConfiguration.TransportProtocol) throws {
        let collector = try RotelCollector()
        defer { collector.stop() }
        let exporter = try Self.exporter(
            transportProtocol == .grpc ? collector.grpcEndpoint : collector.httpEndpoint,
            transportProtocol
        )
        let run = Int64.random(in: 1_000...Int64.max)
        #expect(exporter.export(MetricFixtures.everyKind(sent: run), timeout: .seconds(5)).isSuccess)
        let log = collector.waitForLog(containing: ["\(run)", "messaging.process.duration", "request.size"])
        for needle in [
            "\(run)", "messaging.client.sent.messages", "messaging.process.duration", "request.size", "process.memory",
        ] {
            #expect(log.contains(needle), "rotel's log lacks \(needle): \(log.suffix(3_000))")
        }
    }
}
