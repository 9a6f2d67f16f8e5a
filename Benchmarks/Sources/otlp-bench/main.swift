import OTLPExporter
import OTelSDK
import Tracing
import Workloads

#if canImport(Glibc)
import Glibc
#endif

// Runs the workloads of Benchmarks/README.md (W1 hot path, W2/W2g end to end, W3/W4 paced;
// L1 and L2 for logs, M1 and M2 for metrics) through the whole SDK and prints one JSON line per run.

func fail(_ message: String, code: Int32 = 2) -> Never {
    ReceiverProcess.write("otlp-bench: \(message)\n", to: STDERR_FILENO)
    exit(code)
}

if CommandLine.arguments.dropFirst().first == "receive" {
    do {
        try await ReceiverProcess.serve()
        exit(0)
    } catch {
        fail("\(error)")
    }
}

let options: BenchOptions
do {
    options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)")
}

if options.workload.isLogs {
    LogWorkloads.run(options)
}
if options.workload.isMetrics {
    MetricWorkloads.run(options)
}

/// W1's exporter: discards each batch at once.
struct DiscardingExporter: SpanExporter {
    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult { .success }
    func shutdown(timeout: Duration) -> CompletionResult { .success }
}

let workload = options.workload
let isNetworked = workload != .w1
let receiver = isNetworked && options.endpoint == nil ? try ReceiverProcess() : nil

let exporter: any SpanExporter
var otlpExporter: OTLPSpanExporter?
if isNetworked {
    do {
        let otlp = try OTLPSpanExporter(
            configuration: benchExporterConfiguration(.traces, options: options, receiver: receiver)
        )
        otlpExporter = otlp
        exporter = otlp
    } catch {
        fail("\(error)")
    }
} else {
    exporter = DiscardingExporter()
}

let processor = BatchSpanProcessor(
    exporter: exporter,
    configuration: .init(
        scheduleDelay: .milliseconds(workload == .w1 ? 10 : 100),
        maxQueueSize: 8_192,
        maxExportBatchSize: 512,
        blocksWhenFull: options.blocksWhenFull
    )
)
let tracer = workloadTracer(sampler: AlwaysOnSampler(), processors: [processor])
let parent = remoteParent(tracer)

let rate: Int? =
    switch workload {
    case .w3: 50_000
    case .w4: 500_000
    default: nil
    }
let spanCount = rate.map { $0 * 10 } ?? options.spans ?? (workload == .w1 ? 1_000_000 : 500_000)

let progress = ProgressReporter.start { processor.statistics }

let usageBefore = ProcessUsage.now()
let workerCPUBefore = WorkerThreadClock.cpuNanoseconds(worker: "otel-span-batch")
let clock = ContinuousClock()
let start = clock.now
let pacer = Pacer(rate: rate, start: start)
for index in 0..<spanCount {
    pacer.pace(index)
    if options.typed {
        typedWorkloadSpan(tracer, parent: parent)
    } else {
        workloadSpan(tracer, parent: parent)
    }
}
let produced = clock.now - start
let ending = RunEnding(
    worker: "otel-span-batch",
    workerCPUBefore: workerCPUBefore,
    start: start,
    statistics: { processor.statistics },
    flush: { processor.forceFlush(timeout: .seconds(120)) },
    shutdown: { processor.shutdown(timeout: .seconds(120)) },
    receiver: receiver,
    progress: progress
)
let delivered = ending.delivered
let usage = ending.usage

let wallSeconds = seconds(ending.wall)
let cpuSeconds = usage.cpuSeconds - usageBefore.cpuSeconds
let nsPerSpan = seconds(produced) * 1e9 / Double(spanCount)
let spansPerSecond = Double(delivered) / wallSeconds
let dropped = spanCount - delivered
let workerNanosecondsPerSpan = ending.workerNanosecondsPerItem
let name = workload.rawValue + (options.typed ? "-typed" : "") + (options.compression == .gzip ? "-gzip" : "")

print(
    "{\"workload\":\"\(name)\",\"spans\":\(spanCount),\"ns_per_span\":\(format(nsPerSpan, 1)),"
        + "\"exported\":\(delivered),\"dropped\":\(dropped),\"cpu_s\":\(format(cpuSeconds, 3)),"
        + "\"wall_s\":\(format(wallSeconds, 3)),\"peak_rss_bytes\":\(usage.peakResidentBytes),"
        + "\"spans_per_s\":\(format(spansPerSecond, 0)),"
        + "\"worker_cpu_ns_per_span\":\(format(workerNanosecondsPerSpan, 1)),\"shutdown\":\"\(ending.shutdownResult)\"}"
)
var summary =
    "\(name): \(spanCount) spans, \(format(nsPerSpan, 0)) ns/span on the producer, "
    + "\(delivered) delivered (\(format(Double(dropped) * 100 / Double(spanCount), 1))% dropped), "
    + "\(format(spansPerSecond, 0)) spans/s, \(format(cpuSeconds, 2)) CPU s"
if delivered > 0 {
    summary += " (\(format(cpuSeconds * 100_000 / Double(delivered), 2)) per 100k delivered)"
}
summary += ", worker \(format(workerNanosecondsPerSpan, 0)) CPU ns per exported span"
summary += ", peak RSS \(usage.peakResidentBytes >> 20) MiB"
if let otlpExporter, let error = otlpExporter.statistics.lastError {
    summary += "; last export error: \(error)"
}
print(summary)
