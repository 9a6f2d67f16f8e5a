import CCurlShims

/// One libcurl easy handle with typed option setters, and what a response brought back.
///
/// Not thread-safe: one thread uses a handle at a time. The handle keeps its connection
/// alive between requests.
final class CurlEasyHandle {
    /// libcurl's process-wide setup; must run before any handle exists, and only once.
    private static let globalInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// What one request brought back.
    struct Response {
        /// The HTTP status.
        let status: Int
        /// The body, at most the handle's `maximumResponseBytes`.
        let body: [UInt8]
        /// The headers and trailers, names lowercased; a repeated name keeps its last value.
        let headers: [String: String]

        /// The `Retry-After` header's value, if any.
        var retryAfter: String? { headers["retry-after"] }
    }

    private let handle: UnsafeMutableRawPointer
    private let response: ResponseCollector
    /// The lists set on the handle, by option: libcurl refers to them until they are replaced.
    private var headerLists: [UInt32: CurlHeaderList] = [:]
    /// Where libcurl writes its error detail; it keeps the pointer, so it must stay put.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// Creates a handle whose transfers end with ``OTLPResponseTooLargeError`` once a response
    /// body passes `maximumResponseBytes` (a collector's answer is small, and a hostile one
    /// must not grow the exporter's memory).
    init(maximumResponseBytes: Int) throws(OTLPTransportError) {
        response = ResponseCollector(maximumBodyBytes: maximumResponseBytes)
        guard Self.globalInitialization == CURLE_OK else {
            throw OTLPTransportError(reason: "curl_global_init failed (code \(Self.globalInitialization.rawValue))")
        }
        guard let handle = curl_easy_init() else {
            throw OTLPTransportError(reason: "curl_easy_init returned no handle")
        }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        let context = Unmanaged.passUnretained(response).toOpaque()
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(
            otel_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let byteCount = size * count
                guard let context, let data else { return byteCount }
                let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
                guard byteCount <= collector.maximumBodyBytes - collector.body.count else {
                    collector.bodyExceededLimit = true
                    // A short count makes libcurl abort the transfer with CURLE_WRITE_ERROR, so
                    // the rest of the body is never downloaded.
                    return 0
                }
                collector.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: byteCount))
                return byteCount
            },
            "CURLOPT_WRITEFUNCTION"
        )
        try set(CURLOPT_HEADERDATA, pointer: context)
        try check(
            otel_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let byteCount = size * count
                guard let context, let data else { return byteCount }
                let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: byteCount), as: UTF8.self)
                // Trailers (gRPC's status) arrive through this callback too, after the body.
                if let colon = line.firstIndex(of: ":"), collector.headers.count < 64 {
                    let name = line[..<colon].lowercased()
                    collector.headers[name] = String(line[line.index(after: colon)...].trimmingWhitespace())
                }
                return byteCount
            },
            "CURLOPT_HEADERFUNCTION"
        )
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(OTLPTransportError) {
        try check(otel_curl_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, _ value: String) throws(OTLPTransportError) {
        // libcurl copies string options (since 7.17), so a temporary C string is enough.
        try check(value.withCString { otel_curl_easy_setopt_string(handle, option, $0) }, "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(OTLPTransportError) {
        try check(otel_curl_easy_setopt_pointer(handle, option, pointer), "option \(option.rawValue)")
    }

    /// A `long` that libcurl reports about the last transfer.
    func info(_ info: CURLINFO) throws(OTLPTransportError) -> Int {
        var value = 0
        try check(otel_curl_easy_getinfo_long(handle, info, &value), "info \(info.rawValue)")
        return value
    }

    /// Sets a list option; the handle keeps the list for as long as it is set, since libcurl
    /// reads it on every transfer without copying it.
    func set(_ option: CURLoption, headers: CurlHeaderList) throws(OTLPTransportError) {
        try check(otel_curl_easy_setopt_slist(handle, option, headers.pointer), "option \(option.rawValue)")
        headerLists[option.rawValue] = headers
    }

    /// The URL libcurl would go to for the redirect in the last response: its `Location`,
    /// resolved against the request's URL; nil when the response had none.
    func redirectURL() throws(OTLPTransportError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        try check(otel_curl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &value), "info CURLINFO_REDIRECT_URL")
        return value.map { String(cString: $0) }
    }

    /// Sets the CA file and the client certificate and key for mutual TLS, where configured.
    func applyTLSFiles(of configuration: OTLPExporterConfiguration) throws(OTLPTransportError) {
        if let file = configuration.certificateFile {
            try set(CURLOPT_CAINFO, file)
        }
        if let file = configuration.clientCertificateFile {
            try set(CURLOPT_SSLCERT, file)
        }
        if let file = configuration.clientKeyFile {
            try set(CURLOPT_SSLKEY, file)
        }
    }

    /// Runs the configured request.
    /// - Throws: ``OTLPTransportError`` when no HTTP response arrived (refused, timed out, TLS);
    ///   ``OTLPResponseTooLargeError`` when the body passed `maximumResponseBytes`.
    func perform() throws -> Response {
        response.body.removeAll(keepingCapacity: true)
        response.headers.removeAll(keepingCapacity: true)
        response.bodyExceededLimit = false
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        if code == CURLE_WRITE_ERROR, response.bodyExceededLimit {
            throw OTLPResponseTooLargeError(
                status: try info(CURLINFO_RESPONSE_CODE),
                maximumResponseBytes: response.maximumBodyBytes
            )
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw OTLPTransportError(
                reason: "\(String(cString: curl_easy_strerror(code)))\(detail.isEmpty ? "" : ": \(detail)")",
                curlCode: code
            )
        }
        let status = try info(CURLINFO_RESPONSE_CODE)
        return Response(status: status, body: response.body, headers: response.headers)
    }

    private func check(_ code: CURLcode, _ what: String) throws(OTLPTransportError) {
        guard code == CURLE_OK else {
            throw OTLPTransportError(reason: "libcurl refused \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Where the callbacks put the response, reached through CURLOPT_WRITEDATA / HEADERDATA.
    private final class ResponseCollector {
        let maximumBodyBytes: Int
        var body: [UInt8] = []
        var headers: [String: String] = [:]
        /// Whether the write callback refused a body passing `maximumBodyBytes`.
        var bodyExceededLimit = false

        init(maximumBodyBytes: Int) {
            self.maximumBodyBytes = maximumBodyBytes
        }
    }
}
