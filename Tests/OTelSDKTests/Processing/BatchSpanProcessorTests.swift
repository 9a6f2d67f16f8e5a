import Dispatch
import Foundation
import OTLPTestSupport
import Testing
import Tracing

@_spi(Benchmarks) @testable import OTelSDK

/// An exporter that records batches, can be held or slowed, and notices overlapping exports.
private final class RecordingExporter: SpanExporter, @unchecked Sendable {
    private let state = LockedBox<(batches: [[SpanData]], active: Int, overlapped: Bool, shutDown: Bool)>(
        ([], 0, false, false)
    )
    /// While closed, exports wait here.
    let gate = DispatchSemaphore(value: 0)
    private let holdsExports: Bool
    private let delay: Duration

    init(holdsExports: Bool = false, delay: Duration = .zero) {
        self.holdsExports = holdsExports
        self.delay = delay
    }

    func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
        state.withLock { state in
            state.active += 1
            if state.active > 1 { state.overlapped = true }
        }
        if holdsExports { gate.wait() }
        if delay > .zero {
            Thread.sleep(
                forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            )
        }
        state.withLock { state in
            state.batches.append(batch)
            state.active -= 1
        }
        return .success
    }

    func shutdown(timeout: Duration) -> CompletionResult {
        state.withLock { $0.shutDown = true }
        return .success
    }

    var batches: [[SpanData]] { state.withLock { $0.batches } }
    var spanCount: Int { batches.reduce(0) { $0 + $1.count } }
    var overlapped: Bool { state.withLock { $0.overlapped } }
    var isShutDown: Bool { state.withLock { $0.shutDown } }

    /// Waits up to `timeout` for `condition`.
    func wait(timeout: Duration = .seconds(10), for condition: (RecordingExporter) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return condition(self)
    }
}

@Suite("Batch span processor")
struct BatchSpanProcessorTests {
    private func makeTracer(_ processor: BatchSpanProcessor) -> (TracerProvider, OTelTracer) {
        let provider = TracerProvider(
            resource: Resource(attributes: ["service.name": "batch"]),
            sampler: AlwaysOnSampler(),
            processors: [processor],
            environment: OTelEnvironment([:])
        )
        return (provider, provider.tracer())
    }

    private func endSpans(_ count: Int, on tracer: OTelTracer, named name: String = "span") {
        for index in 0..<count {
            tracer.startSpan("\(name) \(index)").end()
        }
    }

    /// Every one of the `ended` spans is in exactly one place, and no place holds fewer than none.
    private func expectBalanced(
        _ statistics: BatchSpanProcessor.Statistics,
        ended: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let parts = [
            statistics.exported, statistics.rejected, statistics.dropped, statistics.failed, statistics.lost,
            statistics.queued, statistics.exporting,
        ]
        #expect(statistics.received == ended, "\(statistics)", sourceLocation: sourceLocation)
        #expect(parts.reduce(0, +) == ended, "\(statistics)", sourceLocation: sourceLocation)
        #expect(parts.allSatisfy { $0 >= 0 }, "\(statistics)", sourceLocation: sourceLocation)
    }

