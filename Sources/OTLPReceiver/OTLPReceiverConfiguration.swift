extension OTLPReceiver {
    /// Where an ``OTLPReceiver`` listens and how much it keeps.
    public struct Configuration: Sendable {
        /// The address both listeners bind to. Default `127.0.0.1`: the receiver is for
        /// loopback use and listens on nothing but the address asked for.
        public var host: String
        /// The OTLP/HTTP port (`/v1/traces`); 0 picks a free port, nil disables the listener.
        /// Default 0.
        public var httpPort: Int?
        /// The OTLP/gRPC port (h2c, prior knowledge); 0 picks a free port, nil disables the
        /// listener. Default 0.
        public var grpcPort: Int?
        /// How many received spans are kept for ``OTLPReceiver/spans``; spans past it are
        /// counted and discarded. 0 keeps none (a counting sink for benchmarks). Default 100,000.
        public var maximumStoredSpans: Int
        /// The largest request body accepted, before and after decompression; a larger one is
        /// answered 413 (HTTP) or RESOURCE_EXHAUSTED (gRPC). Default 16 MiB.
        public var maximumRequestBytes: Int
        /// Decides the answer to each decodable request; the default accepts every request.
        /// Tests use it to play a failing collector.
        public var responder: @Sendable (OTLPReceivedRequest) -> OTLPReceiverResponse

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: the listening address; default `127.0.0.1`.
        ///   - httpPort: the OTLP/HTTP port, 0 for any free port, nil for none; default 0.
        ///   - grpcPort: the OTLP/gRPC port, 0 for any free port, nil for none; default 0.
        ///   - maximumStoredSpans: spans kept for inspection; default 100,000. With 0 the
        ///     receiver only counts, walking each protobuf request's wire format instead of
        ///     decoding it.
        ///   - maximumRequestBytes: the request size cap; default 16 MiB.
        ///   - responder: the answer to each request; default: accept.
        public init(
            host: String = "127.0.0.1",
            httpPort: Int? = 0,
            grpcPort: Int? = 0,
            maximumStoredSpans: Int = 100_000,
            maximumRequestBytes: Int = 16 << 20,
            responder: @escaping @Sendable (OTLPReceivedRequest) -> OTLPReceiverResponse = { _ in .accept }
        ) {
            self.host = host
            self.httpPort = httpPort
            self.grpcPort = grpcPort
            self.maximumStoredSpans = maximumStoredSpans
            self.maximumRequestBytes = maximumRequestBytes
            self.responder = responder
        }
    }
}
