/// Which context formats the tracer's `inject` and `extract` speak.
///
/// Environment: `OTEL_PROPAGATORS`, a comma-separated list of `tracecontext`, `baggage` and
/// `none`. Default: `tracecontext,baggage`. Other names (`b3`, `jaeger`, ...) are not built in:
/// they are reported and skipped.
public struct Propagators: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// W3C Trace Context: `traceparent` and `tracestate`.
    public static let traceContext = Propagators(rawValue: 1 << 0)
    /// W3C Baggage: `baggage`.
    public static let baggage = Propagators(rawValue: 1 << 1)

    /// The default, `tracecontext,baggage`.
    public static let `default`: Propagators = [.traceContext, .baggage]

    /// The propagators `OTEL_PROPAGATORS` names.
    /// - Parameter environment: the environment to read.
    public init(environment: OTelEnvironment) {
        guard let list = environment["OTEL_PROPAGATORS"] else {
            self = .default
            return
        }
        var propagators: Propagators = []
        for name in list.split(separator: ",").map({ $0.trimmingOWS().lowercased() }) {
            switch name {
            case "tracecontext": propagators.insert(.traceContext)
            case "baggage": propagators.insert(.baggage)
            case "none": break
            default:
                environment.reportInvalid("OTEL_PROPAGATORS", name, expected: "tracecontext, baggage or none")
            }
        }
        self = propagators
    }
}
