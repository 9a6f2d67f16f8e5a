import OTLPExporter
import OTelSDK

/// The spans of one accepted request; `spans` is empty when the receiver only counts.
struct DecodedSpans {
    let count: Int
    let spans: [SpanData]
}

/// Turns a request body into spans for both listeners: content type and encoding checks,
/// capped gunzip, protobuf-c or JSON decoding.
struct RequestBodyDecoder: Sendable {
    /// Why a body was refused; each maps to the status a collector would answer.
    enum Refusal: Error {
        case unsupportedMediaType(String)
        case tooLarge
        case undecodable(String)

        var message: String {
            switch self {
            case .unsupportedMediaType(let detail): "unsupported: \(detail)"
            case .tooLarge: "request too large"
            case .undecodable(let detail): "cannot decode the request: \(detail)"
            }
        }
    }

    let maximumBytes: Int
    let keepsSpans: Bool

    func decode(_ body: [UInt8], json: Bool, gzip: Bool) -> Result<DecodedSpans, Refusal> {
        var body = body
        if gzip {
            do {
                body = try GzipDecompressor.decompress(body, maximumBytes: maximumBytes)
            } catch .tooLarge {
                return .failure(.tooLarge)
            } catch {
                return .failure(.undecodable("the body is not valid gzip"))
            }
        }
        do {
            if json {
                let spans = try OTLPTraceDecoder.decodeJSONRequest(body)
                return .success(DecodedSpans(count: spans.count, spans: keepsSpans ? spans : []))
            }
            if keepsSpans {
                let spans = try OTLPTraceDecoder.decodeRequest(body)
                return .success(DecodedSpans(count: spans.count, spans: spans))
            }
            let count = try body.withUnsafeBytes { try OTLPTraceDecoder.countSpans(inRequest: $0) }
            return .success(DecodedSpans(count: count, spans: []))
        } catch {
            return .failure(.undecodable(String(describing: error)))
        }
    }
}
