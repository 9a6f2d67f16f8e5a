import OTelSDK

#if canImport(Glibc)
import Glibc
#endif

/// A progress line a second on standard error, for runs that take a while.
enum ProgressReporter {
    /// Starts the reporting task; cancel it to stop.
    /// - Parameter statistics: reads the processor's statistics.
    static func start(_ statistics: @escaping @Sendable () -> BatchProcessorStatistics) -> Task<Void, Never> {
        Task.detached {
            var seconds = 0
            while (try? await Task.sleep(for: .seconds(1))) != nil {
                seconds += 1
                let now = statistics()
                ReceiverProcess.write(
                    "  \(seconds) s: received \(now.received), exported \(now.exported), dropped \(now.dropped)\n",
                    to: STDERR_FILENO
                )
            }
        }
    }
}
