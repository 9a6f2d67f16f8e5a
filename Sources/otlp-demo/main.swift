import CoreMetrics
import Foundation
import Logging
import OTLPExporter
import OTLPReceiver
import OTelSDK
import Tracing

// A three-stage message pipeline, traced, logged and measured with the SDK: a message to `first`,
// which sleeps 100 ms and publishes it to `second` (50 ms), which publishes it to `third` (75 ms);
// each handler logs a line inside its CONSUMER span, and the messaging helpers count the messages
// sent and time their processing through swift-metrics. Spans and log records go through the
// batch processors, metrics through the periodic reader, all over OTLP to the embedded receiver
// (or your collector); the trace that arrived is drawn as a waterfall, each span with its log
// lines, and the messaging metrics are listed under it, with their exemplars' spans.

func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("otlp-demo: \(message)\n".utf8))
    exit(code)
}

let environment = ProcessInfo.processInfo.environment
let options: DemoOptions
do {
    options = try DemoOptions(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
} catch {
    fail("\(error)", code: 2)
}

/// The exporter configuration of `signal`: to `endpoint` when given (the embedded receiver's
/// URL for the signal), else from `variables`. Only the traces' reports values of the wrong
/// form, so that each is reported once, not once per signal.
func exporterConfiguration(
    _ signal: OTLPSignal,
    endpoint: String? = nil,
    transportProtocol: OTLPExporterConfiguration.TransportProtocol?,
    variables: [String: String]
) throws -> OTLPExporterConfiguration {
    try OTLPExporterConfiguration(
        signal: signal,
        endpoint: endpoint,
        transportProtocol: transportProtocol,
        environment: signal == .traces
            ? OTelEnvironment(variables)
            : OTelEnvironment(variables, logger: Logger(label: "otlp-demo", factory: SwiftLogNoOpLogHandler.init))
    )
}

// Without an endpoint the demo starts its own receiver and sends to it over gRPC.
let receiver: OTLPReceiver?
let configuration: OTLPExporterConfiguration
let logConfiguration: OTLPExporterConfiguration
let metricConfiguration: OTLPExporterConfiguration
do {
    var variables = environment
    let transportProtocol: OTLPExporterConfiguration.TransportProtocol?
    // Each signal's URL at the embedded receiver; nil: from the environment.
    let endpoint: (OTLPSignal) -> String?
    if let given = options.endpoint {
        receiver = nil
        variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = given
        for signal in ["TRACES", "LOGS", "METRICS"] { variables["OTEL_EXPORTER_OTLP_\(signal)_ENDPOINT"] = nil }
        transportProtocol = options.transportProtocol
        endpoint = { _ in nil }
    } else {
        let embedded = try await OTLPReceiver.start()
        receiver = embedded
        // gRPC unless the command line or the environment names a protocol.
        let protocolIsSet = ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"].contains {
            !(environment[$0] ?? "").isEmpty
        }
        let chosen =
            try options.transportProtocol
            ?? (protocolIsSet
                ? OTLPExporterConfiguration(environment: OTelEnvironment(variables)).transportProtocol : .grpc)
        transportProtocol = chosen
        endpoint = { signal in chosen == .grpc ? embedded.grpcEndpoint! : embedded.httpEndpoint! + signal.httpPath }
    }
    configuration = try exporterConfiguration(
        .traces,
        endpoint: endpoint(.traces),
        transportProtocol: transportProtocol,
        variables: variables
    )
    logConfiguration = try exporterConfiguration(
        .logs,
        endpoint: endpoint(.logs),
        transportProtocol: transportProtocol,
        variables: variables
    )
    metricConfiguration = try exporterConfiguration(
        .metrics,
        endpoint: endpoint(.metrics),
        transportProtocol: transportProtocol,
        variables: variables
    )
} catch {
    fail("\(error)", code: 2)
}

let exporter: OTLPSpanExporter
let logExporter: OTLPLogExporter
let metricExporter: OTLPMetricExporter
do {
    exporter = try OTLPSpanExporter(configuration: configuration)
    logExporter = try OTLPLogExporter(configuration: logConfiguration)
    metricExporter = try OTLPMetricExporter(configuration: metricConfiguration)
} catch {
    fail("\(error)", code: 2)
}
// Attributes given in code win over the environment, so the demo's name is only a default.
let resource = Resource.detected(
    attributes: environment["OTEL_SERVICE_NAME"] == nil ? [Attribute("service.name", "otlp-demo")] : []
)

// The metrics first, so that the processors made below count their own work in them: one
// resource with the spans, and swift-metrics' backend, through which the helpers record the
// messaging metrics. The reader exports them at shutdown (the run is shorter than its
// interval), each with an exemplar naming the span it was made in.
let sentMetricsCopy = CopyingMetricExporter(forwardingTo: metricExporter)
let meterProvider = MeterProvider(
    resource: resource,
    reader: PeriodicExportingMetricReader(exporter: sentMetricsCopy)
)
MetricsSystem.bootstrap(meterProvider)

let processor = BatchSpanProcessor(
    exporter: exporter,
    configuration: .init(scheduleDelay: .milliseconds(200)),
    metricsFactory: meterProvider
)
// A copy of what was sent, drawn when the spans went to an outside collector.
let sentCopy = InMemorySpanExporter()
let provider = TracerProvider(
    resource: resource,
    processors: receiver == nil ? [processor, SimpleSpanProcessor(exporter: sentCopy)] : [processor]
)
let tracer = provider.tracer(name: "otlp-demo", version: Resource.sdkVersion)

