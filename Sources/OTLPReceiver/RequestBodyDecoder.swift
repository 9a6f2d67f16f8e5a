import OTLPExporter
import OTelSDK

/// What one accepted request carried: spans, log records or metrics (`count` spans, records
/// or data points). The lists are empty when the receiver only counts.
struct DecodedItems {
    let signal: OTLPSignal
    let count: Int
    var spans: [SpanData] = []
    var logRecords: [LogRecordData] = []
    var metrics: [MetricData] = []
}

/// Turns a request body into spans, log records or metrics for both listeners: capped gunzip, then
/// protobuf-c or JSON decoding.
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

    func decode(_ body: [UInt8], signal: OTLPSignal, json: Bool, gzip: Bool) -> Result<DecodedItems, Refusal> {
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
            if signal == .metrics {
                let metrics =
                    try json ? OTLPMetricDecoder.decodeJSONRequest(body) : OTLPMetricDecoder.decodeRequest(body)
                return .success(
                    DecodedItems(
                        signal: signal,
                        count: metrics.reduce(0) { $0 + $1.points.count },
                        metrics: keepsSpans ? metrics : []
                    )
                )
            }
            if signal == .logs {
                let records = try json ? OTLPLogDecoder.decodeJSONRequest(body) : OTLPLogDecoder.decodeRequest(body)
                return .success(
                    DecodedItems(signal: signal, count: records.count, logRecords: keepsSpans ? records : [])
                )
            }
            if json {
                let spans = try OTLPTraceDecoder.decodeJSONRequest(body)
                return .success(DecodedItems(signal: signal, count: spans.count, spans: keepsSpans ? spans : []))
            }
            if keepsSpans {
                let spans = try OTLPTraceDecoder.decodeRequest(body)
                return .success(DecodedItems(signal: signal, count: spans.count, spans: spans))
            }
            let count = try body.withUnsafeBytes { try OTLPTraceDecoder.countSpans(inRequest: $0) }
            return .success(DecodedItems(signal: signal, count: count))
        } catch {
            return .failure(.undecodable(String(describing: error)))
        }
    }
}
