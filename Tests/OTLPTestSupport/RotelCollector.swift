import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenTelemetry collector for tests: rotel (`pip install rotel`), started on free
/// loopback ports with its debug log of received traces, logs and metrics captured to a file; it discards what
/// it receives, or forwards it over OTLP/gRPC.
public final class RotelCollector {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "rotel-agent not found: install it with `pip install rotel` (the README's test command does) or set ROTEL_AGENT to its path"
        }
    }

    public let httpEndpoint: String
    public let grpcEndpoint: String
    private let executable: String
    private let arguments: [String]
    private let httpPort: UInt16
    private var process: Process
    private let logURL: URL

    /// Starts rotel.
    /// - Parameter forwardEndpoint: where rotel's OTLP exporter sends what it receives
    ///   (`http://host:port` of an OTLP/gRPC receiver); nil discards it.
    public init(forwardingTo forwardEndpoint: String? = nil) throws {
        executable = try Self.locateAgent()
        httpPort = try Self.freePort()
        let grpcPort = try Self.freePort()
        httpEndpoint = "http://127.0.0.1:\(httpPort)"
        grpcEndpoint = "http://127.0.0.1:\(grpcPort)"
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("rotel-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let exporter =
            forwardEndpoint.map { ["--exporter", "otlp", "--otlp-exporter-endpoint", $0] } ?? [
                "--exporter", "blackhole",
            ]
        arguments =
            ["start"] + exporter + [
                "--debug-log", "traces", "--debug-log", "logs", "--debug-log", "metrics", "--debug-log-verbosity",
                "detailed",
                "--otlp-http-endpoint", "127.0.0.1:\(httpPort)", "--otlp-grpc-endpoint", "127.0.0.1:\(grpcPort)",
                "--log-file", logURL.path + ".agent",
            ]
        process = try Self.launch(executable, arguments, log: logURL)
        try waitUntilListening(port: httpPort)
    }

    /// Starts rotel again on the same ports, after ``stop()`` (or a crash).
    public func restart() throws {
        stop()
        process = try Self.launch(executable, arguments, log: logURL)
        try waitUntilListening(port: httpPort)
    }

    private static func launch(_ executable: String, _ arguments: [String], log: URL) throws -> Process {
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logURL)
        try? FileManager.default.removeItem(atPath: logURL.path + ".agent")
    }

    /// Stops the collector (the process this object started, by its pid). SIGKILL: processes
    /// started from the test runner inherit a signal mask that blocks SIGTERM and SIGINT, and
    /// a blackhole collector has nothing to flush.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// What rotel has logged so far.
    public var log: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// Waits until every string in `needles` appears in the log; returns the log either way.
    public func waitForLog(containing needles: [String], timeout: Duration = .seconds(10)) -> String {
        let deadline = ContinuousClock.now + timeout
        var text = log
        while ContinuousClock.now < deadline, !needles.allSatisfy(text.contains) {
            Thread.sleep(forTimeInterval: 0.05)
            text = log
        }
        return text
    }

    private func waitUntilListening(port: UInt16) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if Self.canConnect(port: port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw StartFailed(log: log)
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public let log: String
        public var description: String { "rotel-agent did not start listening within 10 s; its output:\n\(log)" }
    }

    private static func locateAgent() throws -> String {
        if let path = ProcessInfo.processInfo.environment["ROTEL_AGENT"],
            FileManager.default.isExecutableFile(atPath: path)
        {
            return path
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c", "import os, rotel; print(os.path.join(os.path.dirname(rotel.__file__), 'rotel-agent'))",
        ]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard python.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw NotFound()
        }
        return path
    }

    /// A port the kernel had free on 127.0.0.1 a moment ago.
    private static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func canConnect(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
