extension Array {
    /// Removes every element and keeps the storage, as `removeAll(keepingCapacity: true)`
    /// does, but element by element from the end: for the few elements a span's arrays hold,
    /// that costs a fraction of the general `replaceSubrange` that `removeAll` runs.
    mutating func emptyKeepingStorage() {
        while !isEmpty {
            removeLast()
        }
    }
}
