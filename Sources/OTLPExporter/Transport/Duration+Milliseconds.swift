extension Duration {
    /// Whole milliseconds, as libcurl's timeouts and gRPC's grpc-timeout take them.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
