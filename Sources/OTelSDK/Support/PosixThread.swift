import COTelSDKShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts detached OS threads: the batch processor's worker and the exporter's delivery lanes
/// block in libcurl and on condition variables, which must not happen on Swift's cooperative
/// pool. A POSIX thread rather than Foundation's `Thread`, so that the SDK does not load
/// Foundation (with ICU, megabytes of resident memory) into processes that do not use it.
package enum PosixThread {
    /// What the new thread runs; handed over through pthread_create's argument.
    private final class Start {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// The longest thread name Linux keeps (16 bytes with the terminating NUL).
    private static let maximumNameLength = 15

    /// Starts a detached thread named `name` (cut to ``maximumNameLength`` bytes) running `body`.
    ///
    /// A process that cannot start a thread cannot trace; like Foundation's `Thread`, this
    /// stops the process with the reason rather than lose every span silently.
    /// - Parameters:
    ///   - name: the name tools such as `top -H` and `perf` show.
    ///   - body: the thread's work; the thread ends when it returns.
    package static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, run, start)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            fatalError("Cannot start thread \(name): pthread_create returned \(result)")
        }
    }

    /// Blocks the calling thread for `duration`, resuming after a signal interrupts the wait.
    /// - Parameter duration: how long to sleep.
    package static func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1, errno == EINTR {
            request = remaining
        }
    }

    /// The new thread's entry point: takes over the ``Start`` that `start(name:_:)` retained.
    private static let run: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { argument in
        let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
        setCurrentThreadName(start.name)
        otel_sdk_thread_mark_current()
        start.body()
        return nil
    }

    /// Names the calling thread. Through procfs because Swift does not see glibc's
    /// `pthread_setname_np` (it needs `_GNU_SOURCE`); a name is only a diagnostic, so a
    /// failure is ignored.
    private static func setCurrentThreadName(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(maximumNameLength))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
