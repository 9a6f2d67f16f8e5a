import OTelSDK

/// What a record of any signal has that OTLP groups by.
protocol ResourceScoped {
    var resource: Resource { get }
    var instrumentationScope: InstrumentationScope { get }
}

extension LogRecordData: ResourceScoped {}

/// A batch's records grouped as an OTLP request nests them: by resource, then by scope, each
/// group in the order its first record comes, the records in batch order within it.
struct ResourceScopeGroups {
    struct ScopeGroup {
        let scope: InstrumentationScope
        /// The records' positions in the batch.
        var indices: [Int]
    }

    struct ResourceGroup {
        let resource: Resource
        var scopes: [ScopeGroup]
    }

    private(set) var resources: [ResourceGroup] = []

    /// Groups `records`; a batch has few resources and scopes, so each is found by a search.
    init<Record: ResourceScoped>(_ records: ArraySlice<Record>) {
        for index in records.indices {
            let record = records[index]
            let resourceIndex =
                resources.firstIndex { $0.resource == record.resource }
                ?? {
                    resources.append(ResourceGroup(resource: record.resource, scopes: []))
                    return resources.count - 1
                }()
            if let scopeIndex = resources[resourceIndex].scopes.firstIndex(where: {
                $0.scope == record.instrumentationScope
            }) {
                resources[resourceIndex].scopes[scopeIndex].indices.append(index)
            } else {
                resources[resourceIndex].scopes.append(ScopeGroup(scope: record.instrumentationScope, indices: [index]))
            }
        }
    }
}
