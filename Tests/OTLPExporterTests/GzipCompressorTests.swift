import CZlib
import Testing

@testable import OTLPExporter

@Suite("Gzip compressor")
struct GzipCompressorTests {
    /// `data` gunzipped with zlib's inflate.
    private func gunzip(_ data: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: 1 << 20)
        var input = data
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

    @Test("gzip output inflates back to the input, batch after batch")
    func roundTrip() throws {
        let compressor = try GzipCompressor()
        let inputs: [[UInt8]] = [
            [],
            Array("hello".utf8),
            Array(repeating: Array("messaging.system=kafka,".utf8), count: 2_000).flatMap { $0 },
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
        ]
        for input in inputs {
            let compressed = input.withUnsafeBytes { Array(compressor.compress($0)) }
            #expect(compressed.prefix(2) == [0x1F, 0x8B], "gzip magic")
            #expect(gunzip(compressed) == input)
        }
        // Repetitive data, as OTLP batches are, shrinks a lot.
        let repetitive = inputs[2]
        let size = repetitive.withUnsafeBytes { compressor.compress($0).count }
        #expect(size * 10 < repetitive.count)
    }
}
