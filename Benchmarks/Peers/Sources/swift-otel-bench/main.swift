import CoreMetrics
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

#if canImport(Glibc)
import Glibc
#endif

// The workloads of Benchmarks/README.md (W1, W2, W2g, W3; L1 and L2 for logs; M1 and M2 for
// metrics) through swift-otel
// 1.6.0, with otlp-bench's command line and JSON line, so that Benchmarks/Peers/run.sh can compare
// the two. swift-otel is bootstrapped as swift-distributed-tracing's tracer and runs as a
// ServiceLifecycle service; the spans and log calls are made with the calls of Workloads.swift's
// `workloadSpan` and `workloadLog`.

let usageText = """
    usage: swift-otel-bench --workload W1|W2|W2g|W3|L1|L2|M1|M2 [--spans N] [--records N] [--endpoint URL]

    Runs one workload of Benchmarks/README.md through swift-otel 1.6.0 and prints a JSON line
    and a summary.

      --spans N        spans to produce (W1 default 1,000,000; W2/W2g 500,000); W3 runs 10 s
      --records N      log records for L1 (default 1,000,000), measurements of each kind for
                       M1 (default 10,000,000); L2 runs 10 s, M2 10 exports
      --endpoint URL   the OTLP receiver's base URL (required for W2, W2g, W3, L2, M2): OTLP/HTTP
                       protobuf to URL/v1/traces for W2 and W3, URL/v1/logs for L2 and
                       URL/v1/metrics for M2, OTLP/gRPC to URL for W2g

    swift-otel reports no export statistics, so "exported", "dropped" and "spans_per_s" are
    null for W2, W2g, W3 and L1, and L2's too: Benchmarks/Peers/run.sh fills them from the
    receiver's count.
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
    case l1 = "L1"
    case l2 = "L2"
    case m1 = "M1"
    case m2 = "M2"

    var isLogs: Bool { self == .l1 || self == .l2 }
    var isMetrics: Bool { self == .m1 || self == .m2 }
}

// MARK: - Command line

var workload: Workload?
var requestedSpans: Int?
var requestedRecords: Int?
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
        case "--records":
            let text = value(for: argument)
            guard let count = Int(text.replacingOccurrences(of: "_", with: "")), count > 0 else {
                fail("--records \(text): expected a positive number")
            }
            requestedRecords = count
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
let isNetworked = workload != .w1 && workload != .l1 && workload != .m1
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
configuration.metrics.enabled = workload.isMetrics
// M1 records without exporting; M2 exports every second, cumulative, explicit buckets (the
// defaults, as otlp-bench's).
configuration.metrics.exporter = .none
configuration.metrics.exportInterval = .seconds(1)
configuration.metrics.exportTimeout = .seconds(10)
configuration.logs.enabled = workload.isLogs
configuration.traces.sampler = .alwaysOn
configuration.traces.batchSpanProcessor.maxQueueSize = 8_192
configuration.traces.batchSpanProcessor.maxExportBatchSize = 512
configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(workload == .w1 ? 10 : 100)
if let endpoint, workload == .m2 {
    configuration.metrics.exporter = .otlp
    configuration.metrics.otlpExporter.compression = .none
    configuration.metrics.otlpExporter.protocol = .httpProtobuf
    configuration.metrics.otlpExporter.endpoint =
        (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/v1/metrics"
    configuration.traces.exporter = .none
} else if let endpoint, workload.isLogs {
    // L2: the logs to URL/v1/logs, with the specification's batch defaults (otlp-bench's too).
    configuration.logs.exporter = .otlp
    configuration.logs.otlpExporter.compression = .none
    configuration.logs.otlpExporter.protocol = .httpProtobuf
    configuration.logs.otlpExporter.endpoint =
        (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/v1/logs"
    configuration.traces.exporter = .none
} else if let endpoint {
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
    // W1, L1 and M1: swift-otel's "none" exporter, which discards each batch the processor hands it.
    configuration.traces.exporter = .none
    configuration.logs.exporter = .none
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

func makeLoggingBackend(
    _ configuration: OTel.Configuration
) -> (factory: @Sendable (String) -> any LogHandler, service: any Service)? {
    guard workload.isLogs else { return nil }
    do {
        let backend = try OTel.makeLoggingBackend(configuration: configuration)
        return (backend.factory, backend.service)
    } catch {
        fail("\(error)")
    }
}
let loggingBackend = makeLoggingBackend(configuration)

func makeMetricsBackend(_ configuration: OTel.Configuration) -> (factory: any MetricsFactory, service: any Service)? {
    guard workload.isMetrics else { return nil }
    do {
        let backend = try OTel.makeMetricsBackend(configuration: configuration)
        return (backend.factory, backend.service)
    } catch {
        fail("\(error)")
    }
}
let metricsBackend = makeMetricsBackend(configuration)

var services: [any Service] = [backend.service]
if let loggingBackend { services.append(loggingBackend.service) }
if let metricsBackend { services.append(metricsBackend.service) }
let serviceGroup = ServiceGroup(
    services: services,
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

// MARK: - Pacing and shutting down, as otlp-bench does

/// Sleeps until item `index` is due at `rate` items a second from `start`.
func pace(_ index: Int, rate: Int, start: ContinuousClock.Instant) {
    let due = start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
    let now = ContinuousClock.now
    if now < due { usleep(UInt32((due - now).components.attoseconds / 1_000_000_000_000)) }
}

/// Graceful shutdown: swift-otel stops its tracer (and logger), flushes its batch processors and
/// shuts its exporters down; the service group returns when that is done.
/// - Returns: "success" or the error.
func shutDown() async -> String {
    await serviceGroup.triggerGracefulShutdown()
    do {
        try await running.value
        return "success"
    } catch {
        return "\(error)"
    }
}

// MARK: - The log call (Workloads.swift)

func workloadLog(_ logger: Logger) {
    logger.info(
        "order accepted",
        metadata: ["messaging.destination.name": "orders", "messaging.message.id": "4711", "order.items": "3"]
    )
}

/// L1's floor: a handler that takes each event and does nothing.
struct DiscardingLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {}
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

func formatOrNull(_ value: Double?, _ digits: Int) -> String {
    value.map { String(format: "%.\(digits)f", $0) } ?? "null"
}

// MARK: - L1 and L2: as otlp-bench's LogWorkloads runs them

if let loggingBackend {
    let logger = Logger(label: "bench", factory: loggingBackend.factory)
    let floorLogger = Logger(label: "bench", factory: { _ in DiscardingLogHandler() })
    let isL1 = workload == .l1
    // L1: bursts of 64 calls on each logger in turn, at most 250,000 records a second, only the
    // calls timed; L2: 100,000 records a second for 10 s.
    let rate = isL1 ? 250_000 : 100_000
    let recordCount = isL1 ? (requestedRecords ?? 1_000_000) : rate * 10
    let usageBefore = ProcessUsage.now()
    let clock = ContinuousClock()
    let start = clock.now
    var sdkTime = Duration.zero
    var floorTime = Duration.zero
    tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
        for burst in stride(from: 0, to: recordCount, by: 64) {
            pace(burst, rate: rate, start: start)
            let calls = min(64, recordCount - burst)
            let floorStart = clock.now
            if isL1 { for _ in 0..<calls { workloadLog(floorLogger) } }
            let sdkStart = clock.now
            for _ in 0..<calls { workloadLog(logger) }
            let sdkEnd = clock.now
            floorTime += sdkStart - floorStart
            sdkTime += sdkEnd - sdkStart
        }
    }
    let shutdownResult = await shutDown()
    let wall = clock.now - start
    let usage = ProcessUsage.now()
    let nsPerRecord = sdkTime / .nanoseconds(1) / Double(recordCount)
    let floorNanoseconds = isL1 ? floorTime / .nanoseconds(1) / Double(recordCount) : nil
    let wallSeconds = wall / .seconds(1)
    let cpuSeconds = usage.cpuSeconds - usageBefore.cpuSeconds
    print(
        "{\"system\":\"swift-otel\",\"workload\":\"\(workload.rawValue)\",\"records\":\(recordCount),"
            + "\"ns_per_record\":\(formatOrNull(nsPerRecord, 1)),\"floor_ns_per_record\":\(formatOrNull(floorNanoseconds, 1)),"
            + "\"exported\":null,\"dropped\":null,\"cpu_s\":\(formatOrNull(cpuSeconds, 3)),"
            + "\"wall_s\":\(formatOrNull(wallSeconds, 3)),\"peak_rss_bytes\":\(usage.peakResidentBytes),"
            + "\"records_per_s\":null,\"shutdown\":\"\(shutdownResult.replacingOccurrences(of: "\"", with: "'"))\"}"
    )
    print(
        "swift-otel \(workload.rawValue): \(recordCount) records, \(formatOrNull(nsPerRecord, 0)) ns/record on the caller"
            + (floorNanoseconds.map { " (swift-log's own cost \(formatOrNull($0, 0)) ns)" } ?? "")
            + ", \(formatOrNull(wallSeconds, 2)) s to shutdown, \(formatOrNull(cpuSeconds, 2)) CPU s, "
            + "peak RSS \(usage.peakResidentBytes >> 20) MiB"
    )
    exit(0)
}

// MARK: - M1 and M2: as otlp-bench's MetricWorkloads runs them

/// M1's measurements, with the tracer whose sampled span they run in.
enum MetricRecording {
    /// A counter and a Timer of one factory, made once, as a service holds its handles.
    struct Handles: Sendable {
        let counter: Counter
        let timer: CoreMetrics.Timer

        init(_ factory: any MetricsFactory) {
            counter = Counter(label: "bench.messages", dimensions: [("messaging.system", "kafka")], factory: factory)
            timer = CoreMetrics.Timer(
                label: "bench.duration",
                dimensions: [("messaging.system", "kafka")],
                factory: factory
            )
        }
    }

    @inline(never)
    static func increment(_ counter: Counter, _ count: Int) {
        for _ in 0..<count { counter.increment() }
    }

    @inline(never)
    static func record(_ timer: CoreMetrics.Timer, _ count: Int) {
        for index in 0..<count { timer.recordNanoseconds(Int64(index & 1_023) &* 1_000 &+ 1_000) }
    }

    static func nanoseconds(
        per count: Int,
        in tracer: some Tracer,
        parent: InstrumentationContext,
        _ body: (Int) -> Void
    ) -> Double {
        tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
            let clock = ContinuousClock()
            let start = clock.now
            body(count)
            return seconds(clock.now - start) * 1e9 / Double(count)
        }
    }

    final class ThreadBody {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func nanosecondsOnTwoThreads(
        per count: Int,
        in tracer: some Tracer,
        parent: InstrumentationContext,
        _ body: @escaping @Sendable (Int) -> Void
    ) -> Double {
        let ready = Arrivals()
        let results = ResultList()
        var threads: [pthread_t] = []
        for _ in 0..<2 {
            var thread = pthread_t()
            let argument = Unmanaged.passRetained(
                ThreadBody {
                    ready.arrive()
                    while ready.count < 2 {}
                    results.append(nanoseconds(per: count, in: tracer, parent: parent, body))
                }
            ).toOpaque()
            let result = pthread_create(
                &thread,
                nil,
                { argument in
                    Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue().body()
                    return nil
                },
                argument
            )
            if result != 0 { fail("pthread_create returned \(result)") }
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
        return results.values.max() ?? 0
    }

    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func arrive() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    final class ResultList: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Double] = []
        func append(_ value: Double) { lock.withLock { list.append(value) } }
        var values: [Double] { lock.withLock { list } }
    }

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    /// Each figure's median over `rounds` rounds of `count` calls, alternating the variants.
    static func measure(
        factory: any MetricsFactory,
        count: Int,
        rounds: Int,
        tracer: some Tracer,
        parent: InstrumentationContext
    ) -> [String: Double] {
        let noop = Handles(NOOPMetricsHandler.instance)
        let sdk = Handles(factory)
        var figures: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for (name, handles) in [("noop", noop), ("plain", sdk)] {
                figures["\(name)_counter", default: []].append(
                    nanoseconds(per: count, in: tracer, parent: parent) { increment(handles.counter, $0) }
                )
                figures["\(name)_timer", default: []].append(
                    nanoseconds(per: count, in: tracer, parent: parent) { record(handles.timer, $0) }
                )
            }
            figures["plain_counter_2threads", default: []].append(
                nanosecondsOnTwoThreads(per: count, in: tracer, parent: parent) { increment(sdk.counter, $0) }
            )
            figures["plain_timer_2threads", default: []].append(
                nanosecondsOnTwoThreads(per: count, in: tracer, parent: parent) { record(sdk.timer, $0) }
            )
        }
        return figures.mapValues(median)
    }
}

if let metricsBackend, workload == .m1 {
    let rounds = 5
    let count = (requestedRecords ?? 10_000_000) / rounds
    let figures = MetricRecording.measure(
        factory: metricsBackend.factory,
        count: count,
        rounds: rounds,
        tracer: tracer,
        parent: parent
    )
    let value = { (name: String) in figures[name]! }
    let keys = [
        ("counter_ns", "plain_counter"), ("timer_ns", "plain_timer"),
        ("counter_2threads_ns", "plain_counter_2threads"), ("timer_2threads_ns", "plain_timer_2threads"),
        ("noop_counter_ns", "noop_counter"), ("noop_timer_ns", "noop_timer"),
    ]
    print(
        "{\"system\":\"swift-otel\",\"workload\":\"M1\",\"measurements\":\(count * rounds),"
            + keys.map { "\"\($0.0)\":\(format(value($0.1), 2))" }.joined(separator: ",")
            + ",\"counter_exemplars_ns\":null,\"timer_exemplars_ns\":null}"
    )
    print(
        "swift-otel M1: counter \(format(value("plain_counter"), 1)) ns, Timer \(format(value("plain_timer"), 1)) ns; "
            + "on two threads at once \(format(value("plain_counter_2threads"), 1)) ns and "
            + "\(format(value("plain_timer_2threads"), 1)) ns; swift-metrics NOOP \(format(value("noop_counter"), 1)) ns "
            + "and \(format(value("noop_timer"), 1)) ns; no exemplars"
    )
    _ = await shutDown()
    exit(0)
}

if let metricsBackend, workload == .m2 {
    let seriesCount = 2_000
    let exportCount = 10
    let timers = (0..<seriesCount).map {
        CoreMetrics.Timer(
            label: "http.server.request.duration",
            dimensions: [("http.route", "/orders/\($0)")],
            factory: metricsBackend.factory
        )
    }
    for round in 0..<10 {
        for (index, timer) in timers.enumerated() { timer.recordMilliseconds(index % 500 + round) }
    }
    let usageBefore = ProcessUsage.now()
    let clock = ContinuousClock()
    let start = clock.now
    try? await Task.sleep(for: .milliseconds(exportCount * 1_000 + 500))
    let usage = ProcessUsage.now()
    let wall = clock.now - start
    let shutdownResult = await shutDown()
    let cpuMilliseconds = (usage.cpuSeconds - usageBefore.cpuSeconds) * 1_000
    print(
        "{\"system\":\"swift-otel\",\"workload\":\"M2\",\"series\":\(seriesCount),\"exports\":\(exportCount),"
            + "\"exported\":null,\"cpu_ms_per_export\":\(format(cpuMilliseconds / Double(exportCount), 2)),"
            + "\"wall_s\":\(format(seconds(wall), 3)),\"peak_rss_bytes\":\(usage.peakResidentBytes),"
            + "\"shutdown\":\"\(shutdownResult.replacingOccurrences(of: "\"", with: "'"))\"}"
    )
    print(
        "swift-otel M2: \(seriesCount) Timer series exported every second: "
            + "\(format(cpuMilliseconds / Double(exportCount), 1)) CPU ms per export; peak RSS \(usage.peakResidentBytes >> 20) MiB"
    )
    exit(0)
}

// MARK: - W1, W2, W2g, W3

let rate: Int? = workload == .w3 ? 50_000 : nil
let spanCount = rate.map { $0 * 10 } ?? requestedSpans ?? (workload == .w1 ? 1_000_000 : 500_000)

// The producer runs on the main thread, as otlp-bench's does; swift-otel's services run on the
// cooperative pool.
let usageBefore = ProcessUsage.now()
let clock = ContinuousClock()
let start = clock.now
for index in 0..<spanCount {
    if let rate, index % 64 == 0 { pace(index, rate: rate, start: start) }
    workloadSpan(tracer, parent: parent)
}
let produced = clock.now - start
let shutdownResult = await shutDown()
let wall = clock.now - start
let usage = ProcessUsage.now()

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
