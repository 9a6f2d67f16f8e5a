/// What the records of one logger share: the instrumentation scope (for swift-log, the
/// label), the provider's resource and the limits that apply.
///
/// A record refers to its source without counting a reference. Counted, every log call would
/// add to one shared counter on the logging thread and take from it on the batch worker, and
/// the two cores would trade that counter's cache line for every record (L1 shows it). So sources are interned: one per distinct scope, resource and limits in the
/// process, kept for the process's life (a service has a handful: one per label).
final class LogRecordSource: Sendable {
    let scope: InstrumentationScope
    let resource: Resource
    let limits: LogRecordLimits

    private static let interned = LockedValue<[LogRecordSource]>([])

    private init(scope: InstrumentationScope, resource: Resource, limits: LogRecordLimits) {
        self.scope = scope
        self.resource = resource
        self.limits = limits
    }

    /// The source with these parts, made the first time they are asked for.
    static func interned(
        scope: InstrumentationScope,
        resource: Resource,
        limits: LogRecordLimits
    ) -> Unmanaged<LogRecordSource> {
        interned.withLock { sources in
            if let source = sources.first(where: {
                $0.scope == scope && $0.limits == limits && $0.resource == resource
            }) {
                return .passUnretained(source)
            }
            let source = LogRecordSource(scope: scope, resource: resource, limits: limits)
            sources.append(source)
            return .passUnretained(source)
        }
    }
}
