import CCurlShims

/// A request that did not get an HTTP response: connection refused, timeout, TLS failure,
/// or libcurl refusing an option.
public struct OTLPTransportError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, as libcurl describes it.
    public let reason: String
    /// libcurl's result code, when the failure came from a transfer.
    let curlCode: CURLcode?

    init(reason: String, curlCode: CURLcode? = nil) {
        self.reason = reason
        self.curlCode = curlCode
    }

    /// Whether the TLS handshake failed on a certificate or key: not something a retry fixes.
    public var isTLSFailure: Bool {
        guard let curlCode else { return false }
        return [
            CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_PEER_FAILED_VERIFICATION,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS,
        ].contains(curlCode)
    }

    public var description: String { "OTLP transport error: \(reason)" }

    public static func == (lhs: OTLPTransportError, rhs: OTLPTransportError) -> Bool {
        lhs.reason == rhs.reason && lhs.curlCode == rhs.curlCode
    }
}
