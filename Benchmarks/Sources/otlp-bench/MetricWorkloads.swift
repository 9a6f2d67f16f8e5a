import CoreMetrics
import OTLPExporter
import OTelSDK
import Synchronization
import Tracing
import Workloads

#if canImport(Glibc)
import Glibc
#endif

/// M1 and M2 (Benchmarks/README.md) through a ``MeterProvider``. M1 times a counter increment
/// and a Timer record on made handles inside a sampled span, with exemplars off and
/// `trace_based`, on one thread and on two at once, beside swift-metrics' NOOP handler in
/// alternating rounds of the same run. M2 exports 2,000 Timer series every second, ten times,
/// to an OTLP receiver. Prints one JSON line and a summary, and exits.
enum MetricWorkloads {
    /// M1's rounds per variant: each variant's figure is the median of its rounds.
    static let rounds = 5

    static func run(_ options: BenchOptions) -> Never {
        options.workload == .m1 ? measureRecording(options) : measureExport(options)
    }

    // MARK: M1

    /// A counter and a Timer of one factory, made once, as a service holds its handles.
    struct Handles: Sendable {
        let counter: Counter
        let timer: Timer

        init(_ factory: any MetricsFactory) {
            counter = Counter(label: "bench.messages", dimensions: [("messaging.system", "kafka")], factory: factory)
            timer = Timer(label: "bench.duration", dimensions: [("messaging.system", "kafka")], factory: factory)
        }
    }

    @inline(never)
    static func increment(_ counter: Counter, _ count: Int) {
        for _ in 0..<count { counter.increment() }
    }

    @inline(never)
    static func record(_ timer: Timer, _ count: Int) {
        // Durations from 1 us to 1 ms, spread over the lower buckets as requests are.
        for index in 0..<count { timer.recordNanoseconds(Int64(index & 1_023) &* 1_000 &+ 1_000) }
    }

    /// Nanoseconds per call of `body(count)` run inside a sampled span on this thread.
    static func nanoseconds(
        per count: Int,
        in tracer: OTelTracer,
        parent: InstrumentationContext,
        _ body: (Int) -> Void
    )
        -> Double
    {
        tracer.withSpan("process orders", context: parent, ofKind: .consumer) { _ in
            let clock = ContinuousClock()
            let start = clock.now
            body(count)
            return seconds(clock.now - start) * 1e9 / Double(count)
        }
    }

    /// Nanoseconds per call on each of two threads running `body(count)` at once, each in a
    /// sampled span: the slower thread's figure.
    static func nanosecondsOnTwoThreads(
        per count: Int,
        in tracer: OTelTracer,
        parent: InstrumentationContext,
        _ body: @escaping @Sendable (Int) -> Void
    ) -> Double {
        let ready = Atomic<Int>(0)
        let results = Mutex<[Double]>([])
        let threads = (0..<2).map { _ in
            startThread {
                ready.add(1, ordering: .acquiringAndReleasing)
                while ready.load(ordering: .acquiring) < 2 {}
                let perCall = nanoseconds(per: count, in: tracer, parent: parent, body)
                results.withLock { $0.append(perCall) }
            }
        }
        for thread in threads { pthread_join(thread, nil) }
        return results.withLock { $0.max() ?? 0 }
    }

