import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An HTTPS server on 127.0.0.1 that answers every POST with 200, with certificates made
/// for the test by the openssl command: a CA, a server certificate for `localhost`, and a
/// client certificate. With `requiresClientCertificate` it does mutual TLS; with
/// `expiredCertificate` its certificate's validity ended before the test; with
/// `cutHandshakes` it closes that many connections before their TLS handshake, as a peer
/// that restarts or a load balancer that sheds load does.
final class TLSTestServer {
    struct MissingTool: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is needed for the TLS tests (apt-get install -y \(tool))" }
    }

    let port: UInt16
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var clientCertificateFile: String { directory.appendingPathComponent("client.pem").path }
    var clientKeyFile: String { directory.appendingPathComponent("client.key").path }
    private let process = Process()

    init(requiresClientCertificate: Bool = false, expiredCertificate: Bool = false, cutHandshakes: Int = 0) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.makeCertificates(in: directory, serverDays: expiredCertificate ? -1 : 2)

        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", Self.serverScript,
            directory.appendingPathComponent("server.pem").path, directory.appendingPathComponent("server.key").path,
            requiresClientCertificate ? "mtls" : "tls", directory.appendingPathComponent("ca.pem").path,
            String(cutHandshakes),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The server prints its port once it listens.
        let line = String(decoding: output.fileHandleForReading.availableDataUntilNewline(), as: UTF8.self)
        guard let port = UInt16(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw MissingTool(tool: "python3")
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            // SIGKILL: processes started from the test runner inherit a mask that blocks SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `serverDays` below zero makes a server certificate that expired a day before it began.
    private static func makeCertificates(in directory: URL, serverDays: Int) throws {
        let commands = [
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=otlp-test-ca",
            "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost",
            "printf 'subjectAltName=DNS:localhost\\n' > server.ext",
            "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days \(serverDays) -extfile server.ext",
            "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=otlp-test-client",
            "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2",
        ]
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "set -e; " + commands.joined(separator: "; ")]
        shell.currentDirectoryURL = directory
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        shell.waitUntilExit()
        guard shell.terminationStatus == 0 else { throw MissingTool(tool: "openssl") }
    }

    private static let serverScript = """
        import http.server, ssl, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *arguments):
                pass
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        if sys.argv[3] == "mtls":
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(sys.argv[4])
        class Server(http.server.ThreadingHTTPServer):
            cuts = int(sys.argv[5])
            def get_request(self):
                connection, address = self.socket.accept()
                if Server.cuts > 0:
                    Server.cuts -= 1
                    connection.close()
                    raise OSError("handshake cut on purpose")
                return context.wrap_socket(connection, server_side=True), address
        server = Server(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
}

extension FileHandle {
    /// Bytes up to and including the first newline (or the end of the stream).
    fileprivate func availableDataUntilNewline() -> Data {
        var data = Data()
        while let byte = try? read(upToCount: 1), let first = byte.first {
            data.append(first)
            if first == UInt8(ascii: "\n") { break }
        }
        return data
    }
}
