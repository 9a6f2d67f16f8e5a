import Foundation
import OTLPExporter

/// The demo's command line.
struct DemoOptions {
    static let usage = """
        usage: otlp-demo [--endpoint URL] [--protocol grpc|http/protobuf|http/json] [--messages N]
                         [--html FILE] [--json FILE]

        Runs a three-stage message pipeline (first -> second -> third) traced, logged and
        measured with the SDK, and shows the trace with its log lines and the messaging metrics.
        Without an endpoint the spans, logs and metrics go over OTLP/gRPC to an embedded
        receiver; with --endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) they go to your collector,
        Tempo or Jaeger instead. OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_COMPRESSION,
        OTEL_EXPORTER_OTLP_HEADERS and OTEL_SERVICE_NAME are honoured.

          --endpoint URL   the collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT
          --protocol P     grpc, http/protobuf or http/json, as OTEL_EXPORTER_OTLP_PROTOCOL
          --messages N     messages sent to `first` (default 1); each makes one trace
          --html FILE      also write the traces as a self-contained HTML waterfall page
          --json FILE      also write the traces as an OTLP/JSON ExportTraceServiceRequest
        """

    var endpoint: String?
    var transportProtocol: OTLPExporterConfiguration.TransportProtocol?
    var messages = 1
    var htmlFile: String?
    var jsonFile: String?

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `arguments`; `environment` supplies the endpoint when --endpoint is absent.
    init(arguments: [String], environment: [String: String]) throws {
        var remaining = arguments[...]
        func value(for option: String) throws -> String {
            guard let value = remaining.popFirst() else { throw UsageError(description: "\(option) needs a value") }
            return value
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--endpoint":
                endpoint = try value(for: argument)
            case "--protocol":
                let text = try value(for: argument)
                guard let parsed = OTLPExporterConfiguration.TransportProtocol(rawValue: text) else {
                    throw UsageError(description: "--protocol \(text): expected grpc, http/protobuf or http/json")
                }
                transportProtocol = parsed
            case "--messages":
                let text = try value(for: argument)
                guard let count = Int(text), count > 0 else {
                    throw UsageError(description: "--messages \(text): expected a positive number")
                }
                messages = count
            case "--html":
                htmlFile = try value(for: argument)
            case "--json":
                jsonFile = try value(for: argument)
            case "--help", "-h":
                throw UsageError(description: Self.usage)
            default:
                throw UsageError(description: "unknown option \(argument)\n\n\(Self.usage)")
            }
        }
        if endpoint == nil, let variable = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !variable.isEmpty {
            endpoint = variable
        }
    }
}
