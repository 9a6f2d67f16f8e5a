/// One encoded request waiting for, or in, a delivery lane.
struct PendingRequest: Sendable {
    let body: [UInt8]
    /// The items (spans, log records) it carries.
    let itemCount: Int
    let deadline: ContinuousClock.Instant
    /// The batch it belongs to, which learns how it ended.
    let batch: BatchDelivery
}
