import COTelSDKShims
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// State guarded by a spin lock, beside a fixed part that never changes and so is read
/// without it: all in one allocation.
///
/// For state that is held for moments (a span's fields, a few counters): locking takes one
/// atomic compare-and-exchange and unlocking one store, where a pthread mutex costs two calls
/// and two atomic operations. A thread that finds the lock taken spins briefly, then yields
/// its time slice until the holder is done. Nothing may block while holding it; state that
/// is held across slow work belongs behind a ``ConditionLock``. ThreadSanitizer sees the
/// lock's acquire and release, which it does not for the Synchronization module's `Mutex`
/// on Linux.
struct LockedStorage<Fixed, State>: @unchecked Sendable {
    private struct Header {
        var fixed: Fixed
        var state: State
    }

    private final class Buffer: ManagedBuffer<Header, Atomic<UInt32>> {
        deinit {
            _ = withUnsafeMutablePointerToElements { $0.deinitialize(count: 1) }
        }
    }

    private var buffer: Buffer

    /// Creates the storage.
    init(fixed: Fixed, state: State) {
        let buffer = Buffer.create(minimumCapacity: 1) { buffer in
            buffer.withUnsafeMutablePointerToElements { $0.initialize(to: Atomic(0)) }
            return Header(fixed: fixed, state: state)
        }
        self.buffer = unsafeDowncast(buffer, to: Buffer.self)
    }

    /// Reads the fixed part, without locking, in place: a copy would retain what it holds,
    /// and an `inout` access would count as a write that overlaps the state's.
    @inline(__always)
    func withFixed<Result>(_ body: (UnsafePointer<Fixed>) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeMutablePointerToHeader { header in
            try body(UnsafePointer(header).pointer(to: \.fixed)!)
        }
    }

    /// Asks the processor to fetch the whole storage for writing, without waiting for it: for
    /// storage that another core wrote last and this one is about to fill.
    func prefetchForWrite() {
        buffer.withUnsafeMutablePointers { header, lock in
            let start = UnsafeRawPointer(header)
            otel_prefetch_for_write(start, UnsafeRawPointer(lock + 1) - start)
        }
    }

    /// Whether this is the only reference to the storage, so that it may be reused.
    mutating func isUniquelyReferenced() -> Bool {
        isKnownUniquelyReferenced(&buffer)
    }

    /// Lets `update` change the fixed part and the state in place, without locking: only for
    /// storage that nothing else can reach (see ``isUniquelyReferenced()``, or storage just
    /// taken from a pool that handed it over with a release).
    func reuse(_ update: (inout Fixed, inout State) -> Void) {
        buffer.withUnsafeMutablePointerToHeader { header in
            update(&header.pointee.fixed, &header.pointee.state)
        }
    }

    /// Runs `body` with exclusive access to the state.
    @inline(__always)
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeMutablePointers { header, lock in
            if !lock.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                Self.waitAndLock(lock)
            }
            defer { lock.pointee.store(0, ordering: .releasing) }
            // Through a pointer to the state alone: `&header.pointee.state` would count as a
            // write to the whole header, fixed part included, which other threads read unlocked.
            return try body(&header.pointer(to: \.state)!.pointee)
        }
    }

    /// The contended path: spins a little (the holder is usually about to unlock), then
    /// yields between attempts so that a holder that was preempted can run.
    @inline(never)
    private static func waitAndLock(_ lock: UnsafeMutablePointer<Atomic<UInt32>>) {
        var attempts = 0
        while true {
            if lock.pointee.load(ordering: .relaxed) == 0,
                lock.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
            {
                return
            }
            attempts += 1
            if attempts > 100 {
                sched_yield()
            }
        }
    }
}

/// A value guarded by a spin lock (see ``LockedStorage``): for state held for moments.
typealias LockedValue<Value> = LockedStorage<Void, Value>

extension LockedStorage where Fixed == Void {
    /// Creates the lock around `value`.
    init(_ value: State) {
        self.init(fixed: (), state: value)
    }
}
