#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One hop of an OTLP/HTTP redirect, and whether the exporter takes it.
///
/// Only 307 and 308 are followed: they keep the method and the body (RFC 9110, sections
/// 15.4.8 and 15.4.9), which a POST of spans needs. A hop may keep the scheme or go from http
/// to https, never from https to http. The configured headers, which often carry credentials,
/// go only where the request went before: the same host and port, or the same host when the
/// hop upgrades to https on the default ports.
struct HTTPRedirect {
    private let from: URLComponents?
    private let to: URLComponents?

    /// A hop from the URL of the request that was redirected to the URL of its `Location`.
    init(from: String, to: String) {
        self.from = URLComponents(string: from)
        self.to = URLComponents(string: to)
    }

    private var fromScheme: String? { from?.scheme?.lowercased() }
    private var toScheme: String? { to?.scheme?.lowercased() }
    private var isUpgrade: Bool { fromScheme == "http" && toScheme == "https" }

    /// Whether the exporter follows it: to an http(s) URL with a host, without leaving https.
    var isAllowed: Bool {
        guard let toScheme, toScheme == "http" || toScheme == "https", to?.host?.isEmpty == false else {
            return false
        }
        return toScheme == fromScheme || isUpgrade
    }

    /// Whether the configured headers may go along: to the same host and port (or, upgrading to
    /// https, from the default port to the default port).
    var keepsConfiguredHeaders: Bool {
        guard isAllowed, let from, let to, let fromHost = from.host?.lowercased(), fromHost == to.host?.lowercased()
        else { return false }
        if from.port == nil, to.port == nil { return true }
        return Self.port(of: from) == Self.port(of: to)
    }

    private static func port(of url: URLComponents) -> Int? {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
    }
}
