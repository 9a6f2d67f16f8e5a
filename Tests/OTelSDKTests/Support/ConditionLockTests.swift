import Synchronization
import Testing

@testable import OTelSDK

#if canImport(Glibc)
import Glibc
#endif

@Suite("Condition lock")
struct ConditionLockTests {
    private struct State {
        var sharedReady = false
        var workReady = false
    }

    /// A thread that waits on one of the lock's conditions until `isReady` holds, counting how
    /// often it checks.
    private final class Waiter: Sendable {
        private let checks = Atomic<Int>(0)
        private let done = Atomic<Bool>(false)

        init(
            on lock: ConditionLock<State>,
            _ condition: ConditionLock<State>.Condition,
            until isReady: @escaping @Sendable (State) -> Bool
        ) {
            PosixThread.start(name: "condition-waiter") { [self] in
                lock.wait(
                    on: condition,
                    until: { state in
                        checks.add(1, ordering: .relaxed)
                        return isReady(state)
                    },
                    deadline: nil
                ) { _, _ in }
                done.store(true, ordering: .releasing)
            }
        }

        var checkCount: Int { checks.load(ordering: .relaxed) }
        var isDone: Bool { done.load(ordering: .acquiring) }
    }

    /// Polls `condition` every millisecond for up to 10 s.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<10_000 {
            if condition() { return true }
            usleep(1_000)
        }
        return condition()
    }

    @Test("a signal on a condition of its own wakes that condition's waiter, not the shared one's")
    func signalWakesOnlyItsCondition() {
        let lock = ConditionLock(State(), conditionCount: 2)
        let work = ConditionLock<State>.Condition(index: 1)
        let sharedWaiter = Waiter(on: lock, .shared) { $0.sharedReady }
        let workWaiter = Waiter(on: lock, work) { $0.workReady }
        // A waiter holds the lock from its check until it sleeps: once both have checked, taking
        // the lock finds them both asleep.
        #expect(eventually { sharedWaiter.checkCount == 1 && workWaiter.checkCount == 1 })
        lock.withLock { $0.workReady = true }
        lock.signal(work)
        #expect(eventually { workWaiter.isDone })
        // Time for a shared waiter woken by mistake to check again.
        usleep(100_000)
        #expect(sharedWaiter.checkCount == 1)

        lock.withLock { $0.sharedReady = true }
        lock.broadcast()
        #expect(eventually { sharedWaiter.isDone })
        #expect(sharedWaiter.checkCount == 2)
    }

    @Test("a broadcast on the shared condition leaves another condition's waiter asleep")
    func broadcastStaysOnItsCondition() {
        let lock = ConditionLock(State(), conditionCount: 2)
        let work = ConditionLock<State>.Condition(index: 1)
        let workWaiter = Waiter(on: lock, work) { $0.workReady }
        #expect(eventually { workWaiter.checkCount == 1 })
        lock.withLock { $0.sharedReady = true }
        lock.broadcast()
        usleep(100_000)
        #expect(workWaiter.checkCount == 1)

        lock.withLock { $0.workReady = true }
        lock.broadcast(work)
        #expect(eventually { workWaiter.isDone })
    }
}