    private final class ThreadBody {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private static func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
        var thread = pthread_t()
        let argument = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
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
        return thread
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func measureRecording(_ options: BenchOptions) -> Never {
        let count = (options.records ?? 10_000_000) / rounds
        let tracer = workloadTracer(sampler: AlwaysOnSampler(), processors: [])
        let parent = remoteParent(tracer)
        let noop = Handles(NOOPMetricsHandler.instance)
        let environment = OTelEnvironment([:])
        // No reader: M1 is the recording thread's cost; M2 is the export's.
        let plain = Handles(MeterProvider(exemplarFilter: .alwaysOff, environment: environment))
        let exemplars = Handles(MeterProvider(exemplarFilter: .traceBased, environment: environment))

        var figures: [String: [Double]] = [:]
        for _ in 0..<rounds {
            // One round of every variant, in the same order: no variant always runs first on a
            // cold cache, and each is timed as often as the others.
            for (name, handles) in [("noop", noop), ("plain", plain), ("exemplars", exemplars)] {
                figures["\(name)_counter", default: []].append(
                    nanoseconds(per: count, in: tracer, parent: parent) { increment(handles.counter, $0) }
                )
                figures["\(name)_timer", default: []].append(
                    nanoseconds(per: count, in: tracer, parent: parent) { record(handles.timer, $0) }
                )
            }
            for (name, handles) in [("plain", plain), ("exemplars", exemplars)] {
                figures["\(name)_counter_2threads", default: []].append(
                    nanosecondsOnTwoThreads(per: count, in: tracer, parent: parent) { increment(handles.counter, $0) }
                )
                figures["\(name)_timer_2threads", default: []].append(
                    nanosecondsOnTwoThreads(per: count, in: tracer, parent: parent) { record(handles.timer, $0) }
                )
            }
        }
        let value = { (name: String) in median(figures[name]!) }
        let keys = [
            ("counter_ns", "plain_counter"), ("timer_ns", "plain_timer"),
            ("counter_exemplars_ns", "exemplars_counter"), ("timer_exemplars_ns", "exemplars_timer"),
            ("counter_2threads_ns", "plain_counter_2threads"), ("timer_2threads_ns", "plain_timer_2threads"),
            ("counter_exemplars_2threads_ns", "exemplars_counter_2threads"),
            ("timer_exemplars_2threads_ns", "exemplars_timer_2threads"),
            ("noop_counter_ns", "noop_counter"), ("noop_timer_ns", "noop_timer"),
        ]
        print(
            "{\"workload\":\"M1\",\"measurements\":\(count * rounds),"
                + keys.map { "\"\($0.0)\":\(format(value($0.1), 2))" }.joined(separator: ",") + "}"
        )
        print(
            "M1: counter \(format(value("plain_counter"), 1)) ns, Timer \(format(value("plain_timer"), 1)) ns; "
                + "with trace_based exemplars \(format(value("exemplars_counter"), 1)) ns and "
                + "\(format(value("exemplars_timer"), 1)) ns; on two threads at once "
                + "\(format(value("plain_counter_2threads"), 1)) ns and \(format(value("plain_timer_2threads"), 1)) ns; "
                + "swift-metrics NOOP \(format(value("noop_counter"), 1)) ns and \(format(value("noop_timer"), 1)) ns"
        )
        exit(0)
    }

    // MARK: M2

    /// M2's series: a Timer per route.
    static let seriesCount = 2_000
    static let exportCount = 10

    static func measureExport(_ options: BenchOptions) -> Never {
        let receiver = options.endpoint == nil ? try? ReceiverProcess() : nil
        if options.endpoint == nil, receiver == nil { fail("the receiver process did not start") }
        let exporter: OTLPMetricExporter
        do {
            exporter = try OTLPMetricExporter(
                configuration: benchExporterConfiguration(.metrics, options: options, receiver: receiver),
                temporalityPreference: .cumulative,
                histogramAggregation: .explicitBucket,
                environment: OTelEnvironment([:])
            )
        } catch {
            fail("\(error)")
        }
        let provider = MeterProvider(
            resource: Resource(attributes: ["service.name": "bench"]),
            reader: PeriodicExportingMetricReader(
                exporter: exporter,
                configuration: .init(exportInterval: .seconds(1), exportTimeout: .seconds(10))
            ),
            exemplarFilter: .alwaysOff,
            environment: OTelEnvironment([:])
        )
        let timers = (0..<seriesCount).map {
            Timer(
                label: "http.server.request.duration",
                dimensions: [("http.route", "/orders/\($0)")],
                factory: provider
            )
        }
        for round in 0..<10 {
            for (index, timer) in timers.enumerated() { timer.recordMilliseconds(index % 500 + round) }
        }
        let usageBefore = ProcessUsage.now()
        let clock = ContinuousClock()
        let start = clock.now
        // Ten periodic exports in the window; the shutdown's, after it, is not timed.
        var pause = timespec(tv_sec: exportCount, tv_nsec: 500_000_000)
        var remaining = timespec()
        while nanosleep(&pause, &remaining) == -1, errno == EINTR { pause = remaining }
        let usage = ProcessUsage.now()
        let wall = clock.now - start
        provider.shutdown(timeout: .seconds(30))
        let sent = exporter.statistics.sent
        let received = receiver?.waitForItems(atLeast: sent) ?? sent
        let cpuMilliseconds = (usage.cpuSeconds - usageBefore.cpuSeconds) * 1_000
        print(
            "{\"workload\":\"M2\",\"series\":\(seriesCount),\"exports\":\(exportCount),"
                + "\"exported\":\(received),\"cpu_ms_per_export\":\(format(cpuMilliseconds / Double(exportCount), 2)),"
                + "\"wall_s\":\(format(seconds(wall), 3)),\"peak_rss_bytes\":\(usage.peakResidentBytes)}"
        )
        print(
            "M2: \(seriesCount) Timer series exported every second: \(format(cpuMilliseconds / Double(exportCount), 1)) CPU ms "
                + "per export; \(received) points received in all; peak RSS \(usage.peakResidentBytes >> 20) MiB"
        )
        exit(0)
    }
}
