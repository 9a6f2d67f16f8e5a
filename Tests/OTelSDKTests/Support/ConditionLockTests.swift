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

    /// How often each waiter has checked its condition, and whether the work waiter is through.
    private final class Progress: Sendable {
        let sharedChecks = Atomic<Int>(0)
        let workChecks = Atomic<Int>(0)
        let sharedWaiterDone = Atomic<Bool>(false)
        let workWaiterDone = Atomic<Bool>(false)
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
        let progress = Progress()
        PosixThread.start(name: "shared-waiter") {
            lock.wait(
                until: { state in
                    progress.sharedChecks.add(1, ordering: .relaxed)
                    return state.sharedReady
                },
                deadline: nil
            ) { _, _ in }
            progress.sharedWaiterDone.store(true, ordering: .releasing)
        }
        PosixThread.start(name: "work-waiter") {
            lock.wait(
                on: work,
                until: { state in
                    progress.workChecks.add(1, ordering: .relaxed)
                    return state.workReady
                },
                deadline: nil
            ) { _, _ in }
            progress.workWaiterDone.store(true, ordering: .releasing)
        }
        // A waiter holds the lock from its check until it sleeps: once both have checked, taking
        // the lock finds them both asleep.
        #expect(
            eventually {
                progress.sharedChecks.load(ordering: .relaxed) == 1 && progress.workChecks.load(ordering: .relaxed) == 1
            }
        )
        lock.withLock { $0.workReady = true }
        lock.signal(work)
        #expect(eventually { progress.workWaiterDone.load(ordering: .acquiring) })
        // Time for a shared waiter woken by mistake to check again.
        usleep(100_000)
        #expect(progress.sharedChecks.load(ordering: .relaxed) == 1)

        lock.withLock { $0.sharedReady = true }
        lock.broadcast()
        #expect(eventually { progress.sharedWaiterDone.load(ordering: .acquiring) })
        #expect(progress.sharedChecks.load(ordering: .relaxed) == 2)
    }

    @Test("a broadcast on the shared condition leaves another condition's waiter asleep")
    func broadcastStaysOnItsCondition() {
        let lock = ConditionLock(State(), conditionCount: 2)
        let work = ConditionLock<State>.Condition(index: 1)
        let progress = Progress()
        PosixThread.start(name: "work-waiter") {
            lock.wait(
                on: work,
                until: { state in
                    progress.workChecks.add(1, ordering: .relaxed)
                    return state.workReady
                },
                deadline: nil
            ) { _, _ in }
            progress.workWaiterDone.store(true, ordering: .releasing)
        }
        #expect(eventually { progress.workChecks.load(ordering: .relaxed) == 1 })
        lock.withLock { $0.sharedReady = true }
        lock.broadcast()
        usleep(100_000)
        #expect(progress.workChecks.load(ordering: .relaxed) == 1)

        lock.withLock { $0.workReady = true }
        lock.broadcast(work)
        #expect(eventually { progress.workWaiterDone.load(ordering: .acquiring) })
    }
}
