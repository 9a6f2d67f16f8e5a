import CCurlShims

/// Sends encoded OTLP/HTTP requests (`POST /v1/traces`, `application/x-protobuf`) to one
/// endpoint on a kept-alive libcurl connection.
///
/// This is the minimal transport: no retries. Not thread-safe; use one sender per thread.
public final class OTLPHTTPSender {
    /// The URL requests go to, for example `http://127.0.0.1:4318/v1/traces`.
    public let url: String

    private let curl: CurlEasyHandle
    private let headers: UnsafeMutablePointer<curl_slist>
    private let compressor: GzipCompressor?

    /// Creates a sender.
    /// - Parameters:
    ///   - url: the full traces URL; must start with `http://` or `https://`.
    ///   - timeoutMilliseconds: the whole request's time limit; defaults to 10,000.
    ///   - compression: `gzip` compresses bodies (`Content-Encoding: gzip`); defaults to none.
    /// - Throws: ``OTLPConfigurationError`` for a URL that is not http(s), ``OTLPTransportError``
    ///   when libcurl or zlib cannot be set up.
    public init(
        url: String,
        timeoutMilliseconds: Int = 10_000,
        compression: OTLPExporterConfiguration.Compression = .none
    ) throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw OTLPConfigurationError.invalidEndpoint(url, reason: "the scheme must be http or https")
        }
        self.url = url
        self.curl = try CurlEasyHandle()
        var headers = curl_slist_append(nil, "Content-Type: application/x-protobuf")
        if compression == .gzip {
            headers = curl_slist_append(headers, "Content-Encoding: gzip")
            self.compressor = try GzipCompressor()
        } else {
            self.compressor = nil
        }
        guard let headers else {
            throw OTLPTransportError(reason: "curl_slist_append failed")
        }
        self.headers = headers
        try curl.set(CURLOPT_URL, url)
        try curl.set(CURLOPT_POST, 1)
        try curl.set(CURLOPT_HTTPHEADER, headers: headers)
        try curl.set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
    }

    deinit {
        curl_slist_free_all(headers)
    }

    /// Posts one request body and returns the HTTP status and response body.
    /// - Parameter body: the encoded ExportTraceServiceRequest; it must stay valid during the call.
    /// - Throws: ``OTLPTransportError`` when no HTTP response arrived.
    public func send(_ body: UnsafeRawBufferPointer) throws -> (status: Int, body: [UInt8]) {
        let body = compressor?.compress(body) ?? body
        try curl.set(CURLOPT_POSTFIELDSIZE, body.count)
        if let bytes = body.baseAddress {
            try curl.set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes))
        } else {
            // A nil POSTFIELDS would make libcurl read the body from stdin.
            try curl.set(CURLOPT_COPYPOSTFIELDS, "")
        }
        return try curl.perform()
    }
}
