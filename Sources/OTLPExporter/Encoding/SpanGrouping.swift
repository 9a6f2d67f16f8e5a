import OTelSDK

/// Orders a batch by resource, then by instrumentation scope, keeping the input order
/// within each group: the order of OTLP's ResourceSpans / ScopeSpans nesting.
///
/// Groups come in the order their first span appears. Its arrays are kept across batches,
/// so grouping a batch allocates nothing once they have grown.
struct SpanGrouping {
    /// Spans of one resource and one scope: `order[start ..< start + count]`.
    struct Group {
        let resource: Resource
        let resourceIndex: Int
        let scope: InstrumentationScope
        var start = 0
        var count = 0

        /// Whether spans of `resource` and `scope` belong here (the same objects, or equal ones).
        func holds(_ resource: Resource, _ scope: InstrumentationScope) -> Bool {
            (self.resource === resource || self.resource == resource)
                && (self.scope === scope || self.scope == scope)
        }
    }

    /// Indices into the batch, group by group.
    private(set) var order: [Int] = []
    /// The groups in output order: resources in first-seen order, each with its scopes in first-seen order.
    private(set) var groups: [Group] = []
    /// How many distinct resources the batch has.
    private(set) var resourceCount = 0

    private var groupOfSpan: [Int] = []
    private var seenGroups: [Group] = []
    private var seenResources: [Resource] = []
    private var outputIndexOfSeenGroup: [Int] = []
    private var cursors: [Int] = []

    mutating func group(_ spans: [SpanData]) {
        seenGroups.removeAll(keepingCapacity: true)
        seenResources.removeAll(keepingCapacity: true)
        groupOfSpan.removeAll(keepingCapacity: true)
        var lastGroup = -1
        var lastResource: ObjectIdentifier?
        var lastScope: ObjectIdentifier?
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                // Runs of spans share the same objects: compare identities before anything else.
                let resourceID = ObjectIdentifier(spans[index].resource)
                let scopeID = ObjectIdentifier(spans[index].instrumentationScope)
                if resourceID != lastResource || scopeID != lastScope {
                    let resource = spans[index].resource
                    let scope = spans[index].instrumentationScope
                    lastGroup = seenGroups.firstIndex { $0.holds(resource, scope) } ?? addGroup(resource, scope)
                    lastResource = resourceID
                    lastScope = scopeID
                }
                seenGroups[lastGroup].count += 1
                groupOfSpan.append(lastGroup)
            }
        }
        resourceCount = seenResources.count

        // Output order: by resource (first seen first), then by first appearance.
        groups.removeAll(keepingCapacity: true)
        outputIndexOfSeenGroup.removeAll(keepingCapacity: true)
        outputIndexOfSeenGroup.append(contentsOf: repeatElement(0, count: seenGroups.count))
        var start = 0
        for resourceIndex in 0..<seenResources.count {
            for (seenIndex, seen) in seenGroups.enumerated() where seen.resourceIndex == resourceIndex {
                var placed = seen
                placed.start = start
                start += seen.count
                outputIndexOfSeenGroup[seenIndex] = groups.count
                groups.append(placed)
            }
        }

        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: repeatElement(0, count: spans.count))
        cursors.removeAll(keepingCapacity: true)
        for group in groups {
            cursors.append(group.start)
        }
        for (spanIndex, seenIndex) in groupOfSpan.enumerated() {
            let groupIndex = outputIndexOfSeenGroup[seenIndex]
            order[cursors[groupIndex]] = spanIndex
            cursors[groupIndex] += 1
        }
    }

    private mutating func addGroup(_ resource: Resource, _ scope: InstrumentationScope) -> Int {
        let resourceIndex: Int
        if let seen = seenResources.firstIndex(where: { $0 == resource }) {
            resourceIndex = seen
        } else {
            resourceIndex = seenResources.count
            seenResources.append(resource)
        }
        seenGroups.append(Group(resource: resource, resourceIndex: resourceIndex, scope: scope))
        return seenGroups.count - 1
    }
}
