import CCurlShims

/// Header lines as libcurl takes them (a `curl_slist`), freed with the list.
final class CurlHeaderList {
    let pointer: UnsafeMutablePointer<curl_slist>?

    /// Makes the list of `lines`, each `Name: value`.
    /// - Throws: ``OTLPTransportError`` when libcurl cannot allocate it.
    init(_ lines: [String]) throws(OTLPTransportError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw OTLPTransportError(reason: "curl_slist_append failed")
            }
            list = appended
        }
        pointer = list
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
