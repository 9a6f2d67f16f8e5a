import CoreMetrics
import Dispatch
import Foundation
import OTelSDK
import Synchronization
import Testing
import Tracing

@Suite("Aggregation: temporality, bucket edges, cardinality")
struct AggregationTests {
    @Test("cumulative: points add up since the series began, from one start time")
    func cumulative() throws {
        let test = TestMeterProvider()
        let counter = Counter(label: "c", factory: test.provider)
        let timer = Timer(label: "t", factory: test.provider)
        counter.increment(by: 3)
        timer.recordSeconds(1)
        let first = try #require(test.collect("c")?.numberPoints.first)
        let firstTimer = try #require(test.collect("t")?.histogramPoints.first)
        counter.increment(by: 4)
        timer.recordSeconds(2)
        let second = try #require(test.collect("c")?.numberPoints.first)
        let secondTimer = try #require(test.collect("t")?.histogramPoints.first)
        #expect(test.collect("c")?.temporality == .cumulative)
        #expect([first.value, second.value] == [.int(3), .int(7)])
        #expect(second.startTimeUnixNano == first.startTimeUnixNano)
        #expect(second.timeUnixNano > first.timeUnixNano)
        #expect([firstTimer.count, secondTimer.count] == [1, 2])
        #expect(secondTimer.min == 1)
        #expect(secondTimer.max == 2)
        // Nothing new: a cumulative series still reports its total.
        #expect(test.collect("c")?.numberPoints.map(\.value) == [.int(7)])
    }

    @Test("delta: each point covers the time since the previous collection; none when idle")
    func delta() throws {
        let test = TestMeterProvider(exporter: InMemoryMetricExporter(temporalityPreference: .delta))
        let counter = Counter(label: "c", factory: test.provider)
        let timer = Timer(label: "t", factory: test.provider)
        counter.increment(by: 3)
        timer.recordSeconds(5)
        let first = try #require(test.collect("c")?.numberPoints.first)
        counter.increment(by: 4)
        timer.recordSeconds(1)
        let collection = test.provider.collect()
        let second = try #require(collection.first { $0.name == "c" })
        let secondTimer = try #require(collection.first { $0.name == "t" }?.histogramPoints.first)
        #expect(second.temporality == .delta)
        #expect([first.value, second.numberPoints.first?.value] == [.int(3), .int(4)])
        #expect(second.numberPoints.first?.startTimeUnixNano == first.timeUnixNano)
        #expect(secondTimer.count == 1)
        #expect(secondTimer.min == 1, "the minimum starts again each interval")
        #expect(secondTimer.max == 1)
        #expect(test.provider.collect().isEmpty, "no measurement since the last collection")
    }

    @Test("lowmemory: counters and histograms delta, gauges cumulative")
    func lowMemory() throws {
        let test = TestMeterProvider(exporter: InMemoryMetricExporter(temporalityPreference: .lowMemory))
        Counter(label: "c", factory: test.provider).increment()
        Timer(label: "t", factory: test.provider).recordSeconds(1)
        Meter(label: "m", factory: test.provider).set(3)
        let collection = test.provider.collect()
        #expect(collection.first { $0.name == "c" }?.temporality == .delta)
        #expect(collection.first { $0.name == "t" }?.temporality == .delta)
        #expect(test.collect("m")?.numberPoints.map(\.value) == [.double(3)], "a gauge keeps reporting its value")
    }

    @Test(
        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
        arguments: [
            ("cumulative", MetricTemporalityPreference.cumulative), ("Delta", .delta), ("LOWMEMORY", .lowMemory),
            ("", .cumulative), ("sometimes", .cumulative),
        ]
    )
    func temporalityPreference(value: String, expected: MetricTemporalityPreference) {
        let preference = MetricTemporalityPreference(
            environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": value])
        )
        #expect(preference == expected)
    }

