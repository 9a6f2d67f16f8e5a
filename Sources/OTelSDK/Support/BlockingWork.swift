/// Runs blocking work (a flush, a shutdown) on a thread of its own, so that an async caller
/// does not hold a thread of Swift's cooperative pool while it waits.
package enum BlockingWork {
    package static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            PosixThread.start(name: "otel-blocking") { continuation.resume(returning: work()) }
        }
    }
}
