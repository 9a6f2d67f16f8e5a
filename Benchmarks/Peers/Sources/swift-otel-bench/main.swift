import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

#if canImport(Glibc)
import Glibc
#endif

// The workloads of Benchmarks/README.md (W1, W2, W2g, W3) through swift-otel 1.6.0, with
// otlp-bench's command line and JSON line, so that Benchmarks/Peers/run.sh can compare the two.
// swift-otel is bootstrapped as swift-distributed-tracing's tracer and runs as a
// ServiceLifecycle service; the spans are made with the calls of Workloads.swift's
// `workloadSpan`.

let usageText = """
    usage: swift-otel-bench --workload W1|W2|W2g|W3 [--spans N] [--endpoint URL]

    Runs one workload of Benchmarks/README.md through swift-otel 1.6.0 and prints a JSON line
    and a summary.

      --spans N        spans to produce (W1 default 1,000,000; W2/W2g 500,000); W3 runs 10 s
      --endpoint URL   the OTLP receiver's base URL (required for W2, W2g, W3): OTLP/HTTP
                       protobuf to URL/v1/traces for W2 and W3, OTLP/gRPC to URL for W2g

    swift-otel reports no export statistics, so "exported", "dropped" and "spans_per_s" are
    null for W2, W2g and W3: Benchmarks/Peers/run.sh fills them from the receiver's count.
    """

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("swift-otel-bench: \(message)\n".utf8))
    exit(code)
}

enum Workload: String {
    case w1 = "W1"
    case w2 = "W2"
    case w2g = "W2g"
    case w3 = "W3"
}

// MARK: - Command line

var workload: Workload?
var requestedSpans: Int?
var endpoint: String?
do {
    var remaining = CommandLine.arguments.dropFirst()
    func value(for option: String) -> String {
        guard let value = remaining.popFirst() else { fail("\(option) needs a value") }
        return value
    }
    while let argument = remaining.popFirst() {
        switch argument {
        case "--workload":
            let text = value(for: argument)
            guard let parsed = Workload(rawValue: text) else { fail("unknown workload \(text)\n\n\(usageText)") }
            workload = parsed
        case "--spans":
            let text = value(for: argument)
            guard let count = Int(text.replacingOccurrences(of: "_", with: "")), count > 0 else {
                fail("--spans \(text): expected a positive number")
            }
            requestedSpans = count
        case "--endpoint":
            endpoint = value(for: argument)
        case "--help", "-h":
            print(usageText)
            exit(0)
        default:
            fail("unknown option \(argument)\n\n\(usageText)")
        }
    }
}
guard let workload else { fail(usageText) }
let isNetworked = workload != .w1
if isNetworked, endpoint == nil { fail("\(workload.rawValue) needs --endpoint URL (an OTLP receiver)") }
// swift-otel applies the OTEL_* environment variables over the configuration below.
let otelVariables = ProcessInfo.processInfo.environment.keys.filter { $0.hasPrefix("OTEL_") }.sorted()
if !otelVariables.isEmpty {
    FileHandle.standardError.write(
        Data(
            "swift-otel-bench: warning: \(otelVariables.joined(separator: ", ")) set; they override the workload's configuration\n"
                .utf8
        )
    )
}

// MARK: - swift-otel, as the workload says

var configuration = OTel.Configuration.default
configuration.serviceName = "bench"
configuration.diagnosticLogLevel = .warning  // the console diagnostic logger writes to standard error
configuration.propagators = [.traceContext]
configuration.metrics.enabled = false
configuration.logs.enabled = false
configuration.traces.sampler = .alwaysOn
configuration.traces.batchSpanProcessor.maxQueueSize = 8_192
configuration.traces.batchSpanProcessor.maxExportBatchSize = 512
configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(workload == .w1 ? 10 : 100)
if let endpoint {
    configuration.traces.exporter = .otlp
    configuration.traces.otlpExporter.compression = .none
    let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    if workload == .w2g {
        configuration.traces.otlpExporter.protocol = .grpc
        configuration.traces.otlpExporter.endpoint = base
    } else {
        // An explicitly set endpoint is used as it is: the traces path is ours to append.
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = base + "/v1/traces"
    }
}
if !isNetworked {
    // W1: swift-otel's "none" exporter, which discards each batch the batch span processor hands it.
    configuration.traces.exporter = .none
}

