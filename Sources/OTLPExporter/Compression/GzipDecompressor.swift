import CZlib

/// Gunzips bodies (gRPC responses, and requests in the project's receiver) with zlib,
/// refusing output over a size cap so that a hostile "zip bomb" cannot grow memory.
package enum GzipDecompressor {
    /// Why a body could not be gunzipped.
    package enum Failure: Error {
        /// The input is not a complete gzip stream.
        case notGzip
        /// The output would be larger than the cap.
        case tooLarge
    }

    /// `input` gunzipped.
    /// - Throws: ``Failure/notGzip`` or ``Failure/tooLarge`` (past `maximumBytes`).
    package static func decompress(_ input: [UInt8], maximumBytes: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .notGzip
        }
        defer { inflateEnd(&stream) }
        // Grows by doubling, so that a small body never reserves the whole cap.
        var output = [UInt8](repeating: 0, count: min(maximumBytes, max(4096, input.count * 4)))
        var input = input
        let result = input.withUnsafeMutableBufferPointer { input -> Result<[UInt8], Failure> in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            while true {
                let produced = Int(stream.total_out)
                let status = output.withUnsafeMutableBufferPointer { output in
                    stream.next_out = output.baseAddress! + produced
                    stream.avail_out = uInt(output.count - produced)
                    return inflate(&stream, Z_FINISH)
                }
                switch status {
                case Z_STREAM_END:
                    output.removeSubrange(Int(stream.total_out)...)
                    return .success(output)
                case Z_BUF_ERROR where stream.avail_out == 0:
                    guard output.count < maximumBytes else { return .failure(.tooLarge) }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, maximumBytes - output.count)))
                default:
                    return .failure(.notGzip)
                }
            }
        }
        return try result.get()
    }
}
