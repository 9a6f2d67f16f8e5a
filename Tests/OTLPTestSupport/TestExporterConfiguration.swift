import OTLPExporter
import OTelSDK

extension OTLPExporterConfiguration {
    /// A configuration for tests: `signal` to a receiver's `endpoint` (its signal path joined
    /// for OTLP/HTTP), a 5 s timeout, nothing read from the environment.
    public static func forTest(
        _ signal: OTLPSignal,
        _ endpoint: String,
        _ transportProtocol: TransportProtocol,
        compression: Compression = .none
    ) throws -> OTLPExporterConfiguration {
        try OTLPExporterConfiguration(
            signal: signal,
            endpoint: transportProtocol == .grpc ? endpoint : endpoint + signal.httpPath,
            transportProtocol: transportProtocol,
            compression: compression,
            timeout: .seconds(5),
            environment: OTelEnvironment([:])
        )
    }
}
