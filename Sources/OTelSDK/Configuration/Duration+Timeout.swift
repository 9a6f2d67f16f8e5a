extension Duration {
    /// How far away the deadline of an operation without a time limit is: a century, later than
    /// any process lives.
    package static let noTimeLimit = Duration.seconds(100 * 365 * 86_400)

    /// The deadline of an operation started now and limited by this timeout. A timeout of zero
    /// is no limit, as the OpenTelemetry configuration specification defines its Timeout type
    /// ("0 indicates no limit"); so is a negative one.
    package var deadlineFromNow: ContinuousClock.Instant {
        .now + (self > .zero ? self : Self.noTimeLimit)
    }

    /// The tighter of two timeouts, either of which may be zero for no limit.
    package static func tighterTimeout(_ first: Duration, _ second: Duration) -> Duration {
        if first <= .zero { return second }
        if second <= .zero { return first }
        return Swift.min(first, second)
    }
}

extension ContinuousClock.Instant {
    /// The time left until this deadline; zero once it has passed.
    package var remaining: Duration {
        max(.zero, self - .now)
    }
}
