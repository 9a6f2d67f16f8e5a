import Foundation
import OTLPExporter
import OTLPReceiver
import OTelSDK
import Tracing

// A three-stage message pipeline, traced with the SDK: a message to `first`, which sleeps 100 ms and
// publishes it to `second` (50 ms), which publishes it to `third` (75 ms). Spans go through the
// batch span processor and the OTLP exporter to the embedded receiver (or your collector), and
// the trace that arrived is drawn as a waterfall.

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

// Without an endpoint the demo starts its own receiver and sends to it over gRPC.
let receiver: OTLPReceiver?
let configuration: OTLPExporterConfiguration
do {
    var variables = environment
    if let endpoint = options.endpoint {
        receiver = nil
        variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
        variables["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = nil
        configuration = try OTLPExporterConfiguration(
            transportProtocol: options.transportProtocol,
            environment: OTelEnvironment(variables)
        )
    } else {
        let embedded = try await OTLPReceiver.start()
        receiver = embedded
        // gRPC unless the command line or the environment names a protocol.
        let protocolIsSet = ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"].contains {
            !(environment[$0] ?? "").isEmpty
        }
        let transportProtocol =
            try options.transportProtocol
            ?? (protocolIsSet
                ? OTLPExporterConfiguration(environment: OTelEnvironment(variables)).transportProtocol : .grpc)
        let url = transportProtocol == .grpc ? embedded.grpcEndpoint! : embedded.httpEndpoint! + "/v1/traces"
        configuration = try OTLPExporterConfiguration(
            endpoint: url,
            transportProtocol: transportProtocol,
            environment: OTelEnvironment(variables)
        )
    }
} catch {
    fail("\(error)", code: 2)
}

let exporter: OTLPSpanExporter
do {
    exporter = try OTLPSpanExporter(configuration: configuration)
} catch {
    fail("\(error)", code: 2)
}
let processor = BatchSpanProcessor(exporter: exporter, configuration: .init(scheduleDelay: .milliseconds(200)))
// A copy of what was sent, drawn when the spans went to an outside collector.
let sentCopy = InMemorySpanExporter()
let provider = TracerProvider(
    // Attributes given in code win over the environment, so the demo's name is only a default.
    resource: .detected(
        attributes: environment["OTEL_SERVICE_NAME"] == nil ? [Attribute("service.name", "otlp-demo")] : []
    ),
    processors: receiver == nil ? [processor, SimpleSpanProcessor(exporter: sentCopy)] : [processor]
)
let tracer = provider.tracer(name: "otlp-demo", version: Resource.sdkVersion)

let broker = InProcessBroker(tracer: tracer)
await broker.subscribe("first", publishesTo: "second") { message in
    try await Task.sleep(for: .milliseconds(100))
    return message.body
}
await broker.subscribe("second", publishesTo: "third") { message in
    try await Task.sleep(for: .milliseconds(50))
    return message.body
}
await broker.subscribe("third") { _ in
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

let statistics = processor.statistics
let expectedSpans = options.messages * 6
guard failures.isEmpty else { fail("handlers failed: \(failures.joined(separator: "; "))") }
guard statistics.exported == statistics.received, statistics.received == expectedSpans else {
    let reason = exporter.statistics.lastError ?? "\(statistics) (\(shutdown))"
    // A setting that was ignored for its defaults is the likely cause: name it.
    let ignored = configuration.ignoredEnvironmentValues.map { "; the default was used for \($0)" }.joined()
    fail("export to \(configuration.endpoint) failed: \(reason)\(ignored)")
}

let spans: [SpanData]
if let receiver {
    do {
        spans = try await receiver.waitForSpans(count: expectedSpans, timeout: .seconds(10))
    } catch {
        fail("the embedded receiver did not get the spans: \(error)")
    }
    await receiver.stop()
} else {
    spans = sentCopy.finishedSpans
    print("sent \(statistics.exported) spans to \(configuration.endpoint)")
}

let waterfall = TraceWaterfall(spans: spans)
for trace in waterfall.traces {
    print("trace id \(trace.traceID.hexString)")
}
print(receiver == nil ? "\nwhat was sent:" : "\nwhat the receiver got:")
print(waterfall.text())

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
