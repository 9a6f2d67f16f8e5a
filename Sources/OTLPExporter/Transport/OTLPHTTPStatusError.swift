/// A response with a status other than 2xx.
///
/// "The response body for all HTTP 4xx and HTTP 5xx responses MUST be a Protobuf-encoded
/// Status message that describes the problem" (OTLP specification), JSON-encoded for OTLP/JSON:
/// such a body is read for its message and code. Any other body is kept as text.
public struct OTLPHTTPStatusError: Error, CustomStringConvertible {
    /// The HTTP status.
    public let status: Int
    /// The collector's explanation: the `google.rpc.Status` message, or the start of the body
    /// as text.
    public let message: String
    /// The `google.rpc.Status` code, when the body was one and had a code.
    public let statusCode: Int?

    init(status: Int, body: [UInt8], contentType: String?) {
        self.status = status
        let mediaType = contentType?.split(separator: ";").first?.trimmingWhitespace().lowercased() ?? ""
        let decoded: (message: String, code: Int)? =
            switch mediaType {
            case "application/x-protobuf", "application/protobuf": Self.protobufStatus(body)
            case "application/json": Self.jsonStatus(body)
            default: nil
            }
        if let decoded {
            message = decoded.message
            statusCode = decoded.code == 0 ? nil : decoded.code
        } else {
            message = String(decoding: body.prefix(512), as: UTF8.self)
            statusCode = nil
        }
    }

    public var description: String {
        var text = "the collector answered HTTP \(status)"
        if !message.isEmpty { text += ": \(message)" }
        if let statusCode { text += " (code \(statusCode))" }
        if (300..<400).contains(status) { text += "; only 307 and 308 redirects are followed" }
        return text
    }

    private static func protobufStatus(_ body: [UInt8]) -> (message: String, code: Int)? {
        body.withUnsafeBytes { bytes in
            GoogleRPCStatus.withUnpacked(bytes) { status in
                (status.pointee.message.map { String(cString: $0) } ?? "", Int(status.pointee.code))
            }
        }
    }

    private static func jsonStatus(_ body: [UInt8]) -> (message: String, code: Int)? {
        guard let object = JSONValue(parsing: body), case .object = object, let message = object["message"]?.string
        else { return nil }
        let code: Int =
            switch object["code"] {
            case .integer(let code)?: Int(truncatingIfNeeded: code)
            case .unsignedInteger(let code)?: Int(truncatingIfNeeded: code)
            default: 0
            }
        return (message, code)
    }
}
