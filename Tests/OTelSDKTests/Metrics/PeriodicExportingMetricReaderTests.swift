import CoreMetrics
import Foundation
import OTelSDK
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// An exporter that takes `delay` per export and records how many exports overlapped.
private final class SlowExporter: MetricExporter {
    let delay: Duration
    let exports = Atomic<Int>(0)
    let running = Atomic<Int>(0)
    let mostRunningAtOnce = Atomic<Int>(0)
    let timeouts = Mutex<[Duration]>([])
    let shutDown = Atomic<Bool>(false)
    let flushes = Atomic<Int>(0)

    init(delay: Duration) {
        self.delay = delay
    }

    func export(_ batch: [MetricData], timeout: Duration) -> ExportResult {
        let now = running.add(1, ordering: .relaxed).newValue
        _ = mostRunningAtOnce.max(now, ordering: .relaxed)
        timeouts.withLock { $0.append(timeout) }
        Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
        running.subtract(1, ordering: .relaxed)
        exports.add(1, ordering: .relaxed)
        return .success
    }

    func forceFlush(timeout: Duration) -> CompletionResult {
        flushes.add(1, ordering: .relaxed)
        return .success
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        shutDown.store(true, ordering: .relaxed)
        return .success
    }
}

@Suite("Periodic exporting metric reader")
struct PeriodicExportingMetricReaderTests {
    private func provider(
        exporter: any MetricExporter,
        interval: Duration,
        timeout: Duration = .seconds(5)
    )
        -> MeterProvider
    {
        MeterProvider(
            reader: PeriodicExportingMetricReader(
                exporter: exporter,
                configuration: .init(exportInterval: interval, exportTimeout: timeout)
            ),
            exemplarFilter: .alwaysOff,
            environment: OTelEnvironment([:])
        )
    }

    @Test("exports every interval, with the configured timeout")
    func periodic() async throws {
        let exporter = SlowExporter(delay: .zero)
        let provider = provider(exporter: exporter, interval: .milliseconds(50), timeout: .milliseconds(1_234))
        Counter(label: "c", factory: provider).increment()
        let deadline = ContinuousClock.now + .seconds(10)
        while exporter.exports.load(ordering: .relaxed) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(exporter.exports.load(ordering: .relaxed) >= 3)
        #expect(exporter.timeouts.withLock { Set($0) } == [.milliseconds(1_234)])
        provider.shutdown()
    }

    @Test("forceFlush collects and exports now; shutdown once more, then shuts the exporter down")
    func flushAndShutdown() throws {
        let exporter = InMemoryMetricExporter()
        let provider = provider(exporter: exporter, interval: .seconds(3_600))
        let counter = Counter(label: "c", factory: provider)
        counter.increment(by: 2)
        #expect(provider.forceFlush(timeout: .seconds(5)) == .success)
        #expect(exporter.exports.count == 1)
        #expect(exporter.lastExport.first?.numberPoints.map(\.value) == [.int(2)])
        counter.increment()
        #expect(provider.shutdown(timeout: .seconds(5)) == .success)
        #expect(exporter.exports.count == 2)
        #expect(exporter.lastExport.first?.numberPoints.map(\.value) == [.int(3)])
        #expect(exporter.export([], timeout: .zero).isFailure, "the exporter was shut down")
        #expect(provider.forceFlush(timeout: .seconds(1)) == .success, "nothing to do after shutdown")
        #expect(provider.shutdown(timeout: .seconds(1)) == .success, "only the first shutdown acts")
    }

    @Test("forceFlush returns at its deadline when the export takes longer")
    func flushDeadline() throws {
        let exporter = SlowExporter(delay: .seconds(2))
        let provider = provider(exporter: exporter, interval: .seconds(3_600))
        Counter(label: "c", factory: provider).increment()
        let start = ContinuousClock.now
        #expect(provider.forceFlush(timeout: .milliseconds(200)) == .timeout)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(provider.shutdown(timeout: .seconds(10)) == .success)
        let isShutDown = exporter.shutDown.load(ordering: .relaxed)
        #expect(isShutDown)
    }

