import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing
import Tracing

@Suite("OTLP span exporter")
struct OTLPSpanExporterTests {
    private func exporter(
        url: String,
        timeout: Duration = .seconds(10),
        compression: OTLPExporterConfiguration.Compression = .none,
        transportProtocol: OTLPExporterConfiguration.TransportProtocol = .httpProtobuf
    ) throws -> OTLPSpanExporter {
        try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                transportProtocol: transportProtocol,
                headers: [.init(name: "x-api-key", value: "secret-value")],
                compression: compression,
                timeout: timeout,
                environment: OTelEnvironment([:])
            )
        )
    }

    private let batch = (0..<5).map { SpanFixtures.workloadSpan(index: $0) }

    @Test(
        "through the SDK into rotel: every span arrives",
        arguments: everyTransport
    )
    func endToEnd(
        transportProtocol: OTLPExporterConfiguration.TransportProtocol,
        compression: OTLPExporterConfiguration.Compression
    ) throws {
        let collector = try RotelCollector()
        defer { collector.stop() }
        let url = transportProtocol == .grpc ? collector.grpcEndpoint : collector.httpEndpoint + "/v1/traces"
        let exporter = try exporter(url: url, compression: compression, transportProtocol: transportProtocol)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(50), maxQueueSize: 2_048, maxExportBatchSize: 100)
        )
        let provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "exporter-test"]),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        let tracer = provider.tracer(name: "exporter-test")
        let run = UInt32.random(in: 0...UInt32.max)
        for index in 0..<250 {
            let span = tracer.startSpan("exported-\(run)-\(index)", ofKind: .producer)
            span.setAttribute("index", .int(Int64(index)))
            span.end()
        }
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        let statistics = processor.statistics
        #expect(statistics.exported == 250 && statistics.failed == 0)
        #expect(exporter.statistics.sent == 250)
        if compression == .gzip {
            #expect(exporter.statistics.sentBytes < exporter.statistics.encodedBytes)
        }
        let names = (0..<250).map { "Name           : exported-\(run)-\($0)\n" }
        let log = collector.waitForLog(containing: names)
        #expect(names.allSatisfy(log.contains))
        #expect(log.contains("service.name: Str(exporter-test)"))
    }

    @Test("503 with Retry-After, then 200: delivered once, after the delay")
    func retryAfterSeconds() throws {
        let server = try ScriptedHTTPServer(script: [.init(status: 503, headers: ["Retry-After": "1"])])
        let exporter = try exporter(url: server.url)
        let started = ContinuousClock.now
        let result = exporter.export(batch, timeout: .seconds(10))
        #expect({ if case .success = result { true } else { false } }())
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(950))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(exporter.statistics.retries == 1 && exporter.statistics.sent == 5)
        // The request is a real OTLP request with the configured headers.
        #expect(try OTLPTraceDecoder.decodeRequest(requests[1].body).count == 5)
        #expect(requests[1].head.lowercased().contains("x-api-key: secret-value"))
        #expect(requests[1].head.contains("User-Agent: OTel-OTLP-Exporter-Swift/"))
    }

    @Test("429 with an HTTP date in Retry-After is retried after that date")
    func retryAfterDate() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(2))
        let server = try ScriptedHTTPServer(script: [.init(status: 429, headers: ["Retry-After": date])])
        let exporter = try exporter(url: server.url)
        let result = exporter.export(batch, timeout: .seconds(10))
        #expect({ if case .success = result { true } else { false } }())
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(900))
    }

    @Test("400 is not retried and the batch fails, without the header value in the error")
    func badRequest() throws {
        let server = try ScriptedHTTPServer(script: [.init(status: 400, body: Array("bad spans".utf8))])
        let exporter = try exporter(url: server.url)
        let result = exporter.export(batch, timeout: .seconds(10))
        guard case .failure(let error) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect("\(error)".contains("400"))
        #expect(!"\(error)".contains("secret-value"))
        #expect(server.requests.count == 1)
        #expect(exporter.statistics.failed == 5 && exporter.statistics.retries == 0)
    }

    @Test("an error body that is a google.rpc.Status is reported by its message, protobuf or JSON")
    func statusBody() throws {
        // google.rpc.Status{code: 3 (INVALID_ARGUMENT), message: "span name too long"}
        let message = Array("span name too long".utf8)
        let protobuf: [UInt8] = [0x08, 0x03, 0x12, UInt8(message.count)] + message
        let json = Array(#"{"code":3,"message":"span name too long","details":[]}"#.utf8)
        let server = try ScriptedHTTPServer(script: [
            .init(status: 400, headers: ["Content-Type": "application/x-protobuf"], body: protobuf),
            .init(status: 400, headers: ["Content-Type": "application/json"], body: json),
        ])
        let exporter = try exporter(url: server.url)
        for _ in 0..<2 {
            guard case .failure(let error) = exporter.export(batch, timeout: .seconds(10)) else {
                Issue.record("expected a failure")
                return
            }
            #expect("\(error)" == "the collector answered HTTP 400: span name too long (code 3)", "\(error)")
        }
    }

    @Test("a partial success reports the rejected spans")
    func partialSuccess() throws {
        // ExportTraceServiceResponse{partial_success{rejected_spans: 2, error_message: "too old"}}
        let partial: [UInt8] = [0x08, 0x02, 0x12, 0x07] + Array("too old".utf8)
        let server = try ScriptedHTTPServer(script: [.init(status: 200, body: [0x0A, UInt8(partial.count)] + partial)])
        let exporter = try exporter(url: server.url)
        let result = exporter.export(batch, timeout: .seconds(10))
        guard case .partialSuccess(let rejected, let message) = result else {
            Issue.record("expected a partial success, got \(result)")
            return
        }
        #expect(rejected == 2 && message == "too old")
        #expect(exporter.statistics.rejected == 2)
    }

    @Test("a server that never answers: the export fails when its timeout passes")
    func hangingServer() throws {
        let server = try ScriptedHTTPServer(script: [.init(status: 200, hangs: true)])
        let exporter = try exporter(url: server.url, timeout: .milliseconds(500))
        let started = ContinuousClock.now
        let result = exporter.export(batch, timeout: .seconds(30))
        let took = ContinuousClock.now - started
        #expect({ if case .failure = result { true } else { false } }())
        #expect(took >= .milliseconds(400) && took < .seconds(3), "took \(took)")
    }

    @Test("connection refused is retried within the timeout, then the batch fails")
    func connectionRefused() throws {
        let server = try ScriptedHTTPServer(script: [])
        let url = server.url
        server.stop()
        let exporter = try exporter(url: url, timeout: .seconds(1))
        let started = ContinuousClock.now
        let result = exporter.export(batch, timeout: .seconds(30))
        let took = ContinuousClock.now - started
        #expect({ if case .failure = result { true } else { false } }())
        #expect(exporter.statistics.retries >= 2)
        #expect(took < .seconds(2), "took \(took)")
    }

    @Test("a batch over the request limit is split, and each request arrives")
    func split() throws {
        let server = try ScriptedHTTPServer(script: [])
        let exporter = try OTLPSpanExporter(
            configuration: OTLPExporterConfiguration(endpoint: server.url, environment: OTelEnvironment([:])),
            maximumRequestBytes: 1_000
        )
        let spans = (0..<40).map { SpanFixtures.workloadSpan(index: $0) }
        let result = exporter.export(spans, timeout: .seconds(10))
        #expect({ if case .success = result { true } else { false } }())
        let requests = server.requests
        #expect(requests.count > 1)
        #expect(requests.allSatisfy { $0.body.count <= 1_000 })
        let delivered = try requests.flatMap { try OTLPTraceDecoder.decodeRequest($0.body) }
        #expect(Set(delivered.map(\.context.spanID)) == Set(spans.map(\.context.spanID)))
    }

    @Test("1,000 consecutive gRPC exports to rotel all succeed")
    func consecutiveGRPCExports() throws {
        let collector = try RotelCollector()
        defer { collector.stop() }
        let exporter = try exporter(url: collector.grpcEndpoint, transportProtocol: .grpc)
        var failures: [String] = []
        for index in 0..<1_000 {
            let result = exporter.export([SpanFixtures.workloadSpan(index: index)], timeout: .seconds(10))
            if case .failure(let error) = result { failures.append("\(index): \(error)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(exporter.statistics.sent == 1_000)
    }
}

@Suite("OTLP export timeouts")
struct OTLPExportTimeoutTests {
    @Test(
        "a timeout of 0 is no limit: OTEL_EXPORTER_OTLP_TIMEOUT=0 and OTEL_BSP_EXPORT_TIMEOUT=0 still deliver, in code too"
    )
    func zeroIsNoLimit() async throws {
        try await withReceiver { receiver in
            let url = try #require(receiver.httpEndpoint) + "/v1/traces"
            let environment = OTelEnvironment([
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": url, "OTEL_EXPORTER_OTLP_TIMEOUT": "0",
                "OTEL_BSP_EXPORT_TIMEOUT": "0",
            ])
            let configuration = try OTLPExporterConfiguration(environment: environment)
            #expect(configuration.timeout == .zero)
            let exporter = try OTLPSpanExporter(configuration: configuration)
            var processorConfiguration = BatchSpanProcessor.Configuration(environment: environment)
            #expect(processorConfiguration.exportTimeout == .zero)
            processorConfiguration.scheduleDelay = .milliseconds(20)
            let processor = BatchSpanProcessor(exporter: exporter, configuration: processorConfiguration)
            let provider = TracerProvider(processors: [processor], environment: environment)
            provider.tracer(name: "timeouts").startSpan("through the processor").end()
            #expect(await provider.shutdown(timeout: .seconds(10)) == .success)
            #expect(processor.statistics.exported == 1 && processor.statistics.failed == 0)

            // Given in code: a zero exporter timeout and a zero export timeout.
            let inCode = try OTLPSpanExporter(
                configuration: OTLPExporterConfiguration(
                    endpoint: url,
                    timeout: .zero,
                    environment: OTelEnvironment([:])
                )
            )
            let result = inCode.export([SpanFixtures.workloadSpan(index: 0)], timeout: .zero)
            #expect({ if case .success = result { true } else { false } }(), "\(result)")
            _ = try await receiver.waitForSpans(count: 2, timeout: .seconds(10))
        }
    }
}
