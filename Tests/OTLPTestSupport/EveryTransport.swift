import OTLPExporter

/// Every protocol, each with and without gzip: what the round-trip tests run over.
public let everyTransport: [(OTLPExporterConfiguration.TransportProtocol, OTLPExporterConfiguration.Compression)] = [
    (.httpProtobuf, .none), (.httpProtobuf, .gzip), (.httpJSON, .none), (.httpJSON, .gzip), (.grpc, .none),
    (.grpc, .gzip),
]
