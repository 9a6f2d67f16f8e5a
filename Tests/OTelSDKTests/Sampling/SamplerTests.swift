import OTelSDK
import Testing
import Tracing

@Suite("Samplers")
struct SamplerTests {
    private func decide(
        _ sampler: any Sampler,
        parent: SpanContext? = nil,
        traceID: TraceID = TraceID(high: 1, low: 1)
    )
        -> SamplingResult.Decision
    {
        sampler.shouldSample(parent: parent, traceID: traceID, name: "s", kind: .internal).decision
    }

    private func parent(remote: Bool, sampled: Bool) -> SpanContext {
        SpanContext(
            traceID: TraceID(high: 1, low: 1),
            spanID: SpanID(1),
            traceFlags: sampled ? .sampled : [],
            isRemote: remote
        )
    }

    @Test("always on and always off")
    func constant() {
        #expect(decide(AlwaysOnSampler()) == .recordAndSample)
        #expect(decide(AlwaysOffSampler()) == .drop)
    }

    @Test("trace id ratio: decided by the trace id alone, deterministic, about the ratio")
    func ratio() {
        let sampler = TraceIDRatioBasedSampler(ratio: 0.25)
        var sampled = 0
        let count = 40_000
        for _ in 0..<count {
            let id = RandomIDGenerator().newTraceID()
            let decision = decide(sampler, traceID: id)
            // Deterministic, and the parent does not matter.
            #expect(decide(sampler, parent: parent(remote: true, sampled: false), traceID: id) == decision)
            if decision == .recordAndSample { sampled += 1 }
        }
        #expect((0.23...0.27).contains(Double(sampled) / Double(count)))

        // The rightmost 7 bytes of this id sit at 0.1875 of their range: sampled at every ratio
        // above that, at none below, whatever the other 9 bytes hold.
        for id in [TraceID(high: 0, low: 0x0030_0000_0000_0000), TraceID(high: .max, low: 0xFF30_0000_0000_0000)] {
            #expect(decide(TraceIDRatioBasedSampler(ratio: 0.18), traceID: id) == .drop)
            #expect(decide(TraceIDRatioBasedSampler(ratio: 0.19), traceID: id) == .recordAndSample)
        }
        // Zero in the random bytes is sampled at any ratio above 0, however large the rest.
        #expect(
            decide(TraceIDRatioBasedSampler(ratio: 0.01), traceID: TraceID(high: .max, low: 0xFF00_0000_0000_0000))
                == .recordAndSample
        )
        #expect(decide(TraceIDRatioBasedSampler(ratio: 0), traceID: TraceID(high: 0, low: 1)) == .drop)
        #expect(decide(TraceIDRatioBasedSampler(ratio: 1), traceID: TraceID(high: 0, low: .max)) == .recordAndSample)
        #expect(TraceIDRatioBasedSampler(ratio: 7).ratio == 1)
    }

    @Test(
        "the ratio sampler's description writes the ratio as a decimal, never in exponent form",
        arguments: [
            (0.00001, "0.00001"), (1.5e-10, "0.00000000015"), (0.25, "0.25"), (1, "1.0"), (0, "0.0"),
            (0.0001234, "0.0001234"),
        ]
    )
    func ratioDescription(ratio: Double, expected: String) {
        #expect(TraceIDRatioBasedSampler(ratio: ratio).description == "TraceIdRatioBased{\(expected)}")
    }

    @Test("parent based: each of the five cases has its own delegate")
    func parentBased() {
        let sampler = ParentBasedSampler(
            root: AlwaysOffSampler(),
            remoteParentSampled: AlwaysOffSampler(),
            remoteParentNotSampled: AlwaysOnSampler(),
            localParentSampled: AlwaysOffSampler(),
            localParentNotSampled: AlwaysOnSampler()
        )
        #expect(decide(sampler) == .drop)
        #expect(decide(sampler, parent: parent(remote: true, sampled: true)) == .drop)
        #expect(decide(sampler, parent: parent(remote: true, sampled: false)) == .recordAndSample)
        #expect(decide(sampler, parent: parent(remote: false, sampled: true)) == .drop)
        #expect(decide(sampler, parent: parent(remote: false, sampled: false)) == .recordAndSample)

        let defaults = ParentBasedSampler(root: AlwaysOnSampler())
        #expect(decide(defaults) == .recordAndSample)
        #expect(decide(defaults, parent: parent(remote: true, sampled: true)) == .recordAndSample)
        #expect(decide(defaults, parent: parent(remote: true, sampled: false)) == .drop)
        #expect(decide(defaults, parent: parent(remote: false, sampled: true)) == .recordAndSample)
        #expect(decide(defaults, parent: parent(remote: false, sampled: false)) == .drop)
    }

    @Test(
        "OTEL_TRACES_SAMPLER and its argument pick the sampler; bad values give the default",
        arguments: [
            ([:], "ParentBased{root=AlwaysOnSampler,"),
            (["OTEL_TRACES_SAMPLER": "always_off"], "AlwaysOffSampler"),
            (["OTEL_TRACES_SAMPLER": "always_on"], "AlwaysOnSampler"),
            (["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"], "TraceIdRatioBased{0.5}"),
            (["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "2"], "TraceIdRatioBased{1.0}"),
            (["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "half"], "TraceIdRatioBased{1.0}"),
            (["OTEL_TRACES_SAMPLER": "parentbased_always_off"], "ParentBased{root=AlwaysOffSampler,"),
            (
                ["OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"],
                "ParentBased{root=TraceIdRatioBased{0.1},"
            ),
            (["OTEL_TRACES_SAMPLER": "sometimes"], "ParentBased{root=AlwaysOnSampler,"),
            (["OTEL_TRACES_SAMPLER": ""], "ParentBased{root=AlwaysOnSampler,"),
        ]
    )
    func environment(variables: [String: String], expected: String) {
        let provider = TracerProvider(resource: Resource(attributes: []), environment: OTelEnvironment(variables))
        #expect(provider.sampler.description.hasPrefix(expected))
    }
}
