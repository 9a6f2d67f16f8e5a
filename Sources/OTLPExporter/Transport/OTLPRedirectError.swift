/// A redirect the OTLP/HTTP exporter does not follow (see the exporter's documentation: it
/// follows 307 and 308 only, a few hops at most, never from https to http).
public struct OTLPRedirectError: Error, Equatable, CustomStringConvertible {
    /// Why the redirect was not followed.
    public let reason: String

    static func tooManyRedirects(after hops: Int) -> OTLPRedirectError {
        OTLPRedirectError(reason: "still redirected after \(hops) redirects; the collector's URL is wrong or loops")
    }

    static func refused(from: String, to: String) -> OTLPRedirectError {
        OTLPRedirectError(reason: "a redirect from \(from) to \(to) is not followed: it leaves https or http")
    }

    public var description: String { "OTLP redirect not followed: \(reason)" }
}
