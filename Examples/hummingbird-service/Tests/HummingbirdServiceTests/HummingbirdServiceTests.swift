import Foundation
import OTLPReceiver
import OTelSDK
import Testing
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `hummingbird-service` executable as a child process, exporting to an embedded
/// OTLP receiver: requests made with curl, SIGTERM, then every span checked at the receiver.
@Suite struct HummingbirdServiceTests {
    static let traceID = "0af7651916cd43dd8448eb211c80319c"
    static let callerSpanID = "b7ad6b7169203331"
    static let traceparent = "00-\(traceID)-\(callerSpanID)-01"

    @Test(.timeLimit(.minutes(2)))
    func tracesEveryRequestAndFlushesOnSIGTERM() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(grpcPort: nil))
        do {
            try await exercise(receiver)
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    private func exercise(_ receiver: OTLPReceiver) async throws {
        let port = try freeLoopbackPort()
        let service = try ServiceProcess(environment: [
            "HOST": "127.0.0.1",
            "PORT": "\(port)",
            "OTEL_EXPORTER_OTLP_ENDPOINT": try #require(receiver.httpEndpoint),
            "OTEL_SERVICE_NAME": "orders-test",
            // Longer than the test: spans and log records reach the receiver only through the
            // flush that SIGTERM starts, so a service that does not flush at shutdown fails here.
            "OTEL_BSP_SCHEDULE_DELAY": "600000",
            "OTEL_BLRP_SCHEDULE_DELAY": "600000",
        ])
        defer { service.cleanUp() }

        // (order id, whether the request carries the caller's traceparent)
        let requests = [("1", false), ("2", true), ("3", false)]
        for (id, sendsTraceparent) in requests {
            let body = try await service.get("/orders/\(id)", traceparent: sendsTraceparent ? Self.traceparent : nil)
            #expect(body == "order \(id)\n")
        }
        #expect(receiver.spans.isEmpty, "spans were exported before the shutdown")
        #expect(receiver.logRecords.isEmpty, "log records were exported before the shutdown")

        let status = try await service.terminate()
        let output = service.output
        #expect(status == 0, "the service exited with \(status); its output:\n\(output)")

        // The service has exited, so whatever it exported has arrived: the count is final.
        let spans = try await receiver.waitForSpans(count: 2 * requests.count, timeout: .seconds(10))
        #expect(spans.count == 2 * requests.count)
        #expect(receiver.statistics.spans == 2 * requests.count)
        let logRecords = receiver.logRecords

        for (id, sendsTraceparent) in requests {
            let server = try #require(
                spans.first { $0.kind == .server && $0.attribute(named: "url.path") == .string("/orders/\(id)") },
                "no server span for /orders/\(id)"
            )
            #expect(server.name == "/orders/{id}")
            #expect(server.attribute(named: "http.request.method") == .string("GET"))
            #expect(server.attribute(named: "http.route") == .string("/orders/{id}"))
            #expect(server.attribute(named: "http.response.status_code") == .int(200))
            #expect(server.attribute(named: "user_agent.original")?.description.hasPrefix("curl/") == true)
            #expect(server.attribute(named: "http.response.body.size") == .int(Int64("order \(id)\n".utf8.count)))
            #expect(server.resource.serviceName == "orders-test")
            // OTLPTelemetry names the one tracer of swift-distributed-tracing after the service.
            #expect(server.instrumentationScope.name == "orders-test")
            if sendsTraceparent {
                #expect(server.context.traceID.hexString == Self.traceID)
                #expect(server.parentSpanID?.hexString == Self.callerSpanID)
                #expect(server.parentIsRemote)
            } else {
                #expect(server.context.traceID.hexString != Self.traceID)
                #expect(server.parentSpanID == nil)
            }

            let child = try #require(
                spans.first { $0.parentSpanID == server.context.spanID },
                "no child span under the server span of /orders/\(id)"
            )
            #expect(child.name == "load order")
            #expect(child.kind == .internal)
            #expect(child.context.traceID == server.context.traceID)
            #expect(child.parentIsRemote == false)
            #expect(child.attribute(named: "order.id") == .string(id))

            // The route's log line names the child span it was made in.
            let logLine = output.split(separator: "\n").first { $0.contains("order.id=\(id) ") }
            #expect(logLine?.contains("trace_id=\(child.context.traceID.hexString)") == true, "\(output)")
            #expect(logLine?.contains("span_id=\(child.context.spanID.hexString)") == true, "\(output)")

            // And it arrived as a log record of that span, with the service's resource.
            let record = try #require(
                logRecords.first { $0.attributes.contains(LogAttribute("order.id", .string(id))) },
                "no log record with order.id \(id) in \(logRecords.map(\.body))"
            )
            #expect(record.body == .string("Loading order"))
            #expect(record.severity == LogSeverity(.info))
            #expect(record.instrumentationScope.name == "hummingbird-service")
            #expect(record.spanContext?.traceID == child.context.traceID)
            #expect(record.spanContext?.spanID == child.context.spanID)
            #expect(record.spanContext?.traceFlags.contains(.sampled) == true)
            #expect(record.resource == server.resource)
        }
    }
}

