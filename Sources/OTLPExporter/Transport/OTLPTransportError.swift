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

    /// Whether TLS failed on a certificate or key, ours or the server's: not something a
    /// retry fixes. A handshake that the peer cut short (`CURLE_SSL_CONNECT_ERROR` without a
    /// certificate alert) is not one: it is retried like any failure to connect.
    public var isTLSFailure: Bool {
        guard let curlCode else { return false }
        if [
            CURLE_SSL_CERTPROBLEM, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
        ].contains(curlCode) {
            return true
        }
        // A server that refuses our certificate says so with a TLS alert, which libcurl reports
        // as a failed handshake or, with TLS 1.3, a failed read after it.
        guard [CURLE_SSL_CONNECT_ERROR, CURLE_RECV_ERROR, CURLE_SEND_ERROR].contains(curlCode) else { return false }
        let text = reason.lowercased()
        return text.contains("alert") && (text.contains("certificate") || text.contains("unknown ca"))
    }

    public var description: String { "OTLP transport error: \(reason)" }

    public static func == (lhs: OTLPTransportError, rhs: OTLPTransportError) -> Bool {
        lhs.reason == rhs.reason && lhs.curlCode == rhs.curlCode
    }
}
