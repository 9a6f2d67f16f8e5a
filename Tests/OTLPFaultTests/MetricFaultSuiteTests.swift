import CoreMetrics
import Foundation
import OTLPExporter
import OTLPReceiver
import OTLPTestSupport
import OTelSDK
import Testing

/// The metric pipeline as an application runs it: swift-metrics handles, the meter provider,
/// the periodic reader (every 100 ms), the OTLP metric exporter.
private final class MetricPipelineUnderTest {
    let exporter: OTLPMetricExporter
    let provider: MeterProvider
    let counter: Counter
    let timer: CoreMetrics.Timer
    private(set) var recorded = 0

    init(
        endpoint: String,
        exporterTimeout: Duration = .seconds(10),
        temporality: MetricTemporalityPreference = .cumulative
    ) throws {
        exporter = try OTLPMetricExporter(
            configuration: OTLPExporterConfiguration(
                signal: .metrics,
                endpoint: endpoint + "/v1/metrics",
                timeout: exporterTimeout,
                environment: OTelEnvironment([:])
            ),
            temporalityPreference: temporality,
            environment: OTelEnvironment([:])
        )
        provider = MeterProvider(
            resource: Resource(attributes: ["service.name": "metric-fault-suite"]),
            reader: PeriodicExportingMetricReader(
                exporter: exporter,
                configuration: .init(exportInterval: .milliseconds(100), exportTimeout: exporterTimeout)
            ),
            environment: OTelEnvironment([:])
        )
        counter = Counter(label: "orders.accepted", factory: provider)
        timer = CoreMetrics.Timer(label: "orders.duration", factory: provider)
    }

    /// Records `count` orders on the calling thread, and how long that took.
    @discardableResult
    func record(_ count: Int) -> Duration {
        let start = ContinuousClock.now
        for index in 0..<count {
            counter.increment()
            timer.recordMicroseconds(index % 1_000)
        }
        recorded += count
        return .now - start
    }

    /// The points the exporter counts sent are those the collector accepted (`received`), and a
    /// collection's points fail or go together (two a collection: the counter and the timer).
    func expectAccounted(_ scenario: String, received: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let statistics = exporter.statistics
        #expect(statistics.sent == received, "\(statistics)", sourceLocation: sourceLocation)
        #expect(statistics.failed % 2 == 0, "\(statistics)", sourceLocation: sourceLocation)
        print(
            "metric-fault-suite \(scenario): recorded \(recorded), points sent \(statistics.sent), rejected "
                + "\(statistics.rejected), failed \(statistics.failed), retries \(statistics.retries)"
        )
    }
}

/// The latest value of the counter `orders.accepted` the receiver got.
private func lastCount(_ metrics: [MetricData]) -> Int64? {
    metrics.last { $0.name == "orders.accepted" }.flatMap { metric in
        guard case .sum(let points, _, _) = metric.points, case .int(let value) = points.first?.value else {
            return nil
        }
        return value
    }
}

@Suite("Fault suite for metrics", .serialized)
struct MetricFaultSuiteTests {
    @Test("collector down: recording never waits, failed exports are counted, shutdown keeps its deadline")
    func collectorDown() async throws {
        let port = try await unusedPort()
        let pipeline = try MetricPipelineUnderTest(
            endpoint: "http://127.0.0.1:\(port)",
            exporterTimeout: .milliseconds(300)
        )
        var slowest = Duration.zero
        for _ in 0..<10 {
            slowest = max(slowest, pipeline.record(10_000))
            try await Task.sleep(for: .milliseconds(50))
        }
        // 20,000 measurements take well under a millisecond each batch; an export waiting for the
        // dead collector (300 ms) would show here.
        #expect(slowest < .milliseconds(250), "recording took \(slowest)")
        let start = ContinuousClock.now
        #expect(pipeline.provider.shutdown(timeout: .seconds(5)) == .failure)
        #expect(ContinuousClock.now - start < .seconds(5))
        let statistics = pipeline.exporter.statistics
        #expect(statistics.sent == 0)
        #expect(statistics.failed >= 2, "each collection's two points counted failed: \(statistics)")
        pipeline.expectAccounted("collector down", received: 0)
    }