    @Test("a full batch is exported before the schedule delay")
    func fullBatch() {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 10)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(25, on: tracer)
        #expect(exporter.wait { $0.spanCount >= 20 })
        #expect(exporter.batches.map(\.count) == [10, 10])
        #expect(processor.statistics.queued == 5)
        expectBalanced(processor.statistics, ended: 25)
        provider.shutdown()
        #expect(exporter.batches.map(\.count) == [10, 10, 5])
        #expect(!exporter.overlapped)
    }

    @Test("the schedule delay exports a partial batch")
    func partialBatch() {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(50), maxQueueSize: 64, maxExportBatchSize: 32)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(3, on: tracer)
        #expect(exporter.wait { $0.spanCount == 3 })
        #expect(exporter.batches.map(\.count) == [3])
        provider.shutdown()
    }

    @Test("half a batch queued when an export ends: the worker waits for the rest, and the delay still exports it")
    func partialBatchAfterFullOne() {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(50), maxQueueSize: 64, maxExportBatchSize: 10)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(17, on: tracer)
        #expect(exporter.wait { $0.spanCount == 17 })
        #expect(exporter.batches.map(\.count) == [10, 7])
        expectBalanced(processor.statistics, ended: 17)
        provider.shutdown()
    }

    @Test("a flush while the worker waits for a batch to fill exports everything")
    func flushWhileBatchFills() {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 8192, maxExportBatchSize: 512)
        )
        let (provider, tracer) = makeTracer(processor)
        // A full batch, then more than half of the next: after exporting the first, the worker
        // waits for the second to fill.
        endSpans(812, on: tracer)
        #expect(processor.forceFlush(timeout: .seconds(10)) == .success)
        #expect(exporter.spanCount == 812)
        expectBalanced(processor.statistics, ended: 812)
        provider.shutdown()
    }

    @Test("forceFlush exports everything ended before it, then flushes the exporter")
    func forceFlush() {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 1024, maxExportBatchSize: 256)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(700, on: tracer)
        #expect(processor.forceFlush(timeout: .seconds(10)) == .success)
        #expect(exporter.spanCount == 700)
        #expect(exporter.batches.allSatisfy { $0.count <= 256 })
        let statistics = processor.statistics
        #expect(statistics.exported == 700 && statistics.queued == 0)
        expectBalanced(statistics, ended: 700)
        provider.shutdown()
    }

    @Test("shutdown drains the queue, shuts the exporter down, and later spans are dropped")
    func shutdownDrains() async {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 256, maxExportBatchSize: 100)
        )
        let (_, tracer) = makeTracer(processor)
        let span = tracer.startSpan("ends after shutdown")
        endSpans(50, on: tracer)
        #expect(await processor.shutdown(timeout: .seconds(10)) == .success)
        #expect(exporter.spanCount == 50)
        #expect(exporter.isShutDown)
        #expect(await processor.shutdown(timeout: .seconds(1)) == .success)
        span.end()
        let statistics = processor.statistics
        #expect(statistics.exported == 50 && statistics.dropped == 1 && statistics.received == 51)
        expectBalanced(statistics, ended: 51)
    }

    @Test("a full queue drops exactly the excess and counts it")
    func overflow() {
        let exporter = RecordingExporter(holdsExports: true)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 8, maxExportBatchSize: 4)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(4, on: tracer)
        // The worker takes those 4 and waits in the held export; the queue is empty again.
        #expect(exporter.wait { _ in processor.statistics.exporting == 4 })
        endSpans(8 + 5, on: tracer)
        let statistics = processor.statistics
        #expect(statistics.dropped == 5)
        #expect(statistics.queued == 8)
        expectBalanced(statistics, ended: 17)
        for _ in 0..<10 { exporter.gate.signal() }
        #expect(provider.shutdown() == .success)
        #expect(exporter.spanCount == 12)
        let final = processor.statistics
        #expect(final.exported == 12 && final.dropped == 5 && final.received == 17)
        expectBalanced(final, ended: 17)
    }

    @Test("an exporter that hangs makes shutdown return timeout on time, the rest counted lost")
    func hangingExporter() {
        let exporter = RecordingExporter(holdsExports: true)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 10)
        )
        let (_, tracer) = makeTracer(processor)
        endSpans(25, on: tracer)
        #expect(exporter.wait { _ in processor.statistics.exporting == 10 })
        let started = ContinuousClock.now
        #expect(processor.shutdown(timeout: .milliseconds(200)) == .timeout)
        let took = ContinuousClock.now - started
        #expect(took < .seconds(1), "shutdown took \(took)")
        let statistics = processor.statistics
        #expect(statistics.lost == 25 && statistics.exported == 0)
        expectBalanced(statistics, ended: 25)
        // The export that finally returns does not count twice.
        exporter.gate.signal()
        #expect(exporter.wait { $0.spanCount == 10 })
        Thread.sleep(forTimeInterval: 0.05)
        #expect(processor.statistics.exported == 0)
        expectBalanced(processor.statistics, ended: 25)
    }

    @Test("blocking when full loses nothing")
    func blocksWhenFull() {
        let exporter = RecordingExporter(delay: .milliseconds(2))
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(
                scheduleDelay: .seconds(60),
                maxQueueSize: 8,
                maxExportBatchSize: 4,
                blocksWhenFull: true
            )
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(200, on: tracer)
        #expect(provider.shutdown() == .success)
        let statistics = processor.statistics
        #expect(statistics.dropped == 0 && statistics.exported == 200)
        #expect(exporter.spanCount == 200)
        #expect(!exporter.overlapped)
    }

    @Test("4 threads ending spans at once: every span accounted for, exports never overlap")
    func concurrentProducers() async {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .milliseconds(5), maxQueueSize: 256, maxExportBatchSize: 64)
        )
        let (provider, tracer) = makeTracer(processor)
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask { endSpans(5_000, on: tracer, named: "thread \(thread)") }
            }
        }
        #expect(await provider.shutdown() == .success)
        let statistics = processor.statistics
        #expect(statistics.received == 20_000)
        #expect(statistics.exported == exporter.spanCount)
        #expect(statistics.exported + statistics.dropped == 20_000)
        expectBalanced(statistics, ended: 20_000)
        #expect(!exporter.overlapped)
        // Each exported span exactly once.
        let ids = exporter.batches.flatMap { $0.map(\.context.spanID) }
        #expect(Set(ids).count == ids.count)
    }

    @Test("spans made from recycled storage start empty; a span still held is not recycled")
    func recycling() throws {
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 8)
        )
        let (provider, tracer) = makeTracer(processor)
        let held = tracer.startSpan("held")
        let heldContext = held.spanContext
        held.end()
        for index in 0..<40 {
            let span = tracer.startSpan("full \(index)", ofKind: .server)
            span.setAttribute("typed", .int(Int64(index)))
            span.updateAttributes { $0["dictionary"] = "value \(index)" }
            span.addEvent(SpanEvent(name: "event \(index)"))
            span.addLink(SpanLink(context: held.context, attributes: ["k": "v"]))
            span.setStatus(SpanStatus(code: .error, message: "failed"))
            span.end()
        }
        #expect(processor.forceFlush(timeout: .seconds(10)) == .success)
        // Exported spans went back to the pool: those the worker got after this thread let go
        // of them (a span exported while its variable is still alive is simply released).
        #expect(provider.core.recorderPool.count > 0)
        for index in 0..<40 {
            tracer.startSpan("empty \(index)").end()
        }
        #expect(provider.shutdown() == .success)

        let empties = exporter.batches.joined().filter { $0.name.hasPrefix("empty") }
        #expect(empties.count == 40)
        for span in empties {
            #expect(span.attributes.isEmpty && span.events.isEmpty && span.links.isEmpty, "\(span)")
            #expect(span.status == nil && span.kind == .internal && span.droppedAttributeCount == 0)
        }
        let fulls = exporter.batches.joined().filter { $0.name.hasPrefix("full") }
        #expect(fulls.count == 40)
        for span in fulls {
            let index = Int64(span.name.split(separator: " ")[1])!
            #expect(span.attributes.count == 2)
            #expect(span.attributes["typed"] == .int(index))
            #expect(span.attributes["dictionary"] == .string("value \(index)"))
            #expect(span.events.count == 1 && span.links.count == 1)
            // Its record keeps its own event although its storage went on to other spans.
            #expect(span.events.first?.name == "event \(index)")
        }
        // The span the test still holds kept its identity through all of that.
        #expect(held.spanContext == heldContext)
        #expect(!held.isRecording)
        #expect(held.operationName == "held")
        let ids = exporter.batches.joined().map(\.context.spanID)
        #expect(Set(ids).count == ids.count)
    }

    @Test("spans a receiver rejects in a partial success are counted rejected, the rest exported")
    func partialSuccess() {
        struct RejectingTwo: SpanExporter {
            func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
                .partialSuccess(rejected: 2, message: "two spans too old")
            }
            func shutdown(timeout: Duration) -> CompletionResult { .success }
        }
        let processor = BatchSpanProcessor(
            exporter: RejectingTwo(),
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 10)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(25, on: tracer)
        #expect(provider.shutdown() == .success)
        let statistics = processor.statistics
        #expect(statistics.rejected == 6 && statistics.exported == 19)
        expectBalanced(statistics, ended: 25)
    }

    @Test("a batch of which part failed counts those spans failed and the rest exported or rejected")
    func partialFailure() {
        struct FailingThree: SpanExporter {
            struct RequestFailed: Error {}
            func export(_ batch: [SpanData], timeout: Duration) -> ExportResult {
                .partialFailure(failed: 3, rejected: 1, error: RequestFailed())
            }
            func shutdown(timeout: Duration) -> CompletionResult { .success }
        }
        // One batch, exported by the shutdown (no full batch, no schedule before it).
        let processor = BatchSpanProcessor(
            exporter: FailingThree(),
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 30)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(20, on: tracer)
        // Shutdown reports the failure; the accounting says which spans made it.
        #expect(provider.shutdown() == .failure)
        let statistics = processor.statistics
        #expect(statistics.failed == 3 && statistics.rejected == 1 && statistics.exported == 16)
        expectBalanced(statistics, ended: 20)
    }

    @Test("an exporter that completes later: spans count as exporting until then; flush waits for them")
    func laterCompletion() {
        /// Completes each batch 30 ms later from a thread of its own; flush waits for that.
        final class LateExporter: SpanExporter, @unchecked Sendable {
            private let pending = DispatchGroup()
            private let lock = NSLock()
            private var concurrent = 0
            private(set) var mostConcurrent = 0

            func export(_ batch: [SpanData], timeout: Duration) -> ExportResult { .success }

            func export(
                _ batch: [SpanData],
                timeout: Duration,
                completion: @escaping @Sendable (ExportResult) -> Void
            ) {
                pending.enter()
                lock.withLock {
                    concurrent += 1
                    mostConcurrent = max(mostConcurrent, concurrent)
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(30)) { [self] in
                    lock.withLock { concurrent -= 1 }
                    completion(.success)
                    pending.leave()
                }
            }

            func forceFlush(timeout: Duration) -> CompletionResult {
                pending.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1_000))) == .success
                    ? .success : .timeout
            }

            func shutdown(timeout: Duration) -> CompletionResult { forceFlush(timeout: timeout) }
        }
        let exporter = LateExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 256, maxExportBatchSize: 10)
        )
        let (provider, tracer) = makeTracer(processor)
        endSpans(50, on: tracer)
        expectBalanced(processor.statistics, ended: 50)
        #expect(processor.forceFlush(timeout: .seconds(5)) == .success)
        let statistics = processor.statistics
        #expect(statistics.exported == 50 && statistics.exporting == 0)
        expectBalanced(statistics, ended: 50)
        // The worker handed batches over without waiting for each to complete.
        #expect(exporter.mostConcurrent > 1)
        #expect(provider.shutdown() == .success)
    }

    @Test("settings the worker cannot run with are warned about and replaced; the queue's rounding is reported")
    func unusableSettings() {
        let log = CapturedLog()
        var configuration = BatchSpanProcessor.Configuration(maxQueueSize: 10)
        configuration.maxExportBatchSize = 0
        configuration.scheduleDelay = .zero
        let exporter = RecordingExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration, logger: log.logger)
        #expect(processor.configuration.maxQueueSize == 16)
        #expect(processor.configuration.maxExportBatchSize == 10)
        #expect(processor.configuration.scheduleDelay == .milliseconds(5_000))
        let warnings = log.records.filter { $0.level == .warning }.map(\.message)
        #expect(warnings.count == 2, "\(log.messages)")
        #expect(log.messages.contains { $0.contains("maxExportBatchSize") && $0.contains("0") }, "\(log.messages)")
        #expect(log.messages.contains { $0.contains("scheduleDelay") }, "\(log.messages)")
        // The ring holds a power of two: what it holds is said, not hidden.
        #expect(log.messages.contains { $0.contains("16") && $0.contains("10") }, "\(log.messages)")
        let (provider, tracer) = makeTracer(processor)
        endSpans(5, on: tracer)
        #expect(provider.shutdown() == .success)
        #expect(exporter.spanCount == 5)
    }

    @Test("a flush still waiting when shutdown starts is answered by the shutdown")
    func flushDuringShutdown() async {
        let exporter = RecordingExporter(holdsExports: true)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(scheduleDelay: .seconds(60), maxQueueSize: 64, maxExportBatchSize: 4)
        )
        let (_, tracer) = makeTracer(processor)
        endSpans(4, on: tracer)
        // The worker is held in the first export, so the flush cannot be handled before the shutdown.
        #expect(exporter.wait { _ in processor.statistics.exporting == 4 })
        // Deadlines far beyond the answer, and a bound well below them: the whole suite under a
        // sanitizer can stall this task for many seconds, which must not look like a failure.
        async let flushed = processor.forceFlush(timeout: .seconds(300))
        try? await Task.sleep(for: .milliseconds(50))
        async let shutDown = processor.shutdown(timeout: .seconds(300))
        try? await Task.sleep(for: .milliseconds(50))
        exporter.gate.signal()
        let started = ContinuousClock.now
        #expect(await flushed == .success)
        #expect(await shutDown == .success)
        #expect(ContinuousClock.now - started < .seconds(60), "answered by the deadline, not by the shutdown")
    }

    @Test("configuration from OTEL_BSP_*; a batch size over the queue size is clamped and warned about")
    func configuration() {
        let log = CapturedLog()
        let configured = BatchSpanProcessor.Configuration(
            environment: OTelEnvironment(
                [
                    "OTEL_BSP_SCHEDULE_DELAY": "250",
                    "OTEL_BSP_MAX_QUEUE_SIZE": "100",
                    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "500",
                    "OTEL_BSP_EXPORT_TIMEOUT": "1500",
                ],
                logger: log.logger
            )
        )
        #expect(configured.scheduleDelay == .milliseconds(250))
        #expect(configured.maxQueueSize == 100)
        #expect(configured.maxExportBatchSize == 100)
        #expect(configured.exportTimeout == .milliseconds(1_500))
        #expect(
            log.messages.count == 1 && log.messages[0].contains("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
            "\(log.messages)"
        )

        // A queue smaller than the default batch, with no batch size given: batches hold the queue.
        let quiet = CapturedLog()
        let smallQueue = BatchSpanProcessor.Configuration(
            environment: OTelEnvironment(["OTEL_BSP_MAX_QUEUE_SIZE": "100"], logger: quiet.logger)
        )
        #expect(smallQueue.maxExportBatchSize == 100 && quiet.messages.isEmpty)
    }

    @Test(
        "zero or negative OTEL_BSP_* sizes and delay are warned about and the default used",
        arguments: [
            "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
        ],
        ["0", "-3", "soon"]
    )
    func unusableEnvironmentValues(variable: String, value: String) {
        let log = CapturedLog()
        let configuration = BatchSpanProcessor.Configuration(
            environment: OTelEnvironment([variable: value], logger: log.logger)
        )
        #expect(configuration == BatchSpanProcessor.Configuration())
        #expect(configuration.scheduleDelay == .milliseconds(5_000) && configuration.maxQueueSize == 2_048)
        #expect(configuration.maxExportBatchSize == 512 && configuration.exportTimeout == .milliseconds(30_000))
        #expect(log.messages.count == 1 && log.messages[0].contains(variable), "\(log.messages)")
    }
}
