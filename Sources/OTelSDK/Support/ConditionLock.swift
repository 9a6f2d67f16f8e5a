#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// State behind a pthread mutex, with a condition variable to wait for it to change, with
/// or without a deadline (measured on the monotonic clock, like `ContinuousClock`).
package final class ConditionLock<State>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state: State

    package init(_ state: State) {
        self.state = state
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        condition.initialize(to: pthread_cond_t())
        precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init failed")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with the state locked.
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Waits, lock held, until `isDone` is true or `deadline` passes (nil: no deadline), then
    /// runs `body`. `isDone` is checked first, then after every wake-up.
    /// - Returns: `body`'s result, and whether `isDone` was true (false: the deadline passed).
    package func wait<Result>(
        until isDone: (State) -> Bool,
        deadline: ContinuousClock.Instant?,
        then body: (inout State, _ isDone: Bool) throws -> Result
    ) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isDone(state) {
            guard let deadline else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            // Capped at a day per wait, so that a "forever" deadline cannot overflow timespec.
            let remaining = min(deadline - .now, .seconds(86_400))
            guard remaining > .zero else { return try body(&state, false) }
            var wake = timespec()
            clock_gettime(CLOCK_MONOTONIC, &wake)
            let (seconds, attoseconds) = remaining.components
            let nanoseconds = Int(wake.tv_nsec) + Int(attoseconds / 1_000_000_000)
            wake.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
            wake.tv_nsec = nanoseconds % 1_000_000_000
            pthread_cond_timedwait(condition, mutex, &wake)
        }
        return try body(&state, true)
    }

    /// Wakes every waiter, with the lock taken so that none misses it.
    package func broadcast() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
