import Foundation
import OTLPReceiver

/// The embedded receiver in a process of its own, so that its work is not counted as the
/// benchmark's: `otlp-bench receive` prints its ports, answers "count" with the spans it has
/// accepted, and exits when its input closes.
final class ReceiverProcess {
    let httpEndpoint: String
    let grpcEndpoint: String
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle

    struct StartFailed: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["receive"]
        let inputPipe = Pipe()
        let outputPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        try process.run()
        input = inputPipe.fileHandleForWriting
        output = outputPipe.fileHandleForReading
        let ports = Self.readLine(output).split(separator: " ")
        guard ports.count == 2 else { throw StartFailed(description: "the receiver process did not report its ports") }
        httpEndpoint = "http://127.0.0.1:\(ports[0])"
        grpcEndpoint = "http://127.0.0.1:\(ports[1])"
    }

    /// Spans the receiver has accepted so far.
    func receivedSpans() -> Int {
        input.write(Data("count\n".utf8))
        return Int(Self.readLine(output)) ?? -1
    }

    func stop() {
        try? input.close()
        process.waitUntilExit()
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The child's side: a counting receiver (it keeps no spans) on free loopback ports.
    static func serve() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(maximumStoredSpans: 0))
        FileHandle.standardOutput.write(Data("\(receiver.httpPort!) \(receiver.grpcPort!)\n".utf8))
        while let line = Swift.readLine() {
            if line == "count" {
                FileHandle.standardOutput.write(Data("\(receiver.statistics.spans)\n".utf8))
            }
        }
        await receiver.stop()
    }
}
