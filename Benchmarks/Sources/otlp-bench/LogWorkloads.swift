import Logging
import OTLPExporter
import OTelSDK
import Tracing
import Workloads

#if canImport(Glibc)
import Glibc
#endif

/// L1 and L2 (Benchmarks/README.md): `workloadLog`'s call inside a sampled span, through a
/// ``LoggerProvider`` and its batch log record processor. L1 discards each batch and times the
/// call against swift-log's own cost (the same call on a handler that does nothing), in
/// alternating bursts of the same run; L2 paces 100,000 records a second for 10 s to an OTLP
/// receiver. Prints one JSON line and a summary, and exits.
enum LogWorkloads {
    /// L1's exporter: discards each batch at once.
    struct DiscardingLogRecordExporter: LogRecordExporter {
        func export(_ batch: [LogRecordData], timeout: Duration) -> ExportResult { .success }
        func shutdown(timeout: Duration) -> CompletionResult { .success }
    }

    /// L1's pace, in records a second: what the batch worker keeps up with.
    static let l1Rate = 250_000

    static func run(_ options: BenchOptions) -> Never {
        let isL1 = options.workload == .l1
        let receiver = isL1 || options.endpoint != nil ? nil : try? ReceiverProcess()
        if !isL1, options.endpoint == nil, receiver == nil { fail("the receiver process did not start") }
        let exporter: any LogRecordExporter
        var otlpExporter: OTLPLogExporter?
        if isL1 {
            exporter = DiscardingLogRecordExporter()
        } else {
            do {
                let otlp = try OTLPLogExporter(
                    configuration: benchExporterConfiguration(.logs, options: options, receiver: receiver)
                )
                otlpExporter = otlp
                exporter = otlp
            } catch {
                fail("\(error)")
            }
        }
        // The specification's defaults, as swift-otel-bench configures swift-otel's.
        let processor = BatchLogRecordProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(1), maxQueueSize: 2_048, maxExportBatchSize: 512)
        )
        let provider = LoggerProvider(
            resource: Resource(attributes: ["service.name": "bench"]),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        let logger = Logger(label: "bench", factory: provider.makeLogHandler)
        let floorLogger = Logger(label: "bench", factory: { _ in DiscardingLogHandler() })
        let tracer = workloadTracer(sampler: AlwaysOnSampler(), processors: [])
        let parent = remoteParent(tracer)

        let rate = isL1 ? l1Rate : 100_000
        let recordCount = isL1 ? (options.records ?? 1_000_000) : rate * 10
        let progress = ProgressReporter.start { processor.statistics }
        let usageBefore = ProcessUsage.now()
        let workerCPUBefore = WorkerThreadClock.cpuNanoseconds(worker: "otel-log-batch")
        let clock = ContinuousClock()
        let start = clock.now
        var sdkTime = Duration.zero
        var floorTime = Duration.zero
        // Inside one sampled span, as a message handler logs.
        tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
            // Bursts of 64 calls, on each logger in turn for L1, paced; only the calls are
            // timed. L1's pace is one the worker keeps up with, so that each timed call's record
            // is queued, not dropped.
            let pacer = Pacer(rate: rate, start: start)
            for burst in stride(from: 0, to: recordCount, by: 64) {
                pacer.pace(burst)
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
        let ending = RunEnding(
            worker: "otel-log-batch",
            workerCPUBefore: workerCPUBefore,
            start: start,
            statistics: { processor.statistics },
            flush: { processor.forceFlush(timeout: .seconds(120)) },
            shutdown: { provider.shutdown(timeout: .seconds(120)) },
            receiver: receiver,
            progress: progress
        )
        let delivered = ending.delivered
        let usage = ending.usage
        let wallSeconds = seconds(ending.wall)
        let cpuSeconds = usage.cpuSeconds - usageBefore.cpuSeconds
        let nsPerRecord = seconds(sdkTime) * 1e9 / Double(recordCount)
        let floorNanoseconds = seconds(floorTime) * 1e9 / Double(recordCount)
        let dropped = recordCount - delivered
        let workerNanosecondsPerRecord = ending.workerNanosecondsPerItem
        let floor = isL1 ? format(floorNanoseconds, 1) : "null"
        let recordsPerSecond = isL1 ? "null" : format(Double(delivered) / wallSeconds, 0)
        print(
            "{\"workload\":\"\(options.workload.rawValue)\",\"records\":\(recordCount),"
                + "\"ns_per_record\":\(format(nsPerRecord, 1)),\"floor_ns_per_record\":\(floor),"
                + "\"exported\":\(delivered),\"dropped\":\(dropped),\"cpu_s\":\(format(cpuSeconds, 3)),"
                + "\"wall_s\":\(format(wallSeconds, 3)),\"peak_rss_bytes\":\(usage.peakResidentBytes),"
                + "\"records_per_s\":\(recordsPerSecond),"
                + "\"worker_cpu_ns_per_record\":\(format(workerNanosecondsPerRecord, 1)),"
                + "\"shutdown\":\"\(ending.shutdownResult)\"}"
        )
        var summary =
            "\(options.workload.rawValue): \(recordCount) records, \(format(nsPerRecord, 0)) ns/record on the caller"
        if isL1 {
            summary += " (swift-log's own cost \(floor) ns, \(format(nsPerRecord / floorNanoseconds, 2))×)"
        }
        summary +=
            ", \(delivered) exported (\(format(Double(dropped) * 100 / Double(recordCount), 1))% dropped), "
            + "\(format(cpuSeconds, 2)) CPU s"
        if !isL1, delivered > 0 {
            summary += " (\(format(cpuSeconds * 100_000 / Double(delivered), 2)) per 100k delivered)"
        }
        summary += ", worker \(format(workerNanosecondsPerRecord, 0)) CPU ns per exported record"
        summary += ", peak RSS \(usage.peakResidentBytes >> 20) MiB"
        if let otlpExporter, let error = otlpExporter.statistics.lastError {
            summary += "; last export error: \(error)"
        }
        print(summary)
        exit(0)
    }
}
