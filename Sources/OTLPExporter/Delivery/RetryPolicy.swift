#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When a failed OTLP request is tried again, per the OTLP specification: HTTP 429, 502,
/// 503 and 504 and failures to get any response are retried, with exponential backoff and
/// jitter, or after the server's `Retry-After`; everything else is final.
struct RetryPolicy {
    /// The first backoff; each retry doubles it, up to ``maximumBackoff``.
    var initialBackoff: Duration = .milliseconds(100)
    var maximumBackoff: Duration = .seconds(5)

    static func isRetryable(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// The wait before retry number `attempt` (0 for the first retry): the exponential
    /// backoff, scaled by a random factor from 0.5 to 1.5 so that clients spread out.
    func backoff(attempt: Int) -> Duration {
        let exponential = initialBackoff * (1 << min(attempt, 16))
        let capped = min(exponential, maximumBackoff)
        return capped * Double.random(in: 0.5...1.5)
    }

    /// The delay a `Retry-After` value asks for: a number of seconds, or an HTTP date.
    static func delay(retryAfter value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingWhitespace()
        if let seconds = Int(trimmed), seconds >= 0 {
            return .seconds(seconds)
        }
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1_000).rounded(.down))
        guard let date = HTTPDate.secondsSince1970(trimmed, nowSecondsSince1970: nowMilliseconds / 1_000) else {
            return nil
        }
        return .milliseconds(max(0, date * 1_000 - nowMilliseconds))
    }
}
