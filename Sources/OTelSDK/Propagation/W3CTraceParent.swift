/// The W3C Trace Context `traceparent` header: `version-traceid-parentid-flags`.
///
/// Parsing follows the specification's rules: lowercase hex only, version `ff` invalid, a
/// version-00 header exactly 55 characters, a later version at least 55 with `-` after the
/// known fields (read as version 00), and all-zero ids invalid.
enum W3CTraceParent {
    static let headerName = "traceparent"

    /// The remote span context the header describes, or nil when it is malformed.
    static func parse(_ header: String) -> SpanContext? {
        var header = header
        return header.withUTF8 { bytes in
            // Optional whitespace around the value is allowed by HTTP.
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard value.count >= 55,
                let version = HexEncoding.parseUInt64(value[0..<2]), version != 0xFF,
                value[2] == UInt8(ascii: "-"), value[35] == UInt8(ascii: "-"), value[52] == UInt8(ascii: "-")
            else { return nil }
            if version == 0 {
                guard value.count == 55 else { return nil }
            } else if value.count > 55 {
                guard value[55] == UInt8(ascii: "-") else { return nil }
            }
            guard let high = HexEncoding.parseUInt64(value[3..<19]),
                let low = HexEncoding.parseUInt64(value[19..<35]),
                let spanID = HexEncoding.parseUInt64(value[36..<52]),
                let flags = HexEncoding.parseUInt64(value[53..<55])
            else { return nil }
            let context = SpanContext(
                traceID: TraceID(high: high, low: low),
                spanID: SpanID(spanID),
                traceFlags: TraceFlags(rawValue: UInt8(flags)),
                isRemote: true
            )
            return context.isValid ? context : nil
        }
    }

    /// The header value for `context`, version 00.
    static func format(_ context: SpanContext) -> String {
        "00-\(context.traceID.hexString)-\(context.spanID.hexString)-\(context.traceFlags.hexString)"
    }
}
