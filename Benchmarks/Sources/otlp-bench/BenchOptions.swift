import OTLPExporter

/// otlp-bench's command line.
struct BenchOptions {
    static let usage = """
        usage: otlp-bench --workload W1|W2|W2g|W3|W4|L1|L2|M1|M2 [--spans N] [--records N] [--endpoint URL]
                          [--protocol grpc|http/protobuf|http/json] [--compression gzip|none] [--typed]
                          [--blocks-when-full]
               otlp-bench receive       (the embedded receiver, run by otlp-bench in a process of its own)

        Runs one workload of Benchmarks/README.md and prints a JSON line and a summary. Without
        --endpoint, W2-W4, L2 and M2 export to the embedded receiver in a child process.

          --spans N        spans to produce (W1 default 1,000,000; W2 500,000); W3/W4 run 10 s
          --records N      log records for L1 (default 1,000,000), measurements of each kind for
                           M1 (default 10,000,000); L2 runs 10 s, M2 10 exports
          --endpoint URL   an OTLP endpoint to send to instead of the embedded receiver
          --protocol P     W2 defaults to http/protobuf, W2g to grpc
          --compression C  gzip or none (default none)
          --typed          the typed fast path (setAttribute) instead of updateAttributes
          --blocks-when-full  the producer waits for room in the queue instead of dropping,
                           so that every span is exported in full batches (for counting the
                           worker's instructions, where the threads take turns)
        """

    enum Workload: String {
        case w1 = "W1"
        case w2 = "W2"
        case w2g = "W2g"
        case w3 = "W3"
        case w4 = "W4"
        case l1 = "L1"
        case l2 = "L2"
        case m1 = "M1"
        case m2 = "M2"

        /// L1 and L2 log.
        var isLogs: Bool { self == .l1 || self == .l2 }
        /// M1 and M2 record metrics.
        var isMetrics: Bool { self == .m1 || self == .m2 }
    }

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    var workload: Workload = .w1
    var spans: Int?
    var records: Int?
    var endpoint: String?
    var transportProtocol: OTLPExporterConfiguration.TransportProtocol?
    var compression: OTLPExporterConfiguration.Compression = .none
    var typed = false
    var blocksWhenFull = false

    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(for option: String) throws -> String {
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return value
        }
        var sawWorkload = false
        while let argument = remaining.popFirst() {
            switch argument {
            case "--workload":
                let text = try value(for: argument)
                guard let parsed = Workload(rawValue: text) else {
                    throw UsageError(description: "unknown workload \(text)")
                }
                workload = parsed
                sawWorkload = true
            case "--spans":
                spans = try Self.positiveCount(try value(for: argument), option: argument)
            case "--records":
                records = try Self.positiveCount(try value(for: argument), option: argument)
            case "--endpoint":
                endpoint = try value(for: argument)
            case "--protocol":
                let text = try value(for: argument)
                guard let parsed = OTLPExporterConfiguration.TransportProtocol(rawValue: text) else {
                    throw UsageError(description: "--protocol \(text): expected grpc, http/protobuf or http/json")
                }
                transportProtocol = parsed
            case "--compression":
                let text = try value(for: argument)
                guard let parsed = OTLPExporterConfiguration.Compression(rawValue: text) else {
                    throw UsageError(description: "--compression \(text): expected gzip or none")
                }
                compression = parsed
            case "--typed":
                typed = true
            case "--blocks-when-full":
                blocksWhenFull = true
            case "--help", "-h":
                throw UsageError(description: Self.usage)
            default:
                throw UsageError(description: "unknown option \(argument)\n\n\(Self.usage)")
            }
        }
        guard sawWorkload else { throw UsageError(description: Self.usage) }
    }

    /// A count given on the command line, `_` allowed between digits.
    private static func positiveCount(_ text: String, option: String) throws -> Int {
        guard let count = Int(String(text.filter { $0 != "_" })), count > 0 else {
            throw UsageError(description: "\(option) \(text): expected a positive number")
        }
        return count
    }
}
