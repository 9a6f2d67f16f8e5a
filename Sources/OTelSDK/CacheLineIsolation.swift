/// Allocations that share no cache line with other memory, for values that one thread changes
/// while another reads what would otherwise be their neighbours: each change would take the
/// line away from the reader ("false sharing"), a transfer between cores on every access.
enum CacheLineIsolation {
    /// x86 processors fetch 64-byte lines in aligned pairs, so an allocation is isolated when
    /// it starts on a 128-byte boundary and fills whole 128-byte blocks.
    static let blockSize = 128

    /// Uninitialized room for `count` values of `Value`, isolated. Free it with `deallocate()`.
    /// - Parameters:
    ///   - type: the values' type.
    ///   - count: how many values.
    static func allocate<Value: ~Copyable>(_ type: Value.Type, count: Int) -> UnsafeMutablePointer<Value> {
        let bytes = max(1, count * MemoryLayout<Value>.stride)
        let blocks = (bytes + blockSize - 1) / blockSize
        return UnsafeMutableRawPointer.allocate(byteCount: blocks * blockSize, alignment: blockSize)
            .bindMemory(to: Value.self, capacity: count)
    }
}
