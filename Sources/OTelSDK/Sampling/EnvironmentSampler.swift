/// The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` name.
///
/// Values: `always_on`, `always_off`, `traceidratio`, `parentbased_always_on` (the default),
/// `parentbased_always_off`, `parentbased_traceidratio`; the ratio samplers read their ratio
/// from `OTEL_TRACES_SAMPLER_ARG` (0 to 1, default 1). An unknown name or a bad ratio is
/// reported and the default used.
enum EnvironmentSampler {
    static func sampler(from environment: OTelEnvironment) -> any Sampler {
        let name = environment["OTEL_TRACES_SAMPLER"]?.lowercased() ?? "parentbased_always_on"
        func ratio() -> Double {
            guard let text = environment["OTEL_TRACES_SAMPLER_ARG"] else { return 1 }
            guard let ratio = Double(text), (0...1).contains(ratio) else {
                environment.reportInvalid("OTEL_TRACES_SAMPLER_ARG", text, expected: "a ratio from 0 to 1")
                return 1
            }
            return ratio
        }
        switch name {
        case "always_on": return AlwaysOnSampler()
        case "always_off": return AlwaysOffSampler()
        case "traceidratio": return TraceIDRatioBasedSampler(ratio: ratio())
        case "parentbased_always_on": return ParentBasedSampler(root: AlwaysOnSampler())
        case "parentbased_always_off": return ParentBasedSampler(root: AlwaysOffSampler())
        case "parentbased_traceidratio": return ParentBasedSampler(root: TraceIDRatioBasedSampler(ratio: ratio()))
        default:
            environment.reportInvalid(
                "OTEL_TRACES_SAMPLER",
                name,
                expected:
                    "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio"
            )
            return ParentBasedSampler(root: AlwaysOnSampler())
        }
    }
}
