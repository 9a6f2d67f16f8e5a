extension Array {
    /// Removes every element and keeps the storage, as `removeAll(keepingCapacity: true)`
    /// does, but element by element from the end: for the few elements a span's arrays hold,
    /// that costs a fraction of the general `replaceSubrange` that `removeAll` runs. More
    /// elements go through `removeAll`, which also handles storage shared with a copy (for
    /// instance a `SpanData` an exporter kept) without copying what it is about to remove.
    mutating func emptyKeepingStorage() {
        guard count <= 4 else {
            removeAll(keepingCapacity: true)
            return
        }
        while !isEmpty {
            removeLast()
        }
    }
}
