import CCurlShims

/// One libcurl easy handle with typed option setters and a response-body collector.
///
/// Not thread-safe: one thread uses a handle at a time. The handle keeps its connection
/// alive between requests.
final class CurlEasyHandle {
    /// libcurl's process-wide setup; must run before any handle exists, and only once.
    private static let globalInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    private let handle: UnsafeMutableRawPointer
    private let responseBody = ResponseBody()
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init() throws(OTLPTransportError) {
        guard Self.globalInitialization == CURLE_OK else {
            throw OTLPTransportError(reason: "curl_global_init failed (code \(Self.globalInitialization.rawValue))")
        }
        guard let handle = curl_easy_init() else {
            throw OTLPTransportError(reason: "curl_easy_init returned no handle")
        }
        self.handle = handle
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(responseBody).toOpaque())
        let status = otel_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let byteCount = size * count
            guard let context, let data else { return byteCount }
            let body = Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue()
            body.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: byteCount))
            return byteCount
        }
        try check(status, "CURLOPT_WRITEFUNCTION")
    }

    deinit {
        curl_easy_cleanup(handle)
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

    func set(_ option: CURLoption, headers: UnsafeMutablePointer<curl_slist>?) throws(OTLPTransportError) {
        try check(otel_curl_easy_setopt_slist(handle, option, headers), "option \(option.rawValue)")
    }

    /// Runs the configured request; returns the HTTP status and the response body.
    func perform() throws(OTLPTransportError) -> (status: Int, body: [UInt8]) {
        responseBody.bytes.removeAll(keepingCapacity: true)
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            buffer[0] = 0
            _ = otel_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw OTLPTransportError(
                reason: "\(String(cString: curl_easy_strerror(code)))\(detail.isEmpty ? "" : ": \(detail)")"
            )
        }
        var status = 0
        try check(otel_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        return (status, responseBody.bytes)
    }

    private func check(_ code: CURLcode, _ what: String) throws(OTLPTransportError) {
        guard code == CURLE_OK else {
            throw OTLPTransportError(reason: "libcurl refused \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Where the write callback puts the response, reached through CURLOPT_WRITEDATA.
    private final class ResponseBody {
        var bytes: [UInt8] = []
    }
}
