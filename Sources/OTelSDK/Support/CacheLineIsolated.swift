/// A value alone on its cache lines, for values that one thread changes while another reads
/// what would otherwise be their neighbours: each change would take the line away from the
/// reader ("false sharing"), a transfer between cores on every access.
struct CacheLineIsolated<Value: ~Copyable>: ~Copyable {
    /// x86 processors fetch 64-byte lines in aligned pairs, so memory is isolated when it
    /// starts on a 128-byte boundary and fills whole 128-byte blocks.
    private static var blockSize: Int { 128 }

    /// Where the value lives, for as long as this does.
    let pointer: UnsafeMutablePointer<Value>

    /// Moves `value` into memory of its own.
    /// - Parameter value: the value.
    init(_ value: consuming Value) {
        let blocks = max(1, (MemoryLayout<Value>.stride + Self.blockSize - 1) / Self.blockSize)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: blocks * Self.blockSize, alignment: Self.blockSize)
            .bindMemory(to: Value.self, capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}

// The value is only reached through `pointer`, which never changes.
extension CacheLineIsolated: @unchecked Sendable where Value: Sendable & ~Copyable {}