    @Test("a collector slower than the timeout: exports fail on time, flush returns at its deadline")
    func slowCollector() async throws {
        try await withReceiver(.init(grpcPort: nil) { _ in .delayed(.seconds(2), .accept) }) { receiver in
            let pipeline = try MetricPipelineUnderTest(
                endpoint: receiver.httpEndpoint!,
                exporterTimeout: .milliseconds(400)
            )
            pipeline.record(1_000)
            let start = ContinuousClock.now
            let flushed = pipeline.provider.forceFlush(timeout: .milliseconds(300))
            #expect(flushed == .timeout || flushed == .failure)
            #expect(ContinuousClock.now - start < .seconds(1))
            #expect(pipeline.provider.shutdown(timeout: .seconds(5)) == .failure)
            #expect(pipeline.exporter.statistics.failed >= 2)
            pipeline.expectAccounted("slow collector", received: 0)
        }
    }

    @Test("503, then OK: retried, and the cumulative total arrives whole")
    func unavailableThenOK() async throws {
        let configuration = OTLPReceiver.Configuration(grpcPort: nil) { request in
            request.sequenceNumber <= 2 ? .httpStatus(503) : .accept
        }
        try await withReceiver(configuration) { receiver in
            let pipeline = try MetricPipelineUnderTest(endpoint: receiver.httpEndpoint!)
            pipeline.record(5_000)
            try await Task.sleep(for: .milliseconds(150))
            pipeline.record(5_000)
            #expect(pipeline.provider.shutdown(timeout: .seconds(10)) == .success)
            #expect(pipeline.exporter.statistics.retries >= 1)
            // A cumulative point carries everything since the start: the last one has all.
            #expect(lastCount(receiver.metrics) == 10_000)
            pipeline.expectAccounted("503 then OK", received: receiver.statistics.dataPoints)
        }
    }

    @Test("collector down for a while, delta temporality: the points of failed exports are counted failed")
    func deltaWhileDown() async throws {
        let configuration = OTLPReceiver.Configuration(grpcPort: nil) { request in
            request.sequenceNumber <= 3 ? .httpStatus(400) : .accept
        }
        try await withReceiver(configuration) { receiver in
            let pipeline = try MetricPipelineUnderTest(endpoint: receiver.httpEndpoint!, temporality: .delta)
            for _ in 0..<5 {
                pipeline.record(1_000)
                try await Task.sleep(for: .milliseconds(120))
            }
            #expect(pipeline.provider.shutdown(timeout: .seconds(10)) == .success)
            let statistics = pipeline.exporter.statistics
            #expect(statistics.failed >= 2, "\(statistics)")
            // What arrived are deltas: their sum is what was recorded less what failed to go.
            let delivered = receiver.metrics.filter { $0.name == "orders.accepted" }.reduce(Int64(0)) { total, metric in
                guard case .sum(let points, .delta, _) = metric.points, case .int(let value) = points.first?.value
                else {
                    return total
                }
                return total + value
            }
            #expect(delivered > 0 && delivered < 5_000)
            pipeline.expectAccounted("delta while down", received: receiver.statistics.dataPoints)
        }
    }

    @Test("partial success: rejected_data_points counted rejected")
    func partialSuccess() async throws {
        let configuration = OTLPReceiver.Configuration(grpcPort: nil) { _ in
            .partialSuccess(rejected: 1, message: "stale")
        }
        try await withReceiver(configuration) { receiver in
            let pipeline = try MetricPipelineUnderTest(endpoint: receiver.httpEndpoint!)
            pipeline.record(100)
            #expect(pipeline.provider.shutdown(timeout: .seconds(10)) == .success)
            let statistics = pipeline.exporter.statistics
            #expect(statistics.rejected >= 1 && statistics.rejected <= statistics.sent)
            pipeline.expectAccounted("partial success", received: receiver.statistics.dataPoints)
        }
    }
}
