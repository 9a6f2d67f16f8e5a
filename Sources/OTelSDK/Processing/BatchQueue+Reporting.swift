import Logging

/// What the worker reports after each cycle: swift-metrics counts, and drop warnings.
extension BatchQueue {
    /// The counts already reported to swift-metrics, and the drops already logged.
    struct ReportedCounts {
        var dropped = 0
        var exported = 0
        var rejected = 0
        var failed = 0
        var lost = 0
        var loggedDropped = 0
        var lastDropWarning: ContinuousClock.Instant?
    }

    /// The shortest time between two drop warnings, so that a long overload logs a summary
    /// every so often rather than a line per export cycle.
    private static var dropWarningInterval: Duration { .seconds(10) }

    /// Reports what changed since the last cycle: metrics, and one warning if items were dropped.
    func report(_ reported: inout ReportedCounts) {
        let statistics = statistics
        var current = reported
        current.dropped = statistics.dropped
        current.exported = statistics.exported
        current.rejected = statistics.rejected
        current.failed = statistics.failed
        current.lost = statistics.lost
        metrics.record(
            exported: current.exported - reported.exported,
            rejected: current.rejected - reported.rejected,
            dropped: current.dropped - reported.dropped,
            failed: current.failed - reported.failed,
            lost: current.lost - reported.lost,
            queueSize: statistics.queued
        )
        let now = ContinuousClock.now
        if current.dropped > current.loggedDropped,
            current.lastDropWarning.map({ now - $0 >= Self.dropWarningInterval }) ?? true
        {
            logger.warning(
                "Dropped \(Signal.names.items): the \(Signal.names.processor)'s queue was full",
                metadata: [
                    "dropped": "\(current.dropped - current.loggedDropped)",
                    "dropped_total": "\(current.dropped)",
                    "queue_capacity": "\(ring.capacity)",
                ]
            )
            current.loggedDropped = current.dropped
            current.lastDropWarning = now
        }
        reported = current
    }
}
