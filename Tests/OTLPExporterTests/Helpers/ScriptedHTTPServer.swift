import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 that answers each request with the next scripted
/// response and records what it received: the collector the tests control.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        /// When true the server reads the request and never answers it.
        var hangs = false
    }

    struct Request {
        let head: String
        let body: [UInt8]
        let receivedAt: ContinuousClock.Instant
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Response]
    private var received: [Request] = []
    private var stopped = false

    /// Starts the server; after the script runs out it answers 200 with an empty body.
    init(script: [Response]) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound, listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    deinit {
        stop()
    }

    var url: String { "http://127.0.0.1:\(port)/v1/traces" }

    var requests: [Request] { lock.withLock { received } }

    func stop() {
        let wasRunning = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        if wasRunning {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            // Read one request: the head, then Content-Length bytes of body.
            var headEnd: Int?
            var contentLength = 0
            while true {
                if headEnd == nil, let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                    headEnd = range.upperBound
                    let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self).lowercased()
                    for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                        contentLength =
                            Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if let headEnd, buffer.count >= headEnd + contentLength { break }
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer += chunk[0..<count]
            }
            let end = headEnd! + contentLength
            let request = Request(
                head: String(decoding: buffer[..<headEnd!], as: UTF8.self),
                body: Array(buffer[headEnd!..<end]),
                receivedAt: .now
            )
            buffer.removeFirst(end)
            let response = lock.withLock {
                received.append(request)
                return script.isEmpty ? Response(status: 200) : script.removeFirst()
            }
            if response.hangs {
                // Keep the connection open and silent until the client gives up.
                while read(connection, &chunk, chunk.count) > 0 {}
                return
            }
            var head = "HTTP/1.1 \(response.status) Scripted\r\nContent-Length: \(response.body.count)\r\n"
            for (name, value) in response.headers {
                head += "\(name): \(value)\r\n"
            }
            let bytes = Array((head + "\r\n").utf8) + response.body
            // MSG_NOSIGNAL: a client that stops reading mid-body (over its response limit) must not
            // kill the test process with SIGPIPE.
            guard
                bytes.withUnsafeBytes({ send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
                    == bytes.count
            else { return }
        }
    }
}
