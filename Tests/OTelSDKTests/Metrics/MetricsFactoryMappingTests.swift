import CoreMetrics
import OTelSDK
import Testing
import Tracing

@Suite("swift-metrics handles as OpenTelemetry metrics")
struct MetricsFactoryMappingTests {
    @Test("Counter is a monotonic integer sum with its dimensions as attributes")
    func counter() throws {
        let test = TestMeterProvider()
        let counter = Counter(label: "orders.placed", dimensions: [("region", "eu")], factory: test.provider)
        counter.increment()
        counter.increment(by: 41)
        let metric = try #require(test.collect("orders.placed"))
        guard case .sum(let points, .cumulative, isMonotonic: true) = metric.points else {
            Issue.record("not a cumulative monotonic sum: \(metric.points)")
            return
        }
        #expect(points.map(\.value) == [.int(42)])
        #expect(points.first?.attributes == [Attribute("region", .string("eu"))])
        #expect(metric.resource.attributes.contains(Attribute("service.name", .string("metric-tests"))))
        #expect(metric.instrumentationScope.name == "swift-metrics")
    }

    @Test("FloatingPointCounter is a monotonic double sum")
    func floatingPointCounter() throws {
        let test = TestMeterProvider()
        let counter = FloatingPointCounter(label: "bytes.sent", factory: test.provider)
        counter.increment(by: 1.5)
        counter.increment(by: 2.25)
        let metric = try #require(test.collect("bytes.sent"))
        guard case .sum(let points, _, isMonotonic: true) = metric.points else {
            Issue.record("not a monotonic sum")
            return
        }
        #expect(points.map(\.value) == [.double(3.75)])
    }

    @Test("Meter is a gauge: set, increment, decrement")
    func meter() throws {
        let test = TestMeterProvider()
        let meter = Meter(label: "connections.open", factory: test.provider)
        #expect(test.collect("connections.open") == nil, "a gauge never set has no point")
        meter.set(10)
        meter.increment(by: 5)
        meter.decrement(by: 2)
        let metric = try #require(test.collect("connections.open"))
        guard case .gauge(let points) = metric.points else {
            Issue.record("not a gauge")
            return
        }
        #expect(points.map(\.value) == [.double(13)])
        meter.set(2.5)
        #expect(test.collect("connections.open")?.numberPoints.map(\.value) == [.double(2.5)])
    }

    @Test("Recorder(aggregate: false) is a gauge of the last value")
    func nonAggregatingRecorder() throws {
        let test = TestMeterProvider()
        let recorder = Recorder(label: "queue.depth", aggregate: false, factory: test.provider)
        recorder.record(7)
        recorder.record(3)
        let metric = try #require(test.collect("queue.depth"))
        guard case .gauge(let points) = metric.points else {
            Issue.record("not a gauge")
            return
        }
        #expect(points.map(\.value) == [.double(3)])
    }

    @Test("Recorder(aggregate: true) is a histogram with the specification's default boundaries")
    func aggregatingRecorder() throws {
        let test = TestMeterProvider()
        let recorder = Recorder(label: "payload.size", factory: test.provider)
        for value in [3, 30, 3_000, 30_000] { recorder.record(value) }
        let metric = try #require(test.collect("payload.size"))
        #expect(metric.unit == "")
        let point = try #require(metric.histogramPoints.first)
        #expect(point.explicitBounds == HistogramAggregation.defaultBoundaries)
        #expect(point.explicitBounds == [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000])
        #expect(point.count == 4)
        #expect(point.sum == 33_033)
        #expect(point.min == 3)
        #expect(point.max == 30_000)
        #expect(point.bucketCounts.count == 16)
        #expect(point.bucketCounts[1] == 1, "3 is in (0, 5]")
        #expect(point.bucketCounts[4] == 1, "30 is in (25, 50]")
        #expect(point.bucketCounts[12] == 1, "3,000 is in (2,500, 5,000]")
        #expect(point.bucketCounts[15] == 1, "30,000 is above every boundary")
    }

