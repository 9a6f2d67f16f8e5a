import COTLPProto

/// A bump allocator for protobuf-c message trees: one batch's tree being encoded, or one
/// request being unpacked (through ``withProtobufAllocator(_:)``).
///
/// Memory comes from chunks that are kept across batches: ``reset()`` makes them all free
/// again without returning them, so a batch of the usual shape allocates nothing. Chunks never
/// move, so pointers into them stay valid until the next reset.
package final class MessageArena {
    private struct Chunk {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    /// The free part of the current chunk. It sits behind a pointer so that the allocation
    /// fast path is two loads and a store, without the exclusivity checks a stored `var` costs.
    private struct Cursor {
        var next: UnsafeMutableRawPointer?
        var end: UnsafeMutableRawPointer?
    }

    private let chunkSize: Int
    private var chunks: [Chunk] = []
    private var chunkIndex = 0
    /// The sizes of the chunks before the current one: used, or skipped as too small.
    private var bytesInEarlierChunks = 0
    private let cursor: UnsafeMutablePointer<Cursor>

    /// Creates an empty arena.
    /// - Parameter chunkSize: bytes per chunk; larger requests get a chunk of their own size.
    package init(chunkSize: Int = 256 * 1024) {
        self.chunkSize = chunkSize
        cursor = .allocate(capacity: 1)
        cursor.initialize(to: Cursor())
    }

    deinit {
        for chunk in chunks {
            chunk.base.deallocate()
        }
        cursor.deallocate()
    }

    /// Frees everything allocated since the last reset; the chunks stay for the next batch.
    func reset() {
        chunkIndex = 0
        bytesInEarlierChunks = 0
        cursor.pointee = chunks.first.map { Cursor(next: $0.base, end: $0.base + $0.size) } ?? Cursor()
    }

    /// Bytes taken since the last ``reset()``, counting the unused ends of earlier chunks as
    /// taken: at least what everything allocated since then occupies.
    var usedBytes: Int {
        guard let next = cursor.pointee.next else { return bytesInEarlierChunks }
        return bytesInEarlierChunks + (next - chunks[chunkIndex].base)
    }

    /// Uninitialized memory for `count` values of `T`, valid until the next ``reset()``.
    @inline(__always)
    func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        allocateBytes(MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// Takes back the end of the last allocation, of which only `usedByteCount` bytes from
    /// `start` were used: for memory taken at a size bound before the exact size was known.
    func shrinkLastAllocation(startingAt start: UnsafeMutableRawPointer, toByteCount usedByteCount: Int) {
        precondition(start + usedByteCount <= cursor.pointee.next!, "not within the last allocation")
        cursor.pointee.next = start + usedByteCount
    }

    /// A NUL-terminated copy of `string`, as protobuf-c's `char *` fields want it.
    func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        if let copied = string.utf8.withContiguousStorageIfAvailable({ copy($0) }) {
            return copied
        }
        return Array(string.utf8).withUnsafeBufferPointer { copy($0) }
    }

    /// Runs `body` with a protobuf-c allocator that takes its memory from this arena and
    /// whose free does nothing, so that unpacking a message costs a few chunk allocations
    /// rather than a malloc and a free per field. What it unpacks lives until the arena is
    /// reset or released; do not call `free_unpacked` on it.
    package func withProtobufAllocator<Result>(
        _ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws -> Result
    ) rethrows -> Result {
        var allocator = ProtobufCAllocator(
            alloc: { data, size in
                Unmanaged<MessageArena>.fromOpaque(data!).takeUnretainedValue()
                    .allocateBytes(size, alignment: 16)
            },
            free: { _, _ in },
            allocator_data: Unmanaged.passUnretained(self).toOpaque()
        )
        return try withExtendedLifetime(self) { try body(&allocator) }
    }

    private func copy(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        let destination = allocateBytes(utf8.count + 1, alignment: 1)
        if let source = utf8.baseAddress {
            destination.copyMemory(from: source, byteCount: utf8.count)
        }
        destination.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
        return destination.assumingMemoryBound(to: CChar.self)
    }

    @inline(__always)
    func allocateBytes(_ byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if let next = cursor.pointee.next {
            let start = next.alignedUp(toMultipleOf: alignment)
            let end = start + byteCount
            if end <= cursor.pointee.end! {
                cursor.pointee.next = end
                return start
            }
        }
        return allocateInNextChunk(byteCount, alignment: alignment)
    }

    private func allocateInNextChunk(_ byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        // Chunks are used in order; one too small for this request is skipped for this batch.
        if cursor.pointee.next != nil {
            bytesInEarlierChunks += chunks[chunkIndex].size
            chunkIndex += 1
        }
        while chunkIndex < chunks.count, chunks[chunkIndex].size < byteCount + alignment {
            bytesInEarlierChunks += chunks[chunkIndex].size
            chunkIndex += 1
        }
        if chunkIndex == chunks.count {
            let size = max(chunkSize, byteCount + alignment)
            chunks.append(Chunk(base: .allocate(byteCount: size, alignment: 16), size: size))
        }
        let chunk = chunks[chunkIndex]
        let start = chunk.base.alignedUp(toMultipleOf: alignment)
        cursor.pointee = Cursor(next: start + byteCount, end: chunk.base + chunk.size)
        return start
    }
}