    @Test("a collection never overlaps the previous export, however short the interval")
    func noOverlap() async throws {
        let exporter = SlowExporter(delay: .milliseconds(60))
        let provider = provider(exporter: exporter, interval: .milliseconds(5))
        Counter(label: "c", factory: provider).increment()
        try await Task.sleep(for: .milliseconds(400))
        _ = provider.forceFlush(timeout: .seconds(5))
        provider.shutdown()
        #expect(exporter.exports.load(ordering: .relaxed) >= 3)
        #expect(exporter.mostRunningAtOnce.load(ordering: .relaxed) == 1)
    }

    @Test("OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT, in milliseconds; bad values use the defaults")
    func environment() {
        let set = PeriodicExportingMetricReader.Configuration(
            environment: OTelEnvironment(["OTEL_METRIC_EXPORT_INTERVAL": "1500", "OTEL_METRIC_EXPORT_TIMEOUT": "0"])
        )
        #expect(set.exportInterval == .milliseconds(1_500))
        #expect(set.exportTimeout == .zero)
        let bad = PeriodicExportingMetricReader.Configuration(
            environment: OTelEnvironment(["OTEL_METRIC_EXPORT_INTERVAL": "0", "OTEL_METRIC_EXPORT_TIMEOUT": "soon"])
        )
        #expect(bad.exportInterval == .milliseconds(60_000))
        #expect(bad.exportTimeout == .milliseconds(30_000))
        let unset = PeriodicExportingMetricReader.Configuration(environment: OTelEnvironment([:]))
        #expect(unset == .init())
    }

    @Test("forceFlush flushes the exporter after the export")
    func flushReachesExporter() {
        let exporter = SlowExporter(delay: .zero)
        let provider = provider(exporter: exporter, interval: .seconds(3_600))
        Counter(label: "c", factory: provider).increment()
        #expect(provider.forceFlush(timeout: .seconds(5)) == .success)
        #expect(exporter.exports.load(ordering: .relaxed) == 1)
        #expect(exporter.flushes.load(ordering: .relaxed) == 1)
        provider.shutdown()
    }

    @Test("a timeout of zero is no time: shutdown does not wait for a slow export")
    func zeroTimeout() {
        let exporter = SlowExporter(delay: .seconds(2))
        let provider = provider(exporter: exporter, interval: .seconds(3_600))
        Counter(label: "c", factory: provider).increment()
        let start = ContinuousClock.now
        #expect(provider.forceFlush(timeout: .zero) == .timeout)
        #expect(provider.shutdown(timeout: .zero) == .timeout)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test("a service group's graceful shutdown exports once more and shuts the exporter down")
    func gracefulShutdown() async throws {
        let exporter = InMemoryMetricExporter()
        let provider = provider(exporter: exporter, interval: .seconds(3_600))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await provider.run() }
                Counter(label: "c", factory: provider).increment(by: 7)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(exporter.exports.count == 1)
        #expect(exporter.lastExport.first?.numberPoints.map(\.value) == [.int(7)])
        #expect(exporter.export([], timeout: .zero).isFailure, "the exporter was shut down")
    }

    @Test("a provider dropped without shutdown stops its reader's thread")
    func droppedProvider() async throws {
        weak var weakExporter: InMemoryMetricExporter?
        do {
            let exporter = InMemoryMetricExporter()
            weakExporter = exporter
            let provider = provider(exporter: exporter, interval: .seconds(3_600))
            Counter(label: "c", factory: provider).increment()
        }
        // The thread holds the reader, and the reader its exporter, until the thread ends.
        let deadline = ContinuousClock.now + .seconds(5)
        while weakExporter != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(weakExporter == nil)
    }

    @Test("OTEL_SDK_DISABLED: nothing is exported")
    func disabled() {
        let exporter = InMemoryMetricExporter()
        let provider = MeterProvider(
            reader: PeriodicExportingMetricReader(
                exporter: exporter,
                configuration: .init(exportInterval: .seconds(3_600))
            ),
            environment: OTelEnvironment(["OTEL_SDK_DISABLED": "true"])
        )
        Counter(label: "c", factory: provider).increment()
        provider.forceFlush()
        #expect(exporter.exports.isEmpty)
    }
}

extension ExportResult {
    fileprivate var isFailure: Bool {
        if case .failure = self { true } else { false }
    }
}
