#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// State behind a pthread mutex, with condition variables to wait for it to change, with
/// or without a deadline (measured on the monotonic clock, like `ContinuousClock`).
///
/// The package has two locks, and uses no other, so that ThreadSanitizer sees every lock:
/// ``LockedStorage`` (with ``LockedValue``), a spin lock for state held for moments, such as
/// a span's fields; and this one, which sleeps, for state held across slow work (encoding a
/// batch) or waited on (a flush, an idle lane, a free one).
///
/// Waiters of different kinds can wait on conditions of their own (``Condition``), so that
/// waking one kind does not wake the others only for them to find nothing and sleep again.
package final class ConditionLock<State>: @unchecked Sendable {
    /// One of the lock's condition variables; ``shared`` is the one every lock has.
    package struct Condition: Sendable {
        fileprivate let index: Int

        /// The condition that waits and wakes use unless they name another.
        package static var shared: Condition { Condition(index: 0) }

        /// The lock's condition number `index` (counted from 0, ``shared``), of the
        /// `conditionCount` it was made with.
        package init(index: Int) {
            self.index = index
        }
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutableBufferPointer<pthread_cond_t>
    private var state: State

    /// - Parameters:
    ///   - state: the initial state.
    ///   - conditionCount: how many condition variables the lock has; 1 (the default) is only
    ///     ``Condition/shared``.
    package init(_ state: State, conditionCount: Int = 1) {
        precondition(conditionCount >= 1, "a ConditionLock needs a condition")
        self.state = state
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        conditions = .allocate(capacity: conditionCount)
        for index in conditions.indices {
            conditions.initializeElement(at: index, to: pthread_cond_t())
            precondition(
                pthread_cond_init(conditions.baseAddress! + index, &attributes) == 0,
                "pthread_cond_init failed"
            )
        }
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        for index in conditions.indices {
            pthread_cond_destroy(conditions.baseAddress! + index)
        }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    private func pointer(to condition: Condition) -> UnsafeMutablePointer<pthread_cond_t> {
        precondition(condition.index < conditions.count, "the lock has no condition \(condition.index)")
        return conditions.baseAddress! + condition.index
    }

    /// Runs `body` with the state locked.
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Waits, lock held, until `isDone` is true or `deadline` passes (nil: no deadline), then
    /// runs `body`. `isDone` is checked first, then after every wake-up of `condition`.
    /// - Returns: `body`'s result, and whether `isDone` was true (false: the deadline passed).
    package func wait<Result>(
        on condition: Condition = .shared,
        until isDone: (State) -> Bool,
        deadline: ContinuousClock.Instant?,
        then body: (inout State, _ isDone: Bool) throws -> Result
    ) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isDone(state) {
            guard let deadline else {
                pthread_cond_wait(pointer(to: condition), mutex)
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
            pthread_cond_timedwait(pointer(to: condition), mutex, &wake)
        }
        return try body(&state, true)
    }

    /// Wakes every waiter on `condition`, with the lock taken so that none misses it.
    package func broadcast(_ condition: Condition = .shared) {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(pointer(to: condition))
        pthread_mutex_unlock(mutex)
    }

    /// Wakes one waiter on `condition`, with the lock taken so that it cannot be missed: for a
    /// condition whose waiters are all alike, where any one of them can take what changed.
    package func signal(_ condition: Condition) {
        pthread_mutex_lock(mutex)
        pthread_cond_signal(pointer(to: condition))
        pthread_mutex_unlock(mutex)
    }
}