// The logs: one resource with the spans, the same kind of batch processor.
let logProcessor = BatchLogRecordProcessor(
    exporter: logExporter,
    configuration: .init(scheduleDelay: .milliseconds(200)),
    metricsFactory: meterProvider
)
let sentLogsCopy = InMemoryLogRecordExporter()
let loggerProvider = LoggerProvider(
    resource: provider.resource,
    processors: receiver == nil ? [logProcessor, SimpleLogRecordProcessor(exporter: sentLogsCopy)] : [logProcessor]
)
func handlerLogger(_ name: String) -> Logger {
    Logger(label: "otlp-demo.\(name)", factory: loggerProvider.makeLogHandler)
}

let broker = InProcessBroker(tracer: tracer)
let firstLogger = handlerLogger("first")
await broker.subscribe("first", publishesTo: "second") { message in
    firstLogger.info("accepted \(message.body)", metadata: ["messaging.destination.name": "first"])
    try await Task.sleep(for: .milliseconds(100))
    return message.body
}
let secondLogger = handlerLogger("second")
await broker.subscribe("second", publishesTo: "third") { message in
    secondLogger.info("priced \(message.body)", metadata: ["messaging.destination.name": "second"])
    try await Task.sleep(for: .milliseconds(50))
    return message.body
}
let thirdLogger = handlerLogger("third")
await broker.subscribe("third") { message in
    thirdLogger.info("shipped \(message.body)", metadata: ["messaging.destination.name": "third"])
    try await Task.sleep(for: .milliseconds(75))
    return nil
}

print(
    "sending \(options.messages) message\(options.messages == 1 ? "" : "s") through first -> second -> third "
        + "to \(configuration.endpoint) (\(configuration.transportProtocol.rawValue))"
)
for number in 1...options.messages {
    await broker.publish("order \(number)", to: "first")
}
await broker.waitUntilIdle()
let failures = await broker.failures
let shutdown = provider.shutdown(timeout: .seconds(15))
let logShutdown = loggerProvider.shutdown(timeout: .seconds(15))
let metricShutdown = meterProvider.shutdown(timeout: .seconds(15))

let statistics = processor.statistics
let logStatistics = logProcessor.statistics
let expectedSpans = options.messages * 6
let expectedLogRecords = options.messages * 3
guard failures.isEmpty else { fail("handlers failed: \(failures.joined(separator: "; "))") }
guard statistics.exported == statistics.received, statistics.received == expectedSpans else {
    let reason = exporter.statistics.lastError ?? "\(statistics) (\(shutdown))"
    // A setting that was ignored for its defaults is the likely cause: name it.
    let ignored = configuration.ignoredEnvironmentValues.map { "; the default was used for \($0)" }.joined()
    fail("export to \(configuration.endpoint) failed: \(reason)\(ignored)")
}
guard logStatistics.exported == logStatistics.received, logStatistics.received == expectedLogRecords else {
    let reason = logExporter.statistics.lastError ?? "\(logStatistics) (\(logShutdown))"
    fail("log export to \(logConfiguration.endpoint) failed: \(reason)")
}
let metricStatistics = metricExporter.statistics
guard metricShutdown == .success, metricStatistics.sent > 0, metricStatistics.failed == 0 else {
    let reason = metricStatistics.lastError ?? "\(metricStatistics) (\(metricShutdown))"
    fail("metric export to \(metricConfiguration.endpoint) failed: \(reason)")
}

let spans: [SpanData]
let logRecords: [LogRecordData]
let metrics: [MetricData]
if let receiver {
    do {
        spans = try await receiver.waitForSpans(count: expectedSpans, timeout: .seconds(10))
        logRecords = try await receiver.waitForLogRecords(count: expectedLogRecords, timeout: .seconds(10))
        metrics = try await receiver.waitForMetrics(dataPoints: metricStatistics.sent, timeout: .seconds(10))
    } catch {
        fail("the embedded receiver did not get the spans, log records and metrics: \(error)")
    }
    await receiver.stop()
} else {
    spans = sentCopy.finishedSpans
    logRecords = sentLogsCopy.finishedLogRecords
    metrics = sentMetricsCopy.lastExport
    print(
        "sent \(statistics.exported) spans to \(configuration.endpoint), \(logStatistics.exported) log records to "
            + "\(logConfiguration.endpoint) and \(metricStatistics.sent) metric points to \(metricConfiguration.endpoint)"
    )
}

let waterfall = TraceWaterfall(spans: spans, logRecords: logRecords)
for trace in waterfall.traces {
    print("trace id \(trace.traceID.hexString)")
}
print(receiver == nil ? "\nwhat was sent:" : "\nwhat the receiver got:")
print(waterfall.text())
// The messaging metrics, a line per series; the SDK's own (otel.sdk.*) are only counted.
let messagingMetrics = metrics.filter { $0.name.hasPrefix("messaging.") }.sorted { $0.name < $1.name }
print("\nmessaging metrics (\(metrics.count - messagingMetrics.count) more from the SDK itself):")
print(messagingMetrics.flatMap { ConsoleMetricExporter.lines($0).sorted() }.map { "  " + $0 }.joined(), terminator: "")

do {
    if let htmlFile = options.htmlFile {
        try Data(waterfall.html(title: "otlp-demo: first -> second -> third").utf8).write(
            to: URL(fileURLWithPath: htmlFile)
        )
        print("wrote \(htmlFile)")
    }
    if let jsonFile = options.jsonFile {
        try Data(OTLPJSONTraceEncoder().encode(spans)).write(to: URL(fileURLWithPath: jsonFile))
        print("wrote \(jsonFile)")
    }
} catch {
    fail("cannot write the output: \(error)")
}
