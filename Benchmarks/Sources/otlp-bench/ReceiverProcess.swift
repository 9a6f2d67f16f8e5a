import OTLPReceiver

#if canImport(Glibc)
import Glibc
#endif

/// The embedded receiver in a process of its own, so that its work is not counted as the
/// benchmark's: `otlp-bench receive` prints its ports, answers "count" with the spans, log
/// records and metric data points it has accepted, and exits when its input closes.
///
/// Started with posix_spawn rather than Foundation's `Process`, so that the benchmark loads
/// no Foundation and its peak RSS is the SDK's.
final class ReceiverProcess {
    let httpEndpoint: String
    let grpcEndpoint: String
    private let pid: pid_t
    /// The child's standard input (written) and standard output (read).
    private let input: Int32
    private let output: Int32

    struct StartFailed: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw StartFailed(description: "pipe failed: errno \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child keeps its ends as standard input and output, and nothing else of the pipes.
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        for descriptor in toChild + fromChild {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(CommandLine.arguments[0]), strdup("receive"), nil]
        defer { arguments.forEach { free($0) } }
        var child = pid_t()
        // This very executable, however it was invoked.
        let result = posix_spawn(&child, "/proc/self/exe", &actions, nil, arguments, environ)
        close(toChild[0])
        close(fromChild[1])
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw StartFailed(description: "posix_spawn failed: \(result)")
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        let ports = Self.readLine(output).split(separator: " ")
        guard ports.count == 2 else { throw StartFailed(description: "the receiver process did not report its ports") }
        httpEndpoint = "http://127.0.0.1:\(ports[0])"
        grpcEndpoint = "http://127.0.0.1:\(ports[1])"
    }

    /// Spans and log records the receiver has accepted so far.
    func receivedItems() -> Int {
        Self.write("count\n", to: input)
        return Int(Self.readLine(output)) ?? -1
    }

    /// The receiver's count once it reaches `expected`, or after 5 s: its answers to the last
    /// requests are counted a moment after the exporter hears them.
    func waitForItems(atLeast expected: Int) -> Int {
        let deadline = ContinuousClock.now + .seconds(5)
        var counted = receivedItems()
        while counted < expected, ContinuousClock.now < deadline {
            usleep(50_000)
            counted = receivedItems()
        }
        return counted
    }

    func stop() {
        close(input)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        close(output)
    }

    private static func readLine(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes all of `text` to `descriptor`.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The child's side: a counting receiver (it keeps no spans or records) on free loopback ports.
    static func serve() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(maximumStoredSpans: 0))
        write("\(receiver.httpPort!) \(receiver.grpcPort!)\n", to: STDOUT_FILENO)
        while let line = Swift.readLine() {
            if line == "count" {
                let statistics = receiver.statistics
                write("\(statistics.spans + statistics.logRecords + statistics.dataPoints)\n", to: STDOUT_FILENO)
            }
        }
        await receiver.stop()
    }
}
