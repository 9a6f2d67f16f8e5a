import OTLPExporter
import OTelSDK

/// The exporter configuration of a networked workload: `--endpoint` or the embedded
/// receiver's, as the generic endpoint variable (so that `/v1/traces` or `/v1/logs` is
/// appended for OTLP/HTTP); gRPC for W2g, else OTLP/HTTP protobuf, unless `--protocol` says.
func benchExporterConfiguration(
    _ signal: OTLPSignal,
    options: BenchOptions,
    receiver: ReceiverProcess?
) throws -> OTLPExporterConfiguration {
    let transportProtocol = options.transportProtocol ?? (options.workload == .w2g ? .grpc : .httpProtobuf)
    let base =
        options.endpoint ?? (transportProtocol == .grpc ? receiver?.grpcEndpoint : receiver?.httpEndpoint) ?? ""
    return try OTLPExporterConfiguration(
        signal: signal,
        transportProtocol: transportProtocol,
        compression: options.compression,
        timeout: .seconds(10),
        environment: OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": base])
    )
}
