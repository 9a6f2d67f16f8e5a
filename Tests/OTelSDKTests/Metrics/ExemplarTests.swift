import CoreMetrics
import OTelSDK
import Testing
import Tracing

@Suite("Exemplars")
struct ExemplarTests {
    @Test("trace_based: a measurement in a sampled span keeps its trace id and span id")
    func traceBasedInSampledSpan() throws {
        let traces = TestProvider()
        let test = TestMeterProvider(exemplarFilter: .traceBased)
        let timer = Timer(label: "t", factory: test.provider)
        let counter = Counter(label: "c", factory: test.provider)
        let spanContext = traces.tracer.withSpan("handle") { span in
            timer.recordMilliseconds(30)
            counter.increment(by: 2)
            return span.spanContext
        }
        let span = spanContext
        let point = try #require(test.collect("t")?.histogramPoints.first)
        let exemplar = try #require(point.exemplars.first)
        #expect(point.exemplars.count == 1)
        #expect(exemplar.traceID == span.traceID)
        #expect(exemplar.spanID == span.spanID)
        #expect(exemplar.value == .double(0.03))
        #expect(exemplar.timeUnixNano >= point.startTimeUnixNano && exemplar.timeUnixNano <= point.timeUnixNano)
        let counted = try #require(test.collect("c")?.numberPoints.first?.exemplars.first)
        #expect(counted.value == .int(2))
        #expect(counted.spanID == span.spanID)
        #expect(traces.spans.map(\.context.spanID) == [span.spanID], "the exemplar names an exported span")
    }

    @Test("trace_based: nothing outside a span or in an unsampled one")
    func traceBasedElsewhere() throws {
        let traces = TestProvider(sampler: AlwaysOffSampler())
        let test = TestMeterProvider(exemplarFilter: .traceBased)
        let timer = Timer(label: "t", factory: test.provider)
        timer.recordMilliseconds(1)
        traces.tracer.withSpan("unsampled") { _ in timer.recordMilliseconds(2) }
        let point = try #require(test.collect("t")?.histogramPoints.first)
        #expect(point.count == 2)
        #expect(point.exemplars.isEmpty)
    }

    @Test("always_on: a measurement outside a span is an exemplar without ids")
    func alwaysOn() throws {
        let test = TestMeterProvider(exemplarFilter: .alwaysOn)
        Recorder(label: "r", factory: test.provider).record(7)
        let exemplar = try #require(test.collect("r")?.histogramPoints.first?.exemplars.first)
        #expect(exemplar.value == .int(7))
        #expect(exemplar.traceID == nil)
        #expect(exemplar.spanID == nil)
    }

    @Test("always_off: no exemplar, even in a sampled span")
    func alwaysOff() throws {
        let traces = TestProvider()
        let test = TestMeterProvider(exemplarFilter: .alwaysOff)
        let timer = Timer(label: "t", factory: test.provider)
        traces.tracer.withSpan("handle") { _ in timer.recordMilliseconds(3) }
        #expect(test.collect("t")?.histogramPoints.first?.exemplars == [])
    }

    @Test("explicit-bucket histograms keep one exemplar per bucket, each in its bucket")
    func alignedReservoir() throws {
        let test = TestMeterProvider(exemplarFilter: .alwaysOn)
        let recorder = Recorder(label: "r", factory: test.provider)
        for value in [1.0, 2, 30, 40, 20_000] { recorder.record(value) }
        let exemplars = try #require(test.collect("r")?.histogramPoints.first?.exemplars)
        #expect(exemplars.count == 3)
        #expect([.double(1), .double(2)].contains(exemplars[0].value), "(0, 5]")
        #expect([.double(30), .double(40)].contains(exemplars[1].value), "(25, 50]")
        #expect(exemplars[2].value == .double(20_000))
    }

