import CCurlShims
import OTelSDK

/// Sends encoded requests as OTLP/gRPC calls (the signal's `Export` method, such as
/// `TraceService/Export`) over libcurl's HTTP/2:
/// h2c with prior knowledge for `http://` endpoints, ALPN `h2` for `https://` ones.
///
/// libcurl before 8.0 (Debian 12 has 7.88.1) cannot reuse an h2c connection: the second call
/// on it fails at once (curl issue #10634). There, and only for plain-text endpoints, every
/// call gets a fresh connection.
package final class OTLPGRPCSender: OTLPTransport {
    /// Whether this libcurl has the h2c reuse defect.
    static let reusesH2CBrokenly: Bool = isBefore8

    /// The protobuf bytes one call should carry at most, so that libcurl does not spin.
    ///
    /// libcurl before 8.0 busy-loops while an HTTP/2 upload waits for the peer to open its
    /// flow-control window (curl issue #10618): a new connection and its streams start with a
    /// 65,535-byte window (RFC 9113, section 6.9.2), and a larger message keeps the sending
    /// thread polling at full speed until the collector's WINDOW_UPDATE arrives, a round trip
    /// later; on such a libcurl every plain-text call has a new connection. There, a call
    /// carries at most what fits the first window with its 5-byte gRPC prefix; a single span
    /// larger than that still goes out alone, up to the exporter's request limit.
    package static let preferredMessageBytes = isBefore8 ? 65_535 - 5 : Int.max

    private static let isBefore8: Bool = {
        guard let info = curl_version_info(CURLVERSION_ELEVENTH) else { return true }
        return info.pointee.version_num < 0x08_00_00
    }()

    let url: String
    private let signal: OTLPSignal
    private let curl: CurlEasyHandle
    private let baseHeaders: [String]
    private let compressor: GzipCompressor?
    private let isTLS: Bool
    private let maximumResponseBytes: Int
    private var frame: [UInt8] = []
    private(set) var lastRequestBytes = 0

    /// Creates a sender with the gRPC settings of `configuration`; a response is read up to
    /// `maximumResponseBytes`, as it arrives and once its message is inflated.
    init(configuration: OTLPExporterConfiguration, maximumResponseBytes: Int) throws {
        let base = configuration.endpoint.absoluteString
        url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + configuration.signal.grpcPath
        signal = configuration.signal
        isTLS = configuration.endpoint.scheme?.lowercased() == "https"
        self.maximumResponseBytes = maximumResponseBytes
        curl = try CurlEasyHandle(maximumResponseBytes: maximumResponseBytes)
        var headers = [
            "Content-Type: application/grpc",
            "TE: trailers",
            "grpc-accept-encoding: gzip",
            "Expect:",
        ]
        if configuration.compression == .gzip {
            headers.append("grpc-encoding: gzip")
            compressor = try GzipCompressor()
        } else {
            compressor = nil
        }
        baseHeaders = headers + configuration.headerLines
        try curl.set(CURLOPT_URL, url)
        try curl.set(CURLOPT_POST, 1)
        try curl.set(
            CURLOPT_HTTP_VERSION,
            isTLS ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
        )
        if !isTLS && Self.reusesH2CBrokenly {
            try curl.set(CURLOPT_FRESH_CONNECT, 1)
            try curl.set(CURLOPT_FORBID_REUSE, 1)
        }
        try curl.applyTLSFiles(of: configuration)
    }

    func attempt(_ body: UnsafeRawBufferPointer, timeout: Duration) -> DeliveryAttempt {
        // grpc-timeout takes at most 8 digits.
        let milliseconds = min(99_999_999, max(1, timeout.wholeMilliseconds))
        // The 5-byte gRPC message prefix: compressed flag, then the length, big-endian.
        let payload = compressor?.compress(body) ?? body
        frame.removeAll(keepingCapacity: true)
        frame.append(compressor == nil ? 0 : 1)
        withUnsafeBytes(of: UInt32(payload.count).bigEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: payload)
        lastRequestBytes = frame.count

        let response: CurlEasyHandle.Response
        do {
            let headers = try CurlHeaderList(baseHeaders + ["grpc-timeout: \(milliseconds)m"])
            try curl.set(CURLOPT_HTTPHEADER, headers: headers)
            try curl.set(CURLOPT_TIMEOUT_MS, milliseconds)
            try curl.set(CURLOPT_POSTFIELDSIZE, frame.count)
            response = try frame.withUnsafeMutableBytes { bytes in
                try curl.set(CURLOPT_POSTFIELDS, pointer: bytes.baseAddress)
                return try curl.perform()
            }
            if isTLS, try curl.info(CURLINFO_HTTP_VERSION) != CURL_HTTP_VERSION_2_0 {
                return .refused(
                    OTLPTransportError(reason: "\(url) did not negotiate HTTP/2 (ALPN h2), which gRPC needs")
                )
            }
        } catch let error as OTLPTransportError where error.isTLSFailure {
            // A certificate problem does not go away by trying again.
            return .refused(error)
        } catch let error as OTLPResponseTooLargeError {
            return .refused(error)
        } catch {
            return .retryable(error, delay: nil)
        }
        guard response.status == 200 else {
            // gRPC answers 200; anything else is a proxy or a server that does not speak gRPC.
            let error = OTLPHTTPStatusError(
                status: response.status,
                body: response.body,
                contentType: response.headers["content-type"]
            )
            return RetryPolicy.isRetryable(status: response.status) ? .retryable(error, delay: nil) : .refused(error)
        }
        guard let status = GRPCStatus(headers: response.headers) else {
            return .refused(OTLPTransportError(reason: "the gRPC response has no grpc-status"))
        }
        guard status.code == GRPCStatusCode.ok else {
            return status.isRetryable ? .retryable(status, delay: status.retryDelay) : .refused(status)
        }
        do {
            return .accepted(
                try Self.partialSuccess(in: response.body, of: signal, maximumResponseBytes: maximumResponseBytes)
            )
        } catch {
            return .refused(error)
        }
    }

    /// The partial success in a gRPC response body (one length-prefixed message), if any; a
    /// message that does not decode has none.
    /// - Throws: ``OTLPResponseTooLargeError`` when the message inflates past `maximumResponseBytes`.
    static func partialSuccess(
        in body: [UInt8],
        of signal: OTLPSignal,
        maximumResponseBytes: Int
    ) throws(OTLPResponseTooLargeError) -> OTLPPartialSuccess? {
        guard body.count >= 5 else { return nil }
        let length = body[1...4].reduce(0) { $0 << 8 | Int($1) }
        guard body.count >= 5 + length else { return nil }
        var message = Array(body[5..<5 + length])
        if body[0] == 1 {
            do {
                message = try GzipDecompressor.decompress(message, maximumBytes: maximumResponseBytes)
            } catch .tooLarge {
                throw OTLPResponseTooLargeError(status: 200, maximumResponseBytes: maximumResponseBytes)
            } catch {
                return nil
            }
        }
        return
            (try? message.withUnsafeBytes { bytes throws(OTLPResponseDecodingError) in
                try signal.partialSuccess(protobuf: bytes)
            }) ?? nil
    }
}
