import Foundation
import OTLPExporter
import OTelSDK
import Tracing

// The seed's three-handler pipeline, traced with the SDK: a message goes to `first`, which
// sleeps 100 ms and publishes it to `second` (50 ms), which publishes it to `third` (75 ms).
// The trace context travels in the message's headers (W3C traceparent). Spans go through the
// batch span processor to the OTLP/HTTP exporter. (gRPC and the embedded receiver come in
// later steps.)

struct Message {
    var headers: [String: String] = [:]
    let body: String
}

let arguments = CommandLine.arguments.dropFirst()
var endpoint = ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "http://127.0.0.1:4318"
if let index = arguments.firstIndex(of: "--endpoint"), arguments.index(after: index) < arguments.endIndex {
    endpoint = arguments[arguments.index(after: index)]
}
let exporter: OTLPSpanExporter
do {
    // --endpoint is the collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is.
    var variables = ProcessInfo.processInfo.environment
    variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    exporter = try OTLPSpanExporter(configuration: OTLPExporterConfiguration(environment: OTelEnvironment(variables)))
} catch {
    FileHandle.standardError.write(Data("otlp-demo: \(error)\n".utf8))
    exit(2)
}
let processor = BatchSpanProcessor(exporter: exporter)
let provider = TracerProvider(
    resource: .detected(attributes: [Attribute("service.name", "otlp-demo")]),
    processors: [processor]
)
let tracer = provider.tracer(name: "otlp-demo", version: Resource.sdkVersion)

/// Publishes `message` to `destination`: a PRODUCER span whose context goes into the headers.
func publish(_ message: Message, to destination: String, context: InstrumentationContext) -> Message {
    var message = message
    let span = tracer.startSpan("publish \(destination)", context: context, ofKind: .producer)
    span.setAttribute("messaging.system", "in-process")
    span.setAttribute("messaging.destination.name", .string(destination))
    span.setAttribute("messaging.operation.type", "send")
    tracer.inject(span.context, into: &message.headers, using: DictionaryInjector())
    span.end()
    return message
}

/// Handles `message` on `destination`: a CONSUMER span, child of the publisher's.
func process(_ message: Message, on destination: String, sleepMilliseconds: Int) -> InstrumentationContext {
    var parent = InstrumentationContext.topLevel
    tracer.extract(message.headers, into: &parent, using: DictionaryExtractor())
    let span = tracer.startSpan("process \(destination)", context: parent, ofKind: .consumer)
    span.setAttribute("messaging.system", "in-process")
    span.setAttribute("messaging.destination.name", .string(destination))
    span.setAttribute("messaging.operation.type", "process")
    span.setAttribute("messaging.message.body.size", .int(Int64(message.body.utf8.count)))
    usleep(UInt32(sleepMilliseconds) * 1_000)
    defer { span.end() }
    return span.context
}

var message = publish(Message(body: "order 42"), to: "first", context: .topLevel)
var published = InstrumentationContext.topLevel
tracer.extract(message.headers, into: &published, using: DictionaryExtractor())
let traceID = published.spanContext.map { "\($0.traceID)" } ?? "none"
var context = process(message, on: "first", sleepMilliseconds: 100)
message = publish(message, to: "second", context: context)
context = process(message, on: "second", sleepMilliseconds: 50)
message = publish(message, to: "third", context: context)
_ = process(message, on: "third", sleepMilliseconds: 75)
provider.shutdown()

let statistics = processor.statistics
guard statistics.exported == statistics.received else {
    FileHandle.standardError.write(Data(
        "otlp-demo: export to \(exporter.configuration.endpoint) failed: \(exporter.statistics.lastError ?? "\(statistics)")\n".utf8
    ))
    exit(1)
}
print("sent \(statistics.exported) spans to \(exporter.configuration.endpoint)")
print("trace id \(traceID)")
