import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// The demo executable, run as a user runs it.
@Suite("otlp-demo end to end")
struct OTLPDemoTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// The `otlp-demo` built next to the test bundle (`swift build --build-tests` builds it).
    static var demoPath: String {
        get throws {
            let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for candidate in [directory, directory.deletingLastPathComponent()] {
                let path = candidate.appendingPathComponent("otlp-demo").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            throw DemoNotBuilt()
        }
    }

    struct DemoNotBuilt: Error, CustomStringConvertible {
        var description: String { "otlp-demo is not built next to the tests; run `swift build --build-tests` first" }
    }

    static func runDemo(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try demoPath)
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OTEL_") }
        variables.merge(environment) { $1 }
        process.environment = variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// The documented structure: one trace of publish/process pairs for first, second and third,
    /// each process the child of its publish, each publish after the first the child of the
    /// previous process, with the handlers' sleeps and the messaging attributes.
    static func checkPipelineTrace(_ spans: [SpanData], serviceName: String = "otlp-demo") {
        #expect(spans.count == 6)
        #expect(Set(spans.map(\.context.traceID)).count == 1, "one trace")
        func span(_ name: String) -> SpanData? { spans.first { $0.name == name } }
        var previousProcess: SpanData?
        for (destination, milliseconds) in [("first", 100), ("second", 50), ("third", 75)] {
            guard let publish = span("publish \(destination)"), let process = span("process \(destination)") else {
                Issue.record("missing the spans of \(destination) in \(spans.map(\.name))")
                return
            }
            #expect(publish.kind == .producer && process.kind == .consumer)
            #expect(
                process.parentSpanID == publish.context.spanID,
                "process \(destination) is the child of its publish"
            )
            #expect(
                publish.parentSpanID == previousProcess?.context.spanID,
                "publish \(destination) continues the previous handler"
            )
            let duration = process.endTimeUnixNano - process.startTimeUnixNano
            #expect(duration >= UInt64(milliseconds) * 1_000_000, "\(destination) took \(duration) ns")
            for span in [publish, process] {
                let attributes = Dictionary(uniqueKeysWithValues: span.attributes.map { ($0.key, $0.value) })
                #expect(attributes["messaging.system"] == .string("in-process"))
                #expect(attributes["messaging.destination.name"] == .string(destination))
                #expect(attributes["messaging.operation.type"] == .string(span.kind == .producer ? "send" : "process"))
                #expect(attributes["messaging.message.id"] != nil && attributes["messaging.message.body.size"] != nil)
                #expect(span.resource.attributes.contains(Attribute("service.name", .string(serviceName))))
            }
            previousProcess = process
        }
    }

    /// The line each handler logs for the first message.
    static let handlerLines = [
        ("first", "accepted order 1"), ("second", "priced order 1"), ("third", "shipped order 1"),
    ]

    /// One INFO record per handler, made inside its CONSUMER span (that span's trace id, span id
    /// and sampled flag), with the call's metadata and source location, and the spans' resource.
    static func checkPipelineLogs(_ logRecords: [LogRecordData], spans: [SpanData]) {
        #expect(logRecords.count == 3)
        for (destination, body) in handlerLines {
            guard let record = logRecords.first(where: { $0.body == .string(body) }),
                let process = spans.first(where: { $0.name == "process \(destination)" })
            else {
                Issue.record("no record \"\(body)\" in \(logRecords.map(\.body)) or no span process \(destination)")
                continue
            }
            #expect(record.severity == LogSeverity(.info))
            #expect(record.instrumentationScope.name == "otlp-demo.\(destination)")
            #expect(record.spanContext?.traceID == process.context.traceID)
            #expect(record.spanContext?.spanID == process.context.spanID)
            #expect(record.spanContext?.traceFlags.contains(.sampled) == true)
            #expect(record.attributes["messaging.destination.name"] == .string(destination))
            #expect(record.attributes["code.file.path"] == .string("otlp_demo/main.swift"))
            #expect(record.attributes["code.line.number"] != nil)
            #expect(record.resource == process.resource)
            #expect(record.timeUnixNano >= process.startTimeUnixNano && record.timeUnixNano <= process.endTimeUnixNano)
        }
    }

    /// The messaging helpers' metrics for `messages` messages through the three stages: a
    /// duration histogram in seconds per destination whose counts add up to the messages
    /// processed, each exemplar naming a span of the exported traces; a monotonic count of the
    /// messages sent; the spans' resource.
    static func checkPipelineMetrics(_ metrics: [MetricData], spans: [SpanData], messages: Int = 1) {
        let spanIDs = Dictionary(spans.map { ($0.context.spanID, $0) }) { first, _ in first }
        guard let processed = metrics.first(where: { $0.name == "messaging.process.duration" }),
            case .histogram(let points, .cumulative) = processed.points
        else {
            Issue.record("no cumulative histogram messaging.process.duration in \(metrics.map(\.name))")
            return
        }
        #expect(processed.unit == "s")
        #expect(points.count == 3, "one series per destination")
        #expect(points.reduce(0) { $0 + $1.count } == UInt64(3 * messages), "every message processed once per stage")
        for point in points {
            #expect(point.bucketCounts.reduce(0, +) == point.count)
            #expect(point.explicitBounds == HistogramAggregation.timerBoundaries)
            #expect(!point.exemplars.isEmpty, "a measurement in a sampled span is an exemplar")
            for exemplar in point.exemplars {
                guard let spanID = exemplar.spanID, let span = spanIDs[spanID] else {
                    Issue.record("the exemplar's span \(String(describing: exemplar.spanID)) was not exported")
                    continue
                }
                #expect(exemplar.traceID == span.context.traceID)
                #expect(
                    point.attributes["messaging.destination.name"]
                        == .string(String(span.name.dropFirst("process ".count)))
                )
            }
        }
        guard let sent = metrics.first(where: { $0.name == "messaging.client.sent.messages" }),
            case .sum(let sentPoints, .cumulative, isMonotonic: true) = sent.points
        else {
            Issue.record("no cumulative monotonic sum messaging.client.sent.messages in \(metrics.map(\.name))")
            return
        }
        #expect(sent.unit == "{message}")
        #expect(
            sentPoints.reduce(0) { if case .int(let value) = $1.value { $0 + value } else { $0 } }
                == Int64(3 * messages)
        )
        #expect(processed.resource == spans.first?.resource)
        #expect(sent.resource == spans.first?.resource)
    }

    @Test("by default the demo exports over gRPC to its embedded receiver and draws the trace it got")
    func embeddedReceiver() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let run = try Self.runDemo(["--json", json])
        #expect(run.status == 0, "stderr: \(run.errors)")
        #expect(run.output.contains("(grpc)"))
        #expect(run.output.contains("what the receiver got:"))
        let spans = try OTLPTraceDecoder.decodeJSONRequest([UInt8](try Data(contentsOf: URL(fileURLWithPath: json))))
        Self.checkPipelineTrace(spans)
        let traceID = try #require(spans.first?.context.traceID.hexString)
        #expect(run.output.contains("trace id \(traceID)"))
        // The waterfall: a line per span, nested, with its kind.
        #expect(run.output.contains("└ process first") && run.output.contains("CONSUMER"))
        #expect(run.output.contains("        └ process third"))
        // Each handler's log line, under its span.
        for (_, body) in Self.handlerLines { #expect(run.output.contains("· INFO \(body)")) }
        // The processing durations the receiver got, each with the span of its exemplar.
        for (destination, _) in Self.handlerLines {
            let span = try #require(spans.first { $0.name == "process \(destination)" })
            let line = run.output.split(separator: "\n").first {
                $0.contains("messaging.process.duration s histogram{")
                    && $0.contains("destination.name=\(destination),")
            }
            #expect(line?.contains("count=1") == true, "\(run.output)")
            #expect(line?.contains("exemplar span \(span.context.spanID.hexString)") == true, "\(run.output)")
        }
    }

    @Test("--messages N makes N traces; OTEL_SERVICE_NAME names the service")
    func severalMessages() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let run = try Self.runDemo(
            ["--messages", "3", "--protocol", "http/protobuf", "--json", json],
            environment: ["OTEL_SERVICE_NAME": "orders"]
        )
        #expect(run.status == 0, "stderr: \(run.errors)")
        let spans = try OTLPTraceDecoder.decodeJSONRequest([UInt8](try Data(contentsOf: URL(fileURLWithPath: json))))
        let traces = Dictionary(grouping: spans, by: \.context.traceID)
        #expect(traces.count == 3)
        for trace in traces.values { Self.checkPipelineTrace(trace, serviceName: "orders") }
    }

    @Test(
        "with an endpoint the demo sends there: rotel gets the spans, log records and metrics and forwards them intact",
        arguments: ["grpc", "http/protobuf"]
    )
    func throughRotel(transportProtocol: String) async throws {
        try await withReceiver(.init(httpPort: nil)) { receiver in
            let grpcPort = try #require(receiver.grpcPort)
            let collector = try RotelCollector(forwardingTo: "http://127.0.0.1:\(grpcPort)")
            defer { collector.stop() }
            let run = try Self.runDemo(
                [
                    "--endpoint", transportProtocol == "grpc" ? collector.grpcEndpoint : collector.httpEndpoint,
                    "--protocol", transportProtocol,
                ],
                environment: ["OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"]
            )
            #expect(run.status == 0, "stderr: \(run.errors)")
            #expect(run.output.contains("what was sent:"))
            let spans = try await receiver.waitForSpans(count: 6, timeout: .seconds(15))
            Self.checkPipelineTrace(spans)
            let traceID = try #require(spans.first?.context.traceID.hexString)
            #expect(run.output.contains("trace id \(traceID)"))
            let logRecords = try await receiver.waitForLogRecords(count: 3, timeout: .seconds(15))
            Self.checkPipelineLogs(logRecords, spans: spans)
            let metrics = try await receiver.waitForMetrics(dataPoints: 9, timeout: .seconds(15))
            Self.checkPipelineMetrics(metrics, spans: spans)

            // What rotel itself decoded, before forwarding: each record in its span.
            var needles = ["Resource attributes:", "service.name: Str(otlp-demo)"]
            for (destination, body) in Self.handlerLines {
                let span = try #require(spans.first { $0.name == "process \(destination)" })
                needles += [
                    "InstrumentationScope otlp-demo.\(destination)",
                    "Body: Str(\(body))\nAttributes:\n     -> messaging.destination.name: Str(\(destination))",
                    "Span ID        : \(span.context.spanID.hexString)",
                ]
            }
            needles += ["SeverityNumber: SEVERITY_NUMBER_INFO(9)", "Trace ID       : \(traceID)", "Flags: 3"]
            // Its decoded metrics: the duration histogram in seconds with the process spans as
            // exemplars, and the monotonic count of messages sent.
            needles += [
                "Name: messaging.process.duration\n     -> Description: \n     -> Unit: s\n     -> DataType: Histogram",
                "Name: messaging.client.sent.messages\n     -> Description: \n     -> Unit: {message}\n"
                    + "     -> DataType: Sum\n     -> IsMonotonic: true",
            ]
            for (destination, _) in Self.handlerLines {
                let span = try #require(spans.first { $0.name == "process \(destination)" })
                needles.append("-> Trace ID: \(traceID)\n     -> Span ID: \(span.context.spanID.hexString)")
            }
            let log = collector.waitForLog(containing: needles)
            for needle in needles { #expect(log.contains(needle), "rotel's log lacks \(needle)") }
        }
    }

    @Test("a failed export exits non-zero with a clear message; bad options exit 2")
    func failures() async throws {
        let refused = try Self.runDemo(
            ["--endpoint", "http://127.0.0.1:1"],
            environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": "500"]
        )
        #expect(refused.status == 1)
        #expect(refused.errors.contains("otlp-demo: export to http://127.0.0.1:1/v1/traces failed"))

        // A misspelt protocol is warned about and the default (http/protobuf) used; sent to a
        // gRPC endpoint that fails, and the failure names the setting.
        let misspelt = try await withReceiver { receiver in
            try Self.runDemo(
                ["--endpoint", try #require(receiver.grpcEndpoint)],
                environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "grcp", "OTEL_EXPORTER_OTLP_TIMEOUT": "2000"]
            )
        }
        #expect(misspelt.status == 1)
        #expect(misspelt.errors.contains("invalid OTEL_EXPORTER_OTLP_PROTOCOL \"grcp\""), "stderr: \(misspelt.errors)")

        let badProtocol = try Self.runDemo(["--protocol", "carrier-pigeon"])
        #expect(badProtocol.status == 2)
        #expect(badProtocol.errors.contains("--protocol carrier-pigeon: expected grpc, http/protobuf or http/json"))

        let badEndpoint = try Self.runDemo(["--endpoint", "localhost:4318"])
        #expect(badEndpoint.status == 2)
        #expect(badEndpoint.errors.contains("localhost:4318"))
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "the HTML waterfall opens in headless Chromium and shows the bars",
        .enabled(
            if: chromium != nil,
            "chromium is not installed (apt-get install chromium; the README's test command installs it)"
        )
    )
    func htmlInChromium() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("trace.html").path
        let screenshot = directory.appendingPathComponent("trace.png").path
        let run = try Self.runDemo(["--html", html])
        #expect(run.status == 0, "stderr: \(run.errors)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.components(separatedBy: "class=\"row\"").count - 1 == 6)

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        browser.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,500",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--screenshot=\(screenshot)", URL(fileURLWithPath: html).absoluteString,
        ]
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        browser.waitUntilExit()
        #expect(browser.terminationStatus == 0)

        let image = try PNGImage(contentsOfFile: screenshot)
        #expect(image.width == 1200 && image.height == 500)
        // The consumer bars (100, 50 and 75 ms of a ~226 ms trace on a ~730 px track, 18 px
        // high) are thousands of green pixels; the producer bars are thin blue ones.
        let green = image.count(color: 0x16A34A)
        let blue = image.count(color: 0x2563EB)
        #expect(green > 8_000, "consumer bars: \(green) pixels")
        #expect(blue > 100, "producer bars and legend: \(blue) pixels")
    }
}
