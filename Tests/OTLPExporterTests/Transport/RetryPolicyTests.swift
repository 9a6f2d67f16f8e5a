import CCurlShims
import Testing

@testable import OTLPExporter

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Retry policy")
struct RetryPolicyTests {
    /// 1994-11-06T08:49:37Z, RFC 9110's example date.
    static let example = Date(timeIntervalSince1970: 784_111_777)

    @Test(
        "Retry-After in each of the three HTTP-date formats",
        arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"]
    )
    func httpDates(value: String) {
        #expect(RetryPolicy.delay(retryAfter: value, now: Self.example.addingTimeInterval(-90)) == .seconds(90))
    }

    @Test("Retry-After in seconds, and a date already past, which means now")
    func secondsAndPastDates() {
        #expect(RetryPolicy.delay(retryAfter: " 7 ", now: Self.example) == .seconds(7))
        #expect(
            RetryPolicy.delay(retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: Self.example.addingTimeInterval(5))
                == .zero
        )
    }

    @Test("leap days and the ends of months and years")
    func calendar() {
        let cases: [(String, TimeInterval)] = [
            ("Thu, 29 Feb 2024 23:59:59 GMT", 1_709_251_199),
            ("Wed, 01 Mar 2000 00:00:00 GMT", 951_868_800),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("Fri, 31 Dec 2100 12:00:00 GMT", 4_133_937_600),
        ]
        for (value, seconds) in cases {
            #expect(
                RetryPolicy.delay(retryAfter: value, now: Date(timeIntervalSince1970: seconds - 1)) == .seconds(1),
                "\(value)"
            )
        }
    }

    @Test("an RFC 850 two-digit year more than 50 years ahead belongs to the century before")
    func twoDigitYears() {
        let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026
        // 94 would be 2094, more than 50 years ahead: it is 1994, long past.
        #expect(RetryPolicy.delay(retryAfter: "Sunday, 06-Nov-94 08:49:37 GMT", now: now) == .zero)
        // 30 is 2030, four years ahead.
        let delay = RetryPolicy.delay(retryAfter: "Wednesday, 06-Nov-30 08:49:37 GMT", now: now)
        #expect(delay != nil && delay! > .seconds(3 * 365 * 86_400))
    }

    @Test(
        "what is not an HTTP date gives no delay",
        arguments: [
            "", "-1", "soon", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov  6 08:49 1994", "Sun, 06 Nov 1994 08:49:37 GMT extra",
        ]
    )
    func notDates(value: String) {
        #expect(RetryPolicy.delay(retryAfter: value, now: Self.example) == nil)
    }

    @Test(
        "TLS: a handshake cut short is retried; a certificate problem, or a peer's alert about one, is not",
        arguments: [
            (CURLE_SSL_CONNECT_ERROR, "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to localhost:4318", false),
            (CURLE_RECV_ERROR, "Connection reset by peer", false),
            (CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate", true),
            (CURLE_SSL_CERTPROBLEM, "could not load PEM client certificate", true),
            (
                CURLE_RECV_ERROR, "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required",
                true
            ),
            (CURLE_SSL_CONNECT_ERROR, "error:0A000418:SSL routines::tlsv1 alert unknown ca", true),
        ]
    )
    func tlsFailures(code: CURLcode, detail: String, permanent: Bool) {
        #expect(OTLPTransportError(reason: detail, curlCode: code).isTLSFailure == permanent)
    }
}
