#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A bump allocator for one batch's protobuf-c message tree.
///
/// Memory comes from chunks that are kept across batches: ``reset()`` makes them all free
/// again without returning them, so a batch of the usual shape allocates nothing. Chunks never
/// move, so pointers into them stay valid until the next reset.
final class EncodingArena {
    private struct Chunk {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    private let chunkSize: Int
    private var chunks: [Chunk] = []
    private var chunkIndex = 0
    private var offset = 0

    /// Creates an empty arena.
    /// - Parameter chunkSize: bytes per chunk; larger requests get a chunk of their own size.
    init(chunkSize: Int = 256 * 1024) {
        self.chunkSize = chunkSize
    }

    deinit {
        for chunk in chunks {
            chunk.base.deallocate()
        }
    }

    /// Bytes held by the arena, in use or not.
    var capacity: Int { chunks.reduce(0) { $0 + $1.size } }

    /// Frees everything allocated since the last reset; the chunks stay for the next batch.
    func reset() {
        chunkIndex = 0
        offset = 0
    }

    /// Uninitialized memory for `count` values of `T`, valid until the next ``reset()``.
    func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        allocateBytes(MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// A NUL-terminated copy of `string`, as protobuf-c's `char *` fields want it.
    func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let destination = allocateBytes(utf8.count + 1, alignment: 1)
            if let source = utf8.baseAddress {
                destination.copyMemory(from: source, byteCount: utf8.count)
            }
            destination.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            return destination.assumingMemoryBound(to: CChar.self)
        }
    }

    func allocateBytes(_ byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        while true {
            if chunkIndex == chunks.count {
                let size = max(chunkSize, byteCount + alignment)
                let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
                chunks.append(Chunk(base: base, size: size))
            }
            let chunk = chunks[chunkIndex]
            let start = (offset + alignment - 1) & ~(alignment - 1)
            if start + byteCount <= chunk.size {
                offset = start + byteCount
                return chunk.base + start
            }
            // Too small for this request: the rest of this batch continues in the next chunk.
            chunkIndex += 1
            offset = 0
        }
    }
}
