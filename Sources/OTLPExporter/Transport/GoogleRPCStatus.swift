import COTLPProto

/// A `google.rpc.Status` message, as gRPC's `grpc-status-details-bin` and OTLP/HTTP error
/// bodies carry it.
enum GoogleRPCStatus {
    /// Runs `body` with the status unpacked from `bytes` by protobuf-c; nil when they are not
    /// one.
    static func withUnpacked<Result>(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeMutablePointer<Google__Rpc__Status>) -> Result?
    ) -> Result? {
        guard
            let status = google__rpc__status__unpack(
                nil,
                bytes.count,
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            )
        else { return nil }
        defer { google__rpc__status__free_unpacked(status, nil) }
        return body(status)
    }
}
