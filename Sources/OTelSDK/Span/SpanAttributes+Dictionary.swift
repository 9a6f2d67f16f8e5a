import Tracing

extension SpanAttributes {
    /// Whether a `SpanAttributes` value is, in memory, the `[String: SpanAttribute]` it wraps,
    /// so that ``withDictionary(_:)`` and ``withMutableDictionary(_:)`` can reach it.
    ///
    /// It is a struct whose only stored property is that dictionary, and swift-distributed-tracing
    /// is built without library evolution, so its layout is the dictionary's. A later version
    /// could change that: the size is compared and a probe read back once, and if either
    /// differs, callers fall back to `SpanAttributes`' own API.
    @usableFromInline
    static let wrapsItsDictionaryDirectly: Bool = {
        guard MemoryLayout<SpanAttributes>.size == MemoryLayout<[String: SpanAttribute]>.size,
            MemoryLayout<SpanAttributes>.alignment == MemoryLayout<[String: SpanAttribute]>.alignment
        else { return false }
        var probe = SpanAttributes(["probe": .int64(7)])
        return withUnsafeMutablePointer(to: &probe) { pointer in
            pointer.withMemoryRebound(to: [String: SpanAttribute].self, capacity: 1) { dictionary in
                guard dictionary.pointee.count == 1, case .int64(7) = dictionary.pointee["probe"] else { return false }
                return true
            }
        }
    }()

    /// Runs `body` on the dictionary these attributes wrap, to change it in place; nil when
    /// that cannot be reached (see ``wrapsItsDictionaryDirectly``).
    @inline(__always)
    mutating func withMutableDictionary<Result>(_ body: (inout [String: SpanAttribute]) -> Result) -> Result? {
        guard Self.wrapsItsDictionaryDirectly else { return nil }
        return withUnsafeMutablePointer(to: &self) { pointer in
            pointer.withMemoryRebound(to: [String: SpanAttribute].self, capacity: 1) { body(&$0.pointee) }
        }
    }

    /// Runs `body` on the dictionary these attributes wrap, without copying it; nil when that
    /// cannot be reached (see ``wrapsItsDictionaryDirectly``).
    @inlinable
    func withDictionary<Result>(_ body: ([String: SpanAttribute]) -> Result) -> Result? {
        guard Self.wrapsItsDictionaryDirectly else { return nil }
        return withUnsafePointer(to: self) { pointer in
            pointer.withMemoryRebound(to: [String: SpanAttribute].self, capacity: 1) { body($0.pointee) }
        }
    }

    /// Removes every attribute but keeps the room they took, as
    /// `Dictionary.removeAll(keepingCapacity:)` does: what `SpanAttributes` itself cannot do
    /// but by being replaced, which frees its dictionary and allocates another (for each
    /// recycled span, an eighth of the batch worker's instructions).
    /// - Returns: how many attributes fit in the room kept; nil, and nothing removed, when
    ///   the dictionary cannot be reached.
    mutating func removeAllKeepingCapacity() -> Int? {
        withMutableDictionary { dictionary in
            dictionary.removeAll(keepingCapacity: true)
            return dictionary.capacity
        }
    }
}