    @Test("the preference's temporality per kind follows the specification's table")
    func temporalityTable() {
        #expect(
            InstrumentKind.allCases.map(MetricTemporalityPreference.cumulative.temporality) == [
                .cumulative, .cumulative, .cumulative,
            ]
        )
        #expect(
            InstrumentKind.allCases.map(MetricTemporalityPreference.delta.temporality) == [.delta, .cumulative, .delta]
        )
        #expect(
            InstrumentKind.allCases.map(MetricTemporalityPreference.lowMemory.temporality) == [
                .delta, .cumulative, .delta,
            ]
        )
    }

    @Test("a value on a boundary is in the bucket it closes; zero in the first")
    func bucketEdges() throws {
        let test = TestMeterProvider()
        let recorder = Recorder(label: "r", factory: test.provider)
        for value in [0.0, 5, 5.000001, 10_000, 10_000.5, -1] { recorder.record(value) }
        let point = try #require(test.collect("r")?.histogramPoints.first)
        #expect(point.bucketCounts[0] == 2, "-1 and 0 are in (-inf, 0]")
        #expect(point.bucketCounts[1] == 1, "5 is in (0, 5]")
        #expect(point.bucketCounts[2] == 1, "5.000001 is in (5, 10]")
        #expect(point.bucketCounts[14] == 1, "10,000 is in (7,500, 10,000]")
        #expect(point.bucketCounts[15] == 1, "10,000.5 is in (10,000, +inf)")
        #expect(point.count == point.bucketCounts.reduce(0, +))
        #expect(point.min == -1)
    }

    @Test("past the cardinality limit, measurements go to the otel.metric.overflow series")
    func overflow() throws {
        let test = TestMeterProvider(cardinalityLimit: 3)
        for user in 0..<5 {
            Counter(label: "logins", dimensions: [("user", "\(user)")], factory: test.provider).increment()
        }
        let points = try #require(test.collect("logins")).numberPoints
        #expect(points.count == 3, "the limit counts the overflow series")
        let overflow = try #require(points.first { $0.attributes == [Attribute("otel.metric.overflow", .bool(true))] })
        #expect(overflow.value == .int(3))
        #expect(
            points.map(\.value).reduce(0) { if case .int(let v) = $1 { $0 + v } else { $0 } } == 5,
            "nothing is lost"
        )
    }

    @Test("a destroyed handle is exported once more, then its series is gone and its slot free")
    func destroyedHandle() throws {
        let test = TestMeterProvider(cardinalityLimit: 2)
        let first = Counter(label: "c", dimensions: [("k", "1")], factory: test.provider)
        let again = Counter(label: "c", dimensions: [("k", "1")], factory: test.provider)
        first.increment(by: 2)
        first.destroy()
        again.increment()
        #expect(test.collect("c")?.numberPoints.map(\.value) == [.int(3)], "another handle still holds the series")
        again.destroy()
        #expect(test.collect("c")?.numberPoints.map(\.value) == [.int(3)], "the last point")
        #expect(test.collect("c") == nil)
        Counter(label: "c", dimensions: [("k", "2")], factory: test.provider).increment()
        #expect(
            test.collect("c")?.numberPoints.first?.attributes == [Attribute("k", .string("2"))],
            "not the overflow series"
        )
    }

    @Test("a label made as two kinds is two metrics")
    func conflictingKinds() {
        let test = TestMeterProvider()
        Counter(label: "x", factory: test.provider).increment()
        Meter(label: "x", factory: test.provider).set(1)
        #expect(test.provider.collect().filter { $0.name == "x" }.count == 2)
    }

    @Test("collections racing recordings: no point starts after its time, none has a count without extremes")
    func collectionsRacingRecordings() throws {
        let test = TestMeterProvider(exporter: InMemoryMetricExporter(temporalityPreference: .delta))
        let recorder = Recorder(label: "r", factory: test.provider)
        let stop = Atomic<Bool>(false)
        let stopped = DispatchSemaphore(value: 0)
        // A thread of its own: the cooperative pool may have no thread free while this test
        // collects without awaiting.
        Thread.detachNewThread {
            defer { stopped.signal() }
            var index = 0
            while !stop.load(ordering: .relaxed) {
                recorder.record(Double(index % 100))
                // Now and then a new series, whose start time races the collections' clock.
                if index % 1_048_576 == 0 { Counter(label: "c\(index)", factory: test.provider).increment() }
                index += 1
            }
        }
        var points = 0
        var pointsWithoutExtremes = 0
        // Until 20,000 points have raced the recordings; on a machine busy with the other
        // tests that can take longer than the second it takes alone.
        let deadline = ContinuousClock.now + .seconds(15)
        while points < 20_000, ContinuousClock.now < deadline {
            for metric in test.provider.collect() {
                for point in metric.histogramPoints {
                    points += 1
                    #expect(point.startTimeUnixNano <= point.timeUnixNano)
                    #expect((point.min == nil) == (point.max == nil))
                    if let min = point.min, let max = point.max {
                        #expect(min.isFinite && max.isFinite && min <= max, "\(point)")
                    } else {
                        pointsWithoutExtremes += 1
                    }
                }
                for point in metric.numberPoints { #expect(point.startTimeUnixNano <= point.timeUnixNano) }
            }
        }
        stop.store(true, ordering: .relaxed)
        stopped.wait()
        #expect(points >= 1_000, "collections that raced recordings")
        print("collections racing recordings: \(points) histogram points, \(pointsWithoutExtremes) without extremes")
    }
}
