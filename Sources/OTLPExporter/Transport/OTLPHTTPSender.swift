import CCurlShims
import OTelSDK

/// Sends encoded OTLP/HTTP requests (`POST`, `application/x-protobuf`, or `application/json`
/// for `http/json`) to one endpoint on a kept-alive libcurl connection: the HTTP transport of
/// ``OTLPSpanExporter``.
///
/// One request per call, no retries (the exporter retries). Redirects 307 and 308 are followed
/// (see ``HTTPRedirect``), at most ``maximumRedirects`` of them. Not thread-safe; one sender
/// per thread.
package final class OTLPHTTPSender: OTLPTransport {
    /// The most redirects one request follows.
    static let maximumRedirects = 5

    /// The URL requests go to, for example `http://127.0.0.1:4318/v1/traces`.
    package let url: String

    private let curl: CurlEasyHandle
    /// Every header line: the protocol's and the configured ones.
    private let headers: CurlHeaderList
    /// The protocol's header lines and the User-Agent: what a redirect to another host gets.
    private let headersForOtherHosts: CurlHeaderList
    private let compressor: GzipCompressor?
    private let isJSON: Bool
    private let signal: OTLPSignal

    /// Creates a sender for one URL.
    /// - Parameters:
    ///   - url: the full traces URL; must start with `http://` or `https://`.
    ///   - timeoutMilliseconds: the whole request's time limit; defaults to 10,000.
    ///   - compression: `gzip` compresses bodies (`Content-Encoding: gzip`); defaults to none.
    ///   - maximumResponseBytes: the largest response body read; a larger one ends the request
    ///     with ``OTLPResponseTooLargeError``. Defaults to 4 MiB
    ///     (``OTLPSpanExporter/defaultMaximumResponseBytes``).
    /// - Throws: ``OTLPConfigurationError`` for a URL that is not http(s), ``OTLPTransportError``
    ///   when libcurl or zlib cannot be set up.
    package convenience init(
        url: String,
        timeoutMilliseconds: Int = 10_000,
        compression: OTLPExporterConfiguration.Compression = .none,
        maximumResponseBytes: Int = OTLPSpanExporter.defaultMaximumResponseBytes
    ) throws {
        try self.init(
            configuration: OTLPExporterConfiguration(
                endpoint: url,
                transportProtocol: .httpProtobuf,
                headers: [],
                compression: compression,
                timeout: .milliseconds(timeoutMilliseconds),
                environment: OTelEnvironment([:])
            ),
            maximumResponseBytes: maximumResponseBytes
        )
    }

    /// Creates a sender with every HTTP setting of `configuration`: URL, headers, compression,
    /// timeout, CA file and client certificate; response bodies are read up to
    /// `maximumResponseBytes`.
    init(configuration: OTLPExporterConfiguration, maximumResponseBytes: Int) throws {
        url = configuration.endpoint.absoluteString
        isJSON = configuration.transportProtocol == .httpJSON
        signal = configuration.signal
        curl = try CurlEasyHandle(maximumResponseBytes: maximumResponseBytes)
        var lines = [
            configuration.transportProtocol == .httpJSON
                ? "Content-Type: application/json" : "Content-Type: application/x-protobuf",
            // Without this libcurl sends `Expect: 100-continue` for bodies over 1 KiB and
            // waits up to a second for a server that does not answer it.
            "Expect:",
        ]
        if configuration.compression == .gzip {
            lines.append("Content-Encoding: gzip")
            compressor = try GzipCompressor()
        } else {
            compressor = nil
        }
        headers = try CurlHeaderList(lines + configuration.headerLines)
        headersForOtherHosts = try CurlHeaderList(
            lines + ["User-Agent: \(OTLPExporterConfiguration.defaultUserAgent)"]
        )
        try curl.set(CURLOPT_URL, url)
        try curl.set(CURLOPT_POST, 1)
        try curl.set(CURLOPT_HTTPHEADER, headers: headers)
        try curl.set(CURLOPT_TIMEOUT_MS, configuration.timeout.wholeMilliseconds)
        try curl.applyTLSFiles(of: configuration)
    }

    /// Posts one request body and returns the HTTP status and response body.
    /// - Parameter body: the encoded ExportTraceServiceRequest; it must stay valid during the call.
    /// - Throws: ``OTLPTransportError`` when no HTTP response arrived,
    ///   ``OTLPResponseTooLargeError`` when its body passed `maximumResponseBytes`.
    package func send(_ body: UnsafeRawBufferPointer) throws -> (status: Int, body: [UInt8]) {
        let response = try post(body)
        return (response.status, response.body)
    }

    /// Posts one request body (gzipped when configured), following redirects 307 and 308, and
    /// returns the last response.
    /// - Parameters:
    ///   - body: the encoded request.
    ///   - timeout: this request's time limit, redirects included; nil keeps the configured one
    ///     for each hop.
    /// - Throws: ``OTLPTransportError`` when no HTTP response arrived,
    ///   ``OTLPResponseTooLargeError`` for a body over the limit, ``OTLPRedirectError`` for a
    ///   redirect not followed.
    func post(_ body: UnsafeRawBufferPointer, timeout: Duration? = nil) throws -> CurlEasyHandle.Response {
        let body = compressor?.compress(body) ?? body
        let deadline = timeout.map { ContinuousClock.now + $0 }
        try curl.set(CURLOPT_POSTFIELDSIZE, body.count)
        if let bytes = body.baseAddress {
            try curl.set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes))
        } else {
            // A nil POSTFIELDS would make libcurl read the body from stdin.
            try curl.set(CURLOPT_COPYPOSTFIELDS, "")
        }
        lastRequestBytes = body.count
        var target = url
        var redirects = 0
        defer {
            if redirects > 0 {
                // The next request starts from the configured URL, with every header.
                try? curl.set(CURLOPT_URL, url)
                try? curl.set(CURLOPT_HTTPHEADER, headers: headers)
            }
        }
        while true {
            if let deadline {
                // libcurl reads 0 as "no limit": never pass it.
                try curl.set(CURLOPT_TIMEOUT_MS, max(1, (deadline - .now).wholeMilliseconds))
            }
            let response = try curl.perform()
            guard response.status == 307 || response.status == 308, let location = try curl.redirectURL() else {
                return response
            }
            guard redirects < Self.maximumRedirects else { throw OTLPRedirectError.tooManyRedirects(after: redirects) }
            let hop = HTTPRedirect(from: target, to: location)
            guard hop.isAllowed else { throw OTLPRedirectError.refused(from: target, to: location) }
            if !hop.keepsConfiguredHeaders {
                // Once sent elsewhere, the request stays without the configured headers.
                try curl.set(CURLOPT_HTTPHEADER, headers: headersForOtherHosts)
            }
            try curl.set(CURLOPT_URL, location)
            target = location
            redirects += 1
        }
    }

    /// The size on the wire of the last request posted.
    private(set) var lastRequestBytes = 0

    /// One POST: 2xx is accepted (with its partial success); 429, 502, 503, 504 and no
    /// response at all are worth a retry (after `Retry-After`, seconds or an HTTP date);
    /// every other status is final, and so is a body over the response limit, whatever its
    /// status.
    func attempt(_ body: UnsafeRawBufferPointer, timeout: Duration) -> DeliveryAttempt {
        let response: CurlEasyHandle.Response
        do {
            response = try post(body, timeout: timeout)
        } catch let error as OTLPTransportError where error.isTLSFailure {
            // A certificate problem does not go away by trying again.
            return .refused(error)
        } catch let error as OTLPResponseTooLargeError {
            return .refused(error)
        } catch let error as OTLPRedirectError {
            return .refused(error)
        } catch {
            return .retryable(error, delay: nil)
        }
        if (200..<300).contains(response.status) {
            // A body that is not the response it should be says nothing against the data.
            let partial =
                isJSON
                ? try? signal.partialSuccess(json: response.body)
                : try? response.body.withUnsafeBytes { bytes throws(OTLPResponseDecodingError) in
                    try signal.partialSuccess(protobuf: bytes)
                }
            return .accepted(partial ?? nil)
        }
        let error = OTLPHTTPStatusError(
            status: response.status,
            body: response.body,
            contentType: response.headers["content-type"]
        )
        guard RetryPolicy.isRetryable(status: response.status) else { return .refused(error) }
        return .retryable(error, delay: response.retryAfter.flatMap { RetryPolicy.delay(retryAfter: $0) })
    }
}
