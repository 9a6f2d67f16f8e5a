import CZlib

/// Gzip compression of request bodies with zlib, reusing its stream and output buffer.
///
/// Level 1 (zlib's fastest): OTLP batches repeat their keys and names so much that it already
/// shrinks them several times, at a fraction of the default level's cost. Not thread-safe;
/// one compressor per exporting thread.
final class GzipCompressor {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    init() throws(OTLPTransportError) {
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip header and trailer around the deflate data.
        let status = deflateInit2_(
            stream,
            1,
            Z_DEFLATED,
            15 + 16,
            8,
            Z_DEFAULT_STRATEGY,
            ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            stream.deallocate()
            throw OTLPTransportError(reason: "zlib deflateInit2 failed (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    /// `input` gzip-compressed. The bytes live in the compressor's buffer until the next call.
    func compress(_ input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        deflateReset(stream)
        let bound = Int(deflateBound(stream, UInt(input.count)))
        if output.count < bound {
            output.deallocate()
            output = .allocate(byteCount: max(bound, output.count * 2), alignment: 16)
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        // The output has deflateBound's room, so one call finishes the stream.
        let status = deflate(stream, Z_FINISH)
        precondition(status == Z_STREAM_END, "deflate with deflateBound's room returned \(status)")
        return UnsafeRawBufferPointer(rebasing: output[0..<Int(stream.pointee.total_out)])
    }
}