/// The service executable running as a child process, its output going to a temporary file.
final class ServiceProcess {
    private let process: Process
    private let outputURL: URL
    private let port: String

    /// Starts the executable built beside this test bundle.
    init(environment: [String: String]) throws {
        // The build's products directory: the test bundle's on macOS, the test runner's elsewhere.
        #if os(macOS)
        let products = try #require(Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") })
            .bundleURL.deletingLastPathComponent()
        #else
        let products = try #require(Bundle.main.executableURL).deletingLastPathComponent()
        #endif
        let executable = products.appendingPathComponent("hummingbird-service")
        outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("hummingbird-service-\(UUID().uuidString).log")
        try Data().write(to: outputURL)
        let output = try FileHandle(forWritingTo: outputURL)
        port = try #require(environment["PORT"])

        process = Process()
        process.executableURL = executable
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// What the service printed so far.
    var output: String {
        (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    }

    /// `GET path` with curl, retried while the service is not listening yet (curl's exit
    /// status 7: nothing reached the server, so no span was made).
    func get(_ path: String, traceparent: String?) async throws -> String {
        var arguments = ["--silent", "--show-error", "--fail", "--max-time", "10"]
        if let traceparent { arguments += ["--header", "traceparent: \(traceparent)"] }
        arguments.append("http://127.0.0.1:\(port)\(path)")
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let (status, body, error) = try await run("curl", arguments)
            if status == 0 { return body }
            guard status == 7, process.isRunning, ContinuousClock.now < deadline else {
                throw ServiceError("curl \(path) exited with \(status): \(error)\nthe service's output:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends SIGTERM and waits for the service to exit.
    /// - Returns: its exit status.
    func terminate() async throws -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw ServiceError("the service did not exit within 30 s of SIGTERM:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard process.terminationReason == .exit else {
            throw ServiceError("the service died of signal \(process.terminationStatus):\n\(output)")
        }
        return process.terminationStatus
    }

    /// Kills the service if it still runs, and removes its output file.
    func cleanUp() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputURL)
    }
}

struct ServiceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program found on PATH.
/// - Returns: its exit status, standard output and standard error.
func run(_ program: String, _ arguments: [String]) async throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // curl's output here is a few bytes, far below a pipe's buffer: reading after the exit
    // cannot block the child.
    while process.isRunning { try await Task.sleep(for: .milliseconds(5)) }
    let output = [stdout, stderr].map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    return (process.terminationStatus, output[0], output[1])
}

/// A port on 127.0.0.1 that nothing listens on: bound to port 0, read back, released.
func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw ServiceError("socket() failed: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
            bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
        }
    }
    guard bound else { throw ServiceError("bind() failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}
