import COTLPProto

/// The kind of telemetry an OTLP exporter sends: traces, logs or metrics. It decides the
/// exporter's environment variables (`OTEL_EXPORTER_OTLP_TRACES_*`, `OTEL_EXPORTER_OTLP_LOGS_*`,
/// `OTEL_EXPORTER_OTLP_METRICS_*`), its URL path (`/v1/traces`, `/v1/logs`, `/v1/metrics`) and
/// its gRPC method; everything else (configuration rules, delivery, retry, transports) is
/// shared.
public struct OTLPSignal: Sendable, Equatable, CustomStringConvertible {
    /// `traces`, `logs`, `metrics`.
    public let name: String
    /// The signal's part of the environment variables' names: `TRACES` in
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
    let environmentName: String
    /// The OTLP/HTTP path below the generic endpoint: `/v1/traces`.
    package let httpPath: String
    /// The OTLP/gRPC method: `/opentelemetry.proto.collector.trace.v1.TraceService/Export`.
    package let grpcPath: String
    /// What the signal's items are called in logs and errors: `spans`.
    let itemName: String
    /// The OTLP/JSON name of the partial success's count: `rejectedSpans`.
    package let rejectedJSONName: String
    /// Unpacks the protobuf response's `partial_success`; nil when the bytes are not the
    /// response, `.some(nil)` when it has none.
    private let partialSuccessFromProtobuf: @Sendable (UnsafeRawBufferPointer) -> OTLPPartialSuccess??

    /// Traces: `ExportTraceServiceRequest` to `/v1/traces` or `TraceService/Export`.
    public static let traces = OTLPSignal(
        name: "traces",
        environmentName: "TRACES",
        httpPath: "/v1/traces",
        grpcPath: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        itemName: "spans",
        rejectedJSONName: "rejectedSpans"
    ) { bytes in
        unpackPartialSuccess(
            bytes,
            opentelemetry__proto__collector__trace__v1__export_trace_service_response__unpack,
            opentelemetry__proto__collector__trace__v1__export_trace_service_response__free_unpacked
        ) { response in
            response.partial_success.map { ($0.pointee.rejected_spans, $0.pointee.error_message) }
        }
    }

    /// Logs: `ExportLogsServiceRequest` to `/v1/logs` or `LogsService/Export`.
    public static let logs = OTLPSignal(
        name: "logs",
        environmentName: "LOGS",
        httpPath: "/v1/logs",
        grpcPath: "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
        itemName: "log records",
        rejectedJSONName: "rejectedLogRecords"
    ) { bytes in
        unpackPartialSuccess(
            bytes,
            opentelemetry__proto__collector__logs__v1__export_logs_service_response__unpack,
            opentelemetry__proto__collector__logs__v1__export_logs_service_response__free_unpacked
        ) { response in
            response.partial_success.map { ($0.pointee.rejected_log_records, $0.pointee.error_message) }
        }
    }

    /// Metrics: `ExportMetricsServiceRequest` to `/v1/metrics` or `MetricsService/Export`; its
    /// items are data points.
    public static let metrics = OTLPSignal(
        name: "metrics",
        environmentName: "METRICS",
        httpPath: "/v1/metrics",
        grpcPath: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        itemName: "data points",
        rejectedJSONName: "rejectedDataPoints"
    ) { bytes in
        unpackPartialSuccess(
            bytes,
            opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__unpack,
            opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__free_unpacked
        ) { response in
            response.partial_success.map { ($0.pointee.rejected_data_points, $0.pointee.error_message) }
        }
    }

    /// Every signal, for a receiver that takes them all.
    package static let all: [OTLPSignal] = [.traces, .logs, .metrics]

    public var description: String { name }

    public static func == (lhs: OTLPSignal, rhs: OTLPSignal) -> Bool {
        lhs.name == rhs.name
    }

    /// Unpacks a signal's Export response with its generated functions and reads its partial
    /// success (`rejected`, `error_message`) with `read`.
    private static func unpackPartialSuccess<Response>(
        _ bytes: UnsafeRawBufferPointer,
        _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<
            Response
        >?,
        _ free: (UnsafeMutablePointer<Response>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void,
        _ read: (Response) -> (rejected: Int64, message: UnsafeMutablePointer<CChar>?)?
    ) -> OTLPPartialSuccess?? {
        guard let response = unpack(nil, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)) else {
            return nil
        }
        defer { free(response, nil) }
        guard let (rejected, message) = read(response.pointee) else { return .some(nil) }
        return OTLPPartialSuccess(rejected: rejected, errorMessage: message.map { String(cString: $0) } ?? "")
    }

    /// Reads the `partial_success` of a protobuf Export response; nil when there is none.
    /// - Throws: ``OTLPResponseDecodingError`` when the bytes are not such a response.
    func partialSuccess(protobuf bytes: UnsafeRawBufferPointer) throws(OTLPResponseDecodingError) -> OTLPPartialSuccess?
    {
        guard let decoded = partialSuccessFromProtobuf(bytes) else { throw OTLPResponseDecodingError() }
        return decoded
    }

    /// Reads the `partialSuccess` of an OTLP/JSON Export response; nil when there is none (an
    /// empty body or `{}` is a full success). The count may be a number or, as the JSON
    /// mapping writes 64-bit integers, a string.
    /// - Throws: ``OTLPResponseDecodingError`` when the body is not JSON.
    func partialSuccess(json bytes: [UInt8]) throws(OTLPResponseDecodingError) -> OTLPPartialSuccess? {
        guard !bytes.isEmpty else { return nil }
        guard let object = JSONValue(parsing: bytes), case .object = object else { throw OTLPResponseDecodingError() }
        guard let partial = object["partialSuccess"], case .object = partial else { return nil }
        let rejected: Int64 =
            switch partial[rejectedJSONName] {
            case .string(let text)?: Int64(text) ?? 0
            case .integer(let integer)?: integer
            default: 0
            }
        return OTLPPartialSuccess(rejected: rejected, errorMessage: partial["errorMessage"]?.string ?? "")
    }
}

/// A response body that is not the Export response it should be: read as a success without a
/// partial success, as a collector's answer that cannot be read says nothing against the data.
struct OTLPResponseDecodingError: Error {}