    @Test("Timer is a histogram in seconds with boundaries from 5 ms to 10 s")
    func timer() throws {
        let test = TestMeterProvider()
        let timer = Timer(label: "request.duration", factory: test.provider)
        timer.recordMilliseconds(20)
        timer.recordNanoseconds(3_000_000_000)
        let metric = try #require(test.collect("request.duration"))
        #expect(metric.unit == "s")
        let point = try #require(metric.histogramPoints.first)
        #expect(point.explicitBounds == HistogramAggregation.timerBoundaries)
        #expect(point.count == 2)
        #expect(abs((point.sum ?? 0) - 3.02) < 1e-12)
        #expect(point.min == 0.02)
        #expect(point.max == 3)
        #expect(point.bucketCounts[2] == 1, "0.02 s is in (0.01, 0.025]")
        #expect(point.bucketCounts[11] == 1, "3 s is in (2.5, 5]")
    }

    @Test("the same label and dimensions, in any order, are one series; others are their own")
    func seriesIdentity() throws {
        let test = TestMeterProvider()
        Counter(label: "hits", dimensions: [("a", "1"), ("b", "2")], factory: test.provider).increment()
        Counter(label: "hits", dimensions: [("b", "2"), ("a", "1")], factory: test.provider).increment()
        Counter(label: "hits", dimensions: [("a", "2")], factory: test.provider).increment()
        let points = try #require(test.collect("hits")).numberPoints
        #expect(points.count == 2)
        let both = try #require(points.first { $0.attributes.count == 2 })
        #expect(both.value == .int(2))
        #expect(both.attributes == [Attribute("a", .string("1")), Attribute("b", .string("2"))])
    }

    @Test("bad measurements are ignored: negative increments, NaN, infinities, negative durations")
    func badInput() throws {
        let test = TestMeterProvider()
        let counter = Counter(label: "c", factory: test.provider)
        counter.increment(by: 2)
        counter.increment(by: -1)
        let doubles = FloatingPointCounter(label: "d", factory: test.provider)
        doubles.increment(by: 1)
        doubles.increment(by: Double.nan)
        doubles.increment(by: Double.infinity)
        doubles.increment(by: -3)
        let recorder = Recorder(label: "r", factory: test.provider)
        recorder.record(1.0)
        recorder.record(Double.nan)
        recorder.record(-Double.infinity)
        let timer = Timer(label: "t", factory: test.provider)
        timer.recordNanoseconds(-5)
        timer.recordNanoseconds(5)
        let meter = Meter(label: "m", factory: test.provider)
        meter.set(4)
        meter.set(Double.nan)
        #expect(test.collect("c")?.numberPoints.map(\.value) == [.int(2)])
        #expect(test.collect("d")?.numberPoints.map(\.value) == [.double(1)])
        #expect(test.collect("r")?.histogramPoints.map(\.count) == [1])
        #expect(test.collect("t")?.histogramPoints.map(\.count) == [1])
        #expect(test.collect("m")?.numberPoints.map(\.value) == [.double(4)])
    }

    @Test("Counter.reset starts the sum again with a new start time")
    func counterReset() throws {
        let test = TestMeterProvider()
        let counter = Counter(label: "c", factory: test.provider)
        counter.increment(by: 5)
        let before = try #require(test.collect("c")?.numberPoints.first)
        counter.reset()
        counter.increment(by: 2)
        let after = try #require(test.collect("c")?.numberPoints.first)
        #expect(before.value == .int(5))
        #expect(after.value == .int(2))
        #expect(after.startTimeUnixNano > before.startTimeUnixNano)
    }

    @Test("two threads recording into one handle lose nothing")
    func concurrentRecording() async throws {
        let test = TestMeterProvider()
        let counter = Counter(label: "c", factory: test.provider)
        let timer = Timer(label: "t", factory: test.provider)
        let perThread = 100_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<perThread {
                        counter.increment()
                        timer.recordNanoseconds(1_000_000)
                    }
                }
            }
        }
        #expect(test.collect("c")?.numberPoints.map(\.value) == [.int(Int64(2 * perThread))])
        let histogram = try #require(test.collect("t")?.histogramPoints.first)
        #expect(histogram.count == UInt64(2 * perThread))
        #expect(abs((histogram.sum ?? 0) - Double(2 * perThread) * 0.001) < 1e-6)
    }
}
