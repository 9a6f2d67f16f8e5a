import CZlib

/// Gunzips small bodies (gRPC responses) with zlib, refusing output over a size cap so that
/// a hostile "zip bomb" cannot grow the exporter's memory.
enum GzipDecompressor {
    /// `input` gunzipped, or nil when it is not gzip or inflates past `maximumBytes`.
    static func decompress(_ input: [UInt8], maximumBytes: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: maximumBytes)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
