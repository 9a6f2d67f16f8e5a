import COTLPProto

/// What sets one signal's OTLP exporter apart from another's: its environment variables, its
/// URL path, its gRPC method and its response message. Everything else (configuration rules,
/// encoding helpers, delivery, retry, transports) is shared.
struct OTLPSignal: Sendable {
    /// The signal's part of the environment variables' names: `TRACES` in
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
    let environmentName: String
    /// The OTLP/HTTP path below the generic endpoint: `/v1/traces`.
    let httpPath: String
    /// The OTLP/gRPC method: `/opentelemetry.proto.collector.trace.v1.TraceService/Export`.
    let grpcPath: String
    /// What the signal's items are called in logs and errors: `spans`.
    let itemName: String
    /// The OTLP/JSON name of the partial success's count: `rejectedSpans`.
    private let rejectedJSONName: String
    /// Unpacks the protobuf response's `partial_success`.
    private let partialSuccessFromProtobuf: @Sendable (UnsafeRawBufferPointer) -> OTLPPartialSuccess??

    /// Traces: `ExportTraceServiceRequest` to `/v1/traces` or `TraceService/Export`.
    static let traces = OTLPSignal(
        environmentName: "TRACES",
        httpPath: "/v1/traces",
        grpcPath: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        itemName: "spans",
        rejectedJSONName: "rejectedSpans"
    ) { bytes in
        guard
            let response = opentelemetry__proto__collector__trace__v1__export_trace_service_response__unpack(
                nil,
                bytes.count,
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            )
        else { return nil }
        defer {
            opentelemetry__proto__collector__trace__v1__export_trace_service_response__free_unpacked(response, nil)
        }
        guard let partial = response.pointee.partial_success else { return .some(nil) }
        return OTLPPartialSuccess(
            rejected: partial.pointee.rejected_spans,
            errorMessage: partial.pointee.error_message.map { String(cString: $0) } ?? ""
        )
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
