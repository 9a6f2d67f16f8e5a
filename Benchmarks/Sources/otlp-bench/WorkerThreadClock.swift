#if canImport(Glibc)
import Glibc
#endif

/// The CPU time of the threads that export: a batch processor's worker (`otel-span-batch`,
/// `otel-log-batch`) and the exporter's delivery lanes (`otlp-export-N`), read from each
/// thread's own CPU clock, so that what the app threads and the process's other threads spend
/// is left out.
enum WorkerThreadClock {
    /// The prefix of the delivery lanes' names.
    static let lanePrefix = "otlp-export-"

    /// The CPU nanoseconds used so far by the live thread named `worker` and every delivery lane.
    static func cpuNanoseconds(worker: String) -> Int {
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        var total = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let thread = Int32(name), let threadName = threadName(thread),
                threadName == worker || threadName.hasPrefix(lanePrefix)
            else { continue }
            var time = timespec()
            // The kernel's per-thread scheduler clock, as pthread_getcpuclockid makes it from a
            // thread id: MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED).
            let clock = clockid_t(Int32(bitPattern: ~UInt32(bitPattern: thread) << 3) | 6)
            guard clock_gettime(clock, &time) == 0 else { continue }
            total += time.tv_sec * 1_000_000_000 + time.tv_nsec
        }
        return total
    }

    /// The thread's name from /proc (at most 15 bytes), without the newline.
    private static func threadName(_ thread: Int32) -> String? {
        let descriptor = open("/proc/self/task/\(thread)/comm", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(descriptor, &bytes, bytes.count)
        guard count > 0 else { return nil }
        return String(decoding: bytes[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}