func makeBackend(_ configuration: OTel.Configuration) -> (factory: some Tracer, service: some Service) {
    do {
        return try OTel.makeTracingBackend(configuration: configuration)
    } catch {
        fail("\(error)")
    }
}
let backend = makeBackend(configuration)
InstrumentationSystem.bootstrap(backend.factory)
// The tracer InstrumentationSystem now holds, statically typed as otlp-bench's is.
let tracer = backend.factory

let serviceGroup = ServiceGroup(
    services: [backend.service],
    logger: Logger(label: "swift-otel-bench", factory: { _ in SwiftLogNoOpLogHandler() })
)
let running = Task.detached { try await serviceGroup.run() }

// MARK: - The span shape (Workloads.swift)

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
var parent = InstrumentationContext.topLevel
tracer.extract(["traceparent": traceparent], into: &parent, using: DictionaryExtractor())
do {
    // The parent must have been extracted: injected again, it gives the same header.
    var headers: [String: String] = [:]
    tracer.inject(parent, into: &headers, using: DictionaryInjector())
    guard headers["traceparent"] == traceparent else {
        fail("the remote parent was not extracted (inject gives \(headers))")
    }
}

func setWorkloadAttributes(_ attributes: inout SpanAttributes) {
    attributes["messaging.system"] = "kafka"
    attributes["messaging.destination.name"] = "orders"
    attributes["messaging.operation.type"] = "process"
    attributes["messaging.consumer.group.name"] = "billing"
    attributes["messaging.kafka.partition"] = 3
    attributes["messaging.message.body.size"] = 1024
}

func workloadSpan<T: Tracer>(_ tracer: T, parent: InstrumentationContext) {
    let span = tracer.startSpan("process orders", context: parent, ofKind: .consumer)
    span.updateAttributes(setWorkloadAttributes)
    span.addEvent("ack")
    span.end()
}

// MARK: - Produce, shut down, report

struct ProcessUsage {
    let cpuSeconds: Double
    let peakResidentBytes: Int

    static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let seconds =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        // Linux reports ru_maxrss in kibibytes.
        return ProcessUsage(cpuSeconds: seconds, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}

let rate: Int? = workload == .w3 ? 50_000 : nil
let spanCount = rate.map { $0 * 10 } ?? requestedSpans ?? (workload == .w1 ? 1_000_000 : 500_000)

// The producer runs on the main thread, as otlp-bench's does; swift-otel's services run on the
// cooperative pool.
let usageBefore = ProcessUsage.now()
let clock = ContinuousClock()
let start = clock.now
for index in 0..<spanCount {
    if let rate, index % 64 == 0 {
        let due = start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
        let now = clock.now
        if now < due { usleep(UInt32((due - now).components.attoseconds / 1_000_000_000_000)) }
    }
    workloadSpan(tracer, parent: parent)
}
let produced = clock.now - start
// Graceful shutdown: swift-otel stops its tracer, flushes its batch span processor and shuts
// its exporter down; the service group returns when that is done.
await serviceGroup.triggerGracefulShutdown()
var shutdownResult = "success"
do {
    try await running.value
} catch {
    shutdownResult = "\(error)"
}
let wall = clock.now - start
let usage = ProcessUsage.now()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
let wallSeconds = seconds(wall)
let cpuSeconds = usage.cpuSeconds - usageBefore.cpuSeconds
let nsPerSpan = seconds(produced) * 1e9 / Double(spanCount)
print(
    "{\"system\":\"swift-otel\",\"workload\":\"\(workload.rawValue)\",\"spans\":\(spanCount),"
        + "\"ns_per_span\":\(format(nsPerSpan, 1)),\"exported\":null,\"dropped\":null,"
        + "\"cpu_s\":\(format(cpuSeconds, 3)),\"wall_s\":\(format(wallSeconds, 3)),"
        + "\"peak_rss_bytes\":\(usage.peakResidentBytes),\"spans_per_s\":null,"
        + "\"shutdown\":\"\(shutdownResult.replacingOccurrences(of: "\"", with: "'"))\"}"
)
print(
    "swift-otel \(workload.rawValue): \(spanCount) spans, \(format(nsPerSpan, 0)) ns/span on the producer, "
        + "\(format(wallSeconds, 2)) s to shutdown, \(format(cpuSeconds, 2)) CPU s, "
        + "peak RSS \(usage.peakResidentBytes >> 20) MiB"
)
