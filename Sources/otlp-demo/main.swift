import Foundation
import OTLPExporter
import OTelSDK
import Tracing

// The seed's three-handler pipeline, traced with the SDK: a message goes to `first`, which
// sleeps 100 ms and publishes it to `second` (50 ms), which publishes it to `third` (75 ms).
// The trace context travels in the message's headers (W3C traceparent). The ended spans are
// encoded with the OTLP encoder and posted to an OTLP/HTTP endpoint. (The batch processor,
// the full exporter and the embedded receiver come in later steps.)

struct Message {
    var headers: [String: String] = [:]
    let body: String
}

struct ExportRefused: Error, CustomStringConvertible {
    let url: String
    let status: Int
    var description: String { "\(url) answered HTTP \(status)" }
}

let arguments = CommandLine.arguments.dropFirst()
var endpoint = ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "http://127.0.0.1:4318"
if let index = arguments.firstIndex(of: "--endpoint"), arguments.index(after: index) < arguments.endIndex {
    endpoint = arguments[arguments.index(after: index)]
}
let url = endpoint.hasSuffix("/") ? "\(endpoint)v1/traces" : "\(endpoint)/v1/traces"

let collected = InMemorySpanExporter()
let provider = TracerProvider(
    resource: .detected(attributes: [Attribute("service.name", "otlp-demo")]),
    processors: [SimpleSpanProcessor(exporter: collected)]
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
var context = process(message, on: "first", sleepMilliseconds: 100)
message = publish(message, to: "second", context: context)
context = process(message, on: "second", sleepMilliseconds: 50)
message = publish(message, to: "third", context: context)
_ = process(message, on: "third", sleepMilliseconds: 75)
provider.shutdown()

let spans = collected.finishedSpans
do {
    let sender = try OTLPHTTPSender(url: url)
    try OTLPTraceEncoder().encode(spans) { request in
        let response = try sender.send(request.bytes)
        guard (200..<300).contains(response.status) else { throw ExportRefused(url: url, status: response.status) }
        print("sent \(request.spanCount) spans (\(request.bytes.count) bytes) to \(url): HTTP \(response.status)")
    }
    print("trace id \(spans.first.map { "\($0.context.traceID)" } ?? "none")")
} catch {
    FileHandle.standardError.write(Data("otlp-demo: export failed: \(error)\n".utf8))
    exit(1)
}
