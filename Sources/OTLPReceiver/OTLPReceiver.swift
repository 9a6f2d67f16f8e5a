import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import OTelSDK

/// A loopback OTLP receiver of traces and logs on SwiftNIO: OTLP/HTTP (`/v1/traces` and
/// `/v1/logs`, protobuf or JSON, optionally gzip) and OTLP/gRPC (h2c TraceService/Export and
/// LogsService/Export, optionally gzip), each on its own port as a collector has them.
///
/// It answers like a collector (200 with an empty ExportTraceServiceResponse; 400, 413 or
/// 415, and INVALID_ARGUMENT, RESOURCE_EXHAUSTED or UNIMPLEMENTED for what it cannot take),
/// keeps what it received for inspection, and counts requests, spans, log records and bytes. The demo
/// shows traces with it; tests use it as the other end of the exporter, and its
/// ``Configuration/responder`` to play a failing collector.
///
/// ```swift
/// let receiver = try await OTLPReceiver.start()
/// // export to receiver.grpcEndpoint or receiver.httpEndpoint ...
/// let spans = try await receiver.waitForSpans(count: 6, timeout: .seconds(5))
/// await receiver.stop()
/// ```
public final class OTLPReceiver: Sendable {
    /// The OTLP/HTTP port bound, or nil when that listener is disabled.
    public let httpPort: Int?
    /// The OTLP/gRPC port bound, or nil when that listener is disabled.
    public let grpcPort: Int?
    /// The configuration it started with.
    public let configuration: Configuration

    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]
    private let store: ReceivedItemStore

    private init(
        configuration: Configuration,
        group: MultiThreadedEventLoopGroup,
        channels: [any Channel],
        httpPort: Int?,
        grpcPort: Int?,
        store: ReceivedItemStore
    ) {
        self.configuration = configuration
        self.group = group
        self.channels = channels
        self.httpPort = httpPort
        self.grpcPort = grpcPort
        self.store = store
    }

    /// The base URL for an OTLP/HTTP exporter (`http://host:port`; the exporter appends
    /// `/v1/traces`), or nil when that listener is disabled.
    public var httpEndpoint: String? { httpPort.map { "http://\(configuration.host):\($0)" } }
    /// The URL for an OTLP/gRPC exporter (`http://host:port`), or nil when disabled.
    public var grpcEndpoint: String? { grpcPort.map { "http://\(configuration.host):\($0)" } }

    /// Starts the listeners the configuration asks for, on one event loop thread.
    /// - Parameter configuration: addresses, limits and the answer policy; default: both
    ///   listeners on free ports of 127.0.0.1.
    /// - Returns: the running receiver; ``httpPort`` and ``grpcPort`` tell the ports bound.
    /// - Throws: ``OTLPReceiverError/bindFailed(host:port:reason:)`` when a port is taken or
    ///   the address cannot be used.
    public static func start(configuration: Configuration = Configuration()) async throws -> OTLPReceiver {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let store = ReceivedItemStore(maximumStoredItems: configuration.maximumStoredSpans)
        let decoder = RequestBodyDecoder(
            maximumBytes: configuration.maximumRequestBytes,
            keepsSpans: configuration.maximumStoredSpans > 0
        )
        let services = ReceiverServices(store: store, decoder: decoder, responder: configuration.responder)
        var channels: [any Channel] = []
        do {
            var httpPort: Int?
            if let port = configuration.httpPort {
                let channel = try await bind(group: group, host: configuration.host, port: port) { channel in
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPRequestHandler(services: services)
                    )
                }
                channels.append(channel)
                httpPort = channel.localAddress?.port
            }
            var grpcPort: Int?
            if let port = configuration.grpcPort {
                let channel = try await bind(group: group, host: configuration.host, port: port) { channel in
                    // Flow-control windows of a large request's size: with HTTP/2's 64 KiB
                    // default a 300 KB request waits for several WINDOW_UPDATE round trips.
                    var connection = NIOHTTP2Handler.ConnectionConfiguration()
                    connection.initialSettings =
                        nioDefaultSettings + [
                            HTTP2Setting(parameter: .initialWindowSize, value: Self.http2WindowBytes)
                        ]
                    connection.targetWindowSize = Self.http2WindowBytes
                    var stream = NIOHTTP2Handler.StreamConfiguration()
                    stream.targetWindowSize = Self.http2WindowBytes
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server,
                        connectionConfiguration: connection,
                        streamConfiguration: stream
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandler(
                                GRPCStreamHandler(services: services)
                            )
                        }
                    }
                }
                channels.append(channel)
                grpcPort = channel.localAddress?.port
            }
            return OTLPReceiver(
                configuration: configuration,
                group: group,
                channels: channels,
                httpPort: httpPort,
                grpcPort: grpcPort,
                store: store
            )
        } catch {
            for channel in channels { try? await channel.close() }
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static let http2WindowBytes = 8 << 20

    private static func bind(
        group: MultiThreadedEventLoopGroup,
        host: String,
        port: Int,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try configure(channel) }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            throw OTLPReceiverError.bindFailed(host: host, port: port, reason: String(describing: error))
        }
    }

    /// The spans received so far, in arrival order (at most
    /// ``Configuration/maximumStoredSpans``).
    public var spans: [SpanData] { store.spans }

    /// Requests, spans and bytes received so far.
    public var statistics: OTLPReceiverStatistics { store.statistics }

    /// Waits until at least `count` spans have been accepted since the receiver started.
    /// - Parameters:
    ///   - count: the number of spans to wait for.
    ///   - timeout: how long to wait at most.
    /// - Returns: the stored spans at that moment.
    /// - Throws: ``OTLPReceiverError/timedOut(expected:received:)``,
    ///   ``OTLPReceiverError/stopped``, or `CancellationError`.
    public func waitForSpans(count: Int, timeout: Duration) async throws -> [SpanData] {
        try await store.waitFor(count, of: .traces, timeout: timeout)
        return store.spans
    }

    /// The log records received so far, in arrival order (at most
    /// ``Configuration/maximumStoredSpans`` of them too).
    public var logRecords: [LogRecordData] { store.logRecords }

    /// Waits until at least `count` log records have been accepted since the receiver started.
    /// - Parameters:
    ///   - count: the number of records to wait for.
    ///   - timeout: how long to wait at most.
    /// - Returns: the stored records at that moment.
    /// - Throws: ``OTLPReceiverError/timedOut(expected:received:)``,
    ///   ``OTLPReceiverError/stopped``, or `CancellationError`.
    public func waitForLogRecords(count: Int, timeout: Duration) async throws -> [LogRecordData] {
        try await store.waitFor(count, of: .logs, timeout: timeout)
        return store.logRecords
    }

    /// The metrics received so far, in arrival order (at most
    /// ``Configuration/maximumStoredSpans`` of them too).
    public var metrics: [MetricData] { store.metrics }

    /// Waits until at least `dataPoints` metric data points have been accepted since the
    /// receiver started.
    /// - Parameters:
    ///   - dataPoints: the number of data points to wait for.
    ///   - timeout: how long to wait at most.
    /// - Returns: the stored metrics at that moment.
    /// - Throws: ``OTLPReceiverError/timedOut(expected:received:)``,
    ///   ``OTLPReceiverError/stopped``, or `CancellationError`.
    public func waitForMetrics(dataPoints: Int, timeout: Duration) async throws -> [MetricData] {
        try await store.waitFor(dataPoints, of: .metrics, timeout: timeout)
        return store.metrics
    }

    /// Closes the listeners and their connections and stops the event loop; pending waits
    /// end with ``OTLPReceiverError/stopped``. Calling it again does nothing.
    public func stop() async {
        // The event loop group cannot be shut down twice.
        guard store.stop() else { return }
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }
}
