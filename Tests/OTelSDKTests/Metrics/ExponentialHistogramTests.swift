import CoreMetrics
import Foundation
import OTelSDK
import Testing
import Tracing

@Suite("Base-2 exponential histograms")
struct ExponentialHistogramTests {
    private func provider(
        maxSize: Int = 160,
        maxScale: Int = 20,
        temporality: MetricTemporalityPreference = .cumulative
    )
        -> TestMeterProvider
    {
        TestMeterProvider(
            exporter: InMemoryMetricExporter(
                temporalityPreference: temporality,
                histogramAggregation: .base2Exponential(maxSize: maxSize, maxScale: maxScale)
            )
        )
    }

    @Test("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION picks the aggregation")
    func environment() {
        func aggregation(_ value: String) -> HistogramAggregation {
            HistogramAggregation(
                environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION": value])
            )
        }
        #expect(aggregation("base2_exponential_bucket_histogram") == .base2Exponential(maxSize: 160, maxScale: 20))
        #expect(aggregation("explicit_bucket_histogram") == .explicitBucket)
        #expect(aggregation("") == .explicitBucket)
        #expect(aggregation("fancy") == .explicitBucket)
    }

    @Test("a power of two is the upper boundary of its bucket, at every scale")
    func powersOfTwo() throws {
        // At scale 0 bucket i is (2^i, 2^(i+1)]: 1 is in bucket -1, 2 in 0, 3 and 4 in 1.
        let test = provider(maxScale: 0)
        let recorder = Recorder(label: "r", factory: test.provider)
        for value in [1.0, 2, 3, 4] { recorder.record(value) }
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(point.scale == 0)
        #expect(point.positive.offset == -1)
        #expect(point.positive.bucketCounts == [1, 1, 2])
        #expect(point.count == 4)
        #expect(point.sum == 10)
        #expect(point.min == 1)
        #expect(point.max == 4)
    }

    @Test("at scale 20 one value fits one bucket whose boundaries hold it")
    func finestScale() throws {
        let test = provider()
        let recorder = Recorder(label: "r", factory: test.provider)
        recorder.record(1.5)
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(point.scale == 20)
        #expect(point.positive.bucketCounts == [1])
        let index = Double(point.positive.offset)
        #expect(exp2(index / Double(1 << 20)) < 1.5 && 1.5 <= exp2((index + 1) / Double(1 << 20)))
    }

    @Test("values too far apart for maxSize buckets lower the scale until they fit")
    func downscale() throws {
        let test = provider(maxSize: 4)
        let recorder = Recorder(label: "r", factory: test.provider)
        for value in [1.0, 1_000, 1_000_000] { recorder.record(value) }
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(point.positive.bucketCounts.count <= 4)
        #expect(point.positive.bucketCounts.reduce(0, +) == 3)
        #expect(point.scale <= 2, "2^(2^-scale) steps wide enough for 1 to 10^6 in four buckets")
        // Every value lies in the bucket its index names at the final scale.
        let width = exp2(-Double(point.scale))
        for value in [1.0, 1_000, 1_000_000] {
            let position = try #require(
                point.positive.bucketCounts.indices.first { position in
                    let bucket = Double(Int(point.positive.offset) + position)
                    return exp2(bucket * width) < value && value <= exp2((bucket + 1) * width)
                },
                "no bucket holds \(value)"
            )
            #expect(point.positive.bucketCounts[position] > 0)
        }
    }

    @Test("zeros are counted apart, negatives in their own buckets; Timers in seconds")
    func zeroAndNegative() throws {
        let test = provider(maxScale: 0)
        let recorder = Recorder(label: "r", factory: test.provider)
        for value in [0.0, 0, -3, 3] { recorder.record(value) }
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(point.zeroCount == 2)
        #expect(point.negative.bucketCounts.reduce(0, +) == 1)
        #expect(point.positive.bucketCounts.reduce(0, +) == 1)
        #expect(point.negative.offset == point.positive.offset)
        let timer = Timer(label: "t", factory: test.provider)
        timer.recordMilliseconds(250)
        let metric = try #require(test.collect("t"))
        #expect(metric.unit == "s")
        #expect(metric.exponentialPoints.first?.sum == 0.25)
    }

    @Test("delta collections start again at the finest scale")
    func delta() throws {
        let test = provider(maxSize: 4, temporality: .delta)
        let recorder = Recorder(label: "r", factory: test.provider)
        recorder.record(1.0)
        recorder.record(1_000_000.0)
        let first = try #require(test.collect("r")?.exponentialPoints.first)
        recorder.record(1.5)
        let second = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(first.count == 2)
        #expect(second.count == 1)
        #expect(second.scale == 20)
        #expect(test.collect("r") == nil)
    }

    @Test("two threads recording keep every count")
    func concurrentRecording() async throws {
        let test = provider(maxSize: 8)
        let recorder = Recorder(label: "r", factory: test.provider)
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<2 {
                group.addTask {
                    for value in 1...50_000 { recorder.record(Double(value * (thread + 1))) }
                }
            }
        }
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        #expect(point.count == 100_000)
        #expect(point.positive.bucketCounts.reduce(0, +) == 100_000)
        #expect(point.positive.bucketCounts.count <= 8)
        #expect(point.max == 100_000)
    }

    @Test("at a positive scale a subnormal value is counted as the least normal one, rounded away from zero")
    func subnormal() throws {
        let test = provider(maxScale: 1)
        let recorder = Recorder(label: "r", factory: test.provider)
        recorder.record(3 * Double.leastNonzeroMagnitude)
        let point = try #require(test.collect("r")?.exponentialPoints.first)
        // 2^-1022 is the upper boundary of bucket (-1022 << 1) - 1 at scale 1.
        #expect(point.scale == 1)
        #expect(point.positive.offset == -2_045)
        #expect(point.positive.bucketCounts == [1])
    }

}
