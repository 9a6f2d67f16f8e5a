import Foundation
import OTLPExporter
import OTelSDK

// Until the tracer provider and the pipeline demo exist, this encodes the trace the seed's
// three-handler pipeline produces (publish/process for `first` -> `second` -> `third`) and
// posts it to an OTLP/HTTP endpoint, so that the encoder can be seen working against a
// real collector.

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

let resource = Resource(attributes: [
    Attribute("service.name", .string(ProcessInfo.processInfo.environment["OTEL_SERVICE_NAME"] ?? "otlp-demo")),
    Attribute("telemetry.sdk.language", "swift"),
])
let scope = InstrumentationScope(name: "otlp-demo", version: "0.1.0")
let traceID = TraceID(high: .random(in: 1...UInt64.max), low: .random(in: 1...UInt64.max))
var now = timespec()
clock_gettime(CLOCK_REALTIME, &now)
let start = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)

var spans: [SpanData] = []
var parent: SpanID? = nil
var clock = start
for (handler, sleepMilliseconds) in [("first", 100), ("second", 50), ("third", 75)] {
    let messaging = [
        Attribute("messaging.system", "in-process"),
        Attribute("messaging.destination.name", .string(handler)),
    ]
    let publish = SpanData(
        context: SpanContext(traceID: traceID, spanID: SpanID(.random(in: 1...UInt64.max)), traceFlags: .sampled),
        parentSpanID: parent,
        name: "publish \(handler)",
        kind: .producer,
        startTimeUnixNano: clock,
        endTimeUnixNano: clock + 1_000_000,
        attributes: messaging + [Attribute("messaging.operation.type", "send")],
        resource: resource,
        instrumentationScope: scope
    )
    let processEnd = clock + 2_000_000 + UInt64(sleepMilliseconds) * 1_000_000
    let process = SpanData(
        context: SpanContext(traceID: traceID, spanID: SpanID(.random(in: 1...UInt64.max)), traceFlags: .sampled),
        parentSpanID: publish.context.spanID,
        name: "process \(handler)",
        kind: .consumer,
        startTimeUnixNano: clock + 1_000_000,
        endTimeUnixNano: processEnd,
        attributes: messaging + [Attribute("messaging.operation.type", "process")],
        resource: resource,
        instrumentationScope: scope
    )
    spans += [publish, process]
    parent = process.context.spanID
    clock = processEnd - 1_000_000
}

do {
    let sender = try OTLPHTTPSender(url: url)
    let encoder = OTLPTraceEncoder()
    try encoder.encode(spans) { request in
        let response = try sender.send(request.bytes)
        guard (200..<300).contains(response.status) else {
            throw ExportRefused(url: url, status: response.status)
        }
        print("sent \(request.spanCount) spans (\(request.bytes.count) bytes) to \(url): HTTP \(response.status)")
    }
    print("trace id \(traceID)")
} catch {
    FileHandle.standardError.write(Data("otlp-demo: export failed: \(error)\n".utf8))
    exit(1)
}
