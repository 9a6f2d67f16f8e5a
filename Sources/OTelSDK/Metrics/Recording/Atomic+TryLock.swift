import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An atomic word used as a lock held for a few stores: recording threads try it and go on
/// when it is taken; a collector, which must get it, spins and then yields.
extension Atomic where Value == UInt64 {
    @inline(__always)
    func tryLock() -> Bool {
        compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
    }

    /// Takes the lock, waiting for its holder.
    func lock() {
        var attempts = 0
        while !tryLock() {
            attempts += 1
            if attempts > 100 { sched_yield() }
        }
    }

    @inline(__always)
    func unlock() {
        store(0, ordering: .releasing)
    }
}
