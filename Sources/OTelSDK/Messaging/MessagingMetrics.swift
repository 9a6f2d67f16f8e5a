import CoreMetrics

/// The semantic conventions' messaging metrics, recorded by the messaging helpers through
/// swift-metrics (so nowhere, at the cost of a NOOP call, until `MetricsSystem` is bootstrapped):
///
/// - `messaging.client.sent.messages` (counter, `{message}`): messages a producer tried to send;
/// - `messaging.client.operation.duration` (histogram, `s`): how long a send took;
/// - `messaging.process.duration` (histogram, `s`): how long processing a message took.
///
/// Each carries `messaging.system`, `messaging.destination.name`, `messaging.operation.name`,
/// `messaging.consumer.group.name` when given, and `error.type` (the error's type) when the
/// operation threw. The handles are made once per set of attributes and kept (up to
/// ``maximumCachedHandles``), so that a message costs two recordings, not two registrations.
package enum MessagingMetrics {
    static let sentMessages = "messaging.client.sent.messages"
    static let operationDuration = "messaging.client.operation.duration"
    static let processDuration = "messaging.process.duration"

    private struct Key: Hashable {
        let metric: String
        let dimensions: [String]
    }

    private struct Handles {
        /// The type of the factory the handles were made by: bootstrapping swift-metrics after
        /// the first message (from the NOOP handler to a backend) makes them again.
        var factoryType: ObjectIdentifier?
        var counters: [Key: Counter] = [:]
        var timers: [Key: Timer] = [:]
    }

    private static let handles = LockedValue(Handles())

    /// Records a send: one message, and how long it took.
    static func recordSend(
        system: String,
        destination: String,
        operationName: String,
        error: (any Error)?,
        duration: Duration
    ) {
        let attributes = dimensions(system, destination, operationName, consumerGroup: nil, error: error)
        handle(sentMessages, attributes, in: \.counters) { Counter(label: $0, dimensions: $1) }.increment()
        handle(operationDuration, attributes, in: \.timers) { Timer(label: $0, dimensions: $1) }
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Records how long processing a message took.
    static func recordProcess(
        system: String,
        destination: String,
        operationName: String,
        consumerGroup: String?,
        error: (any Error)?,
        duration: Duration
    ) {
        let attributes = dimensions(system, destination, operationName, consumerGroup: consumerGroup, error: error)
        handle(processDuration, attributes, in: \.timers) { Timer(label: $0, dimensions: $1) }
            .recordNanoseconds(duration.nanoseconds)
    }

    private static func dimensions(
        _ system: String,
        _ destination: String,
        _ operationName: String,
        consumerGroup: String?,
        error: (any Error)?
    ) -> [(String, String)] {
        var dimensions = [
            ("messaging.system", system), ("messaging.destination.name", destination),
            ("messaging.operation.name", operationName),
        ]
        if let consumerGroup { dimensions.append(("messaging.consumer.group.name", consumerGroup)) }
        if let error { dimensions.append(("error.type", String(reflecting: type(of: error)))) }
        return dimensions
    }

    /// The most handles kept of each kind: past it (a destination per request, say) a handle is
    /// made for each message instead, and the meter provider's cardinality limit applies.
    package static let maximumCachedHandles = 2_000

    /// The handle of `label` and `dimensions` kept in `cache`, made by `make` when there is
    /// none, outside the lock: making a handle takes the metrics backend's own lock.
    private static func handle<Handle>(
        _ label: String,
        _ dimensions: [(String, String)],
        in cache: WritableKeyPath<Handles, [Key: Handle]>,
        make: (String, [(String, String)]) -> Handle
    ) -> Handle {
        let key = Key(metric: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        if let handle = handles.withLock({ handles in refresh(&handles) ? nil : handles[keyPath: cache][key] }) {
            return handle
        }
        let handle = make(label, dimensions)
        handles.withLock { handles in
            if handles[keyPath: cache].count < maximumCachedHandles { handles[keyPath: cache][key] = handle }
        }
        return handle
    }

    /// The handles kept, counters and timers together.
    package static var cachedHandleCount: Int {
        handles.withLock { $0.counters.count + $0.timers.count }
    }

    /// Forgets the handles when swift-metrics' factory is another than the one that made them;
    /// returns whether it did.
    private static func refresh(_ handles: inout Handles) -> Bool {
        let factoryType = ObjectIdentifier(type(of: MetricsSystem.factory))
        guard handles.factoryType != factoryType else { return false }
        handles = Handles(factoryType: factoryType)
        return true
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
