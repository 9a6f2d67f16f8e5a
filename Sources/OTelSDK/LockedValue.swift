#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// State guarded by a pthread mutex, beside a fixed part that never changes and so is read
/// without it: all in one allocation.
///
/// A pthread mutex rather than the Synchronization module's `Mutex`: ThreadSanitizer
/// understands pthread locking, while `Mutex`'s lock is hidden from it on Linux and makes
/// every guarded access look like a race.
struct LockedStorage<Fixed, State>: @unchecked Sendable {
    private struct Header {
        var fixed: Fixed
        var state: State
    }

    private final class Buffer: ManagedBuffer<Header, pthread_mutex_t> {
        deinit {
            _ = withUnsafeMutablePointerToElements { pthread_mutex_destroy($0) }
        }
    }

    private var buffer: Buffer

    /// Creates the storage.
    init(fixed: Fixed, state: State) {
        let buffer = Buffer.create(minimumCapacity: 1) { buffer in
            buffer.withUnsafeMutablePointerToElements { mutex in
                mutex.initialize(to: pthread_mutex_t())
                let status = pthread_mutex_init(mutex, nil)
                precondition(status == 0, "pthread_mutex_init failed: \(status)")
            }
            return Header(fixed: fixed, state: state)
        }
        self.buffer = unsafeDowncast(buffer, to: Buffer.self)
    }

    /// Reads the fixed part, without locking.
    @inline(__always)
    func withFixed<Result>(_ body: (UnsafePointer<Fixed>) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeMutablePointerToHeader { header in
            try withUnsafePointer(to: header.pointee.fixed) { try body($0) }
        }
    }

    /// Whether this is the only reference to the storage, so that it may be reused.
    mutating func isUniquelyReferenced() -> Bool {
        isKnownUniquelyReferenced(&buffer)
    }

    /// Gives the storage a new fixed part and lets `update` change the state, without
    /// locking: only for storage that nothing else can reach (see ``isUniquelyReferenced()``,
    /// or storage just taken from a pool that handed it over with a release).
    func reuse(fixed: Fixed, _ update: (inout State) -> Void) {
        buffer.withUnsafeMutablePointerToHeader { header in
            header.pointee.fixed = fixed
            update(&header.pointee.state)
        }
    }

    /// Runs `body` with exclusive access to the state.
    @inline(__always)
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeMutablePointers { header, mutex in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&header.pointee.state)
        }
    }
}

/// A value guarded by a pthread mutex.
typealias LockedValue<Value> = LockedStorage<Void, Value>

extension LockedStorage where Fixed == Void {
    /// Creates the lock around `value`.
    init(_ value: State) {
        self.init(fixed: (), state: value)
    }
}