    @Test("a bucket's exemplar is sampled uniformly from its measurements")
    func uniformSampling() throws {
        let test = TestMeterProvider(
            exporter: InMemoryMetricExporter(temporalityPreference: .delta),
            exemplarFilter: .alwaysOn
        )
        let recorder = Recorder(label: "r", factory: test.provider)
        var kept: [Double] = []
        for _ in 0..<400 {
            // 100 measurements of one bucket, (1,000, 2,500], per interval.
            for value in 1_001...1_100 { recorder.record(Double(value)) }
            let exemplar = try #require(test.collect("r")?.histogramPoints.first?.exemplars.first)
            guard case .double(let value) = exemplar.value else { return }
            kept.append(value - 1_000)
        }
        // Uniform over 1...100: mean 50.5, its standard error over 400 intervals 1.44.
        let mean = kept.reduce(0, +) / Double(kept.count)
        #expect(abs(mean - 50.5) < 8, "mean \(mean)")
        #expect(kept.contains { $0 <= 25 } && kept.contains { $0 > 75 }, "both ends are kept sometimes")
    }

    @Test("trace_based finds the sampled span when few measurements are made in one")
    func sparseSampledSpans() throws {
        let traces = TestProvider()
        let test = TestMeterProvider(exemplarFilter: .traceBased)
        let counter = Counter(label: "c", factory: test.provider)
        var spanIDs: [SpanID] = []
        for index in 1...1_000 {
            if index % 50 == 0 {
                spanIDs.append(
                    traces.tracer.withSpan("sampled") { span in
                        counter.increment()
                        return span.spanContext.spanID
                    }
                )
            } else {
                counter.increment()
            }
        }
        let exemplars = try #require(test.collect("c")?.numberPoints.first?.exemplars)
        #expect(!exemplars.isEmpty)
        #expect(exemplars.allSatisfy { $0.spanID.map(spanIDs.contains) == true })
    }

    @Test("delta collections clear exemplars; cumulative ones keep them")
    func exemplarsPerInterval() throws {
        let delta = TestMeterProvider(
            exporter: InMemoryMetricExporter(temporalityPreference: .delta),
            exemplarFilter: .alwaysOn
        )
        let cumulative = TestMeterProvider(exemplarFilter: .alwaysOn)
        for test in [delta, cumulative] {
            let timer = Timer(label: "t", factory: test.provider)
            timer.recordSeconds(1)
            _ = test.collect("t")
            timer.recordSeconds(100)
        }
        #expect(delta.collect("t")?.histogramPoints.first?.exemplars.map(\.value) == [.double(100)])
        #expect(cumulative.collect("t")?.histogramPoints.first?.exemplars.map(\.value) == [.double(1), .double(100)])
    }

    @Test(
        "OTEL_METRICS_EXEMPLAR_FILTER",
        arguments: [
            ("always_on", ExemplarFilter.alwaysOn), ("ALWAYS_OFF", .alwaysOff), ("trace_based", .traceBased),
            ("", .traceBased), ("sometimes", .traceBased),
        ]
    )
    func environment(value: String, expected: ExemplarFilter) {
        #expect(ExemplarFilter(environment: OTelEnvironment(["OTEL_METRICS_EXEMPLAR_FILTER": value])) == expected)
        let provider = MeterProvider(environment: OTelEnvironment(["OTEL_METRICS_EXEMPLAR_FILTER": value]))
        #expect(provider.exemplarFilter == expected)
    }

    @Test("a delta interval whose sum is zero still ends its exemplar")
    func zeroDeltaEndsExemplar() throws {
        let traces = TestProvider()
        let test = TestMeterProvider(
            exporter: InMemoryMetricExporter(temporalityPreference: .delta),
            exemplarFilter: .traceBased
        )
        let counter = Counter(label: "c", factory: test.provider)
        traces.tracer.withSpan("sampled") { _ in counter.increment(by: 0) }
        #expect(test.collect("c") == nil, "nothing added: no point")
        counter.increment(by: 5)
        let point = try #require(test.collect("c")?.numberPoints.first)
        #expect(point.value == .int(5))
        #expect(point.exemplars.isEmpty, "the only measurement of this interval was outside a span")
    }

}
