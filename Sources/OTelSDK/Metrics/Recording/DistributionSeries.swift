import CoreMetrics

/// A histogram series of either aggregation: swift-metrics' `Recorder` and `Timer` calls, each
/// turned into one measurement in the histogram's unit.
protocol DistributionSeries: RecorderHandler, TimerHandler {
    /// Records a finite `value`, offering `exemplarValue` (the value as the caller gave it) as
    /// an exemplar.
    func record(_ value: Double, exemplarValue: MetricValue)
}

extension DistributionSeries {
    func record(_ value: Int64) {
        record(Double(value), exemplarValue: .int(value))
    }

    /// Records `value`; NaN and infinities are ignored (they would poison the sum).
    func record(_ value: Double) {
        guard value.isFinite else { return }
        record(value, exemplarValue: .double(value))
    }

    /// Records a duration in seconds, the unit a Timer's histogram is in; a negative
    /// duration is ignored.
    func recordNanoseconds(_ duration: Int64) {
        guard duration >= 0 else { return }
        let seconds = Double(duration) / 1_000_000_000
        record(seconds, exemplarValue: .double(seconds))
    }
}
