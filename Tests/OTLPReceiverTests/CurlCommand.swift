import Foundation

/// The curl command-line client, for requests the exporter would never send: wrong content
/// types, undecodable bodies, broken gRPC frames.
struct CurlCommand {
    struct Response {
        /// The HTTP status.
        let status: Int
        /// Response headers and, for HTTP/2, trailers (lowercased names).
        let headers: [String: String]
        let body: Data
    }

    /// Sends one request with curl and returns what came back.
    /// - Parameters:
    ///   - url: the full URL.
    ///   - body: the request body (POST).
    ///   - headers: request headers as `name: value`.
    ///   - http2: h2c with prior knowledge, as gRPC clients speak it.
    static func post(_ url: String, body: [UInt8], headers: [String], http2: Bool = false) throws -> Response {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bodyFile = directory.appendingPathComponent("request")
        try Data(body).write(to: bodyFile)
        let headerFile = directory.appendingPathComponent("headers")
        let responseFile = directory.appendingPathComponent("response")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = [
            "--silent", "--max-time", "10", "--data-binary", "@\(bodyFile.path)",
            "--dump-header", headerFile.path, "--output", responseFile.path,
        ]
        if http2 { arguments.append("--http2-prior-knowledge") }
        for header in headers { arguments += ["--header", header] }
        process.arguments = arguments + [url]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CurlFailure(exitCode: process.terminationStatus)
        }

        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        var status = 0
        var parsed: [String: String] = [:]
        for line in headerText.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("HTTP/") {
                status = Int(line.split(separator: " ")[1]) ?? 0
            } else if let colon = line.firstIndex(of: ":") {
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces
                )
            }
        }
        return Response(status: status, headers: parsed, body: (try? Data(contentsOf: responseFile)) ?? Data())
    }

    struct CurlFailure: Error {
        let exitCode: Int32
    }
}
