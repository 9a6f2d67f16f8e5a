import Testing

@testable import OTLPExporter

@Suite("Gzip compression")
struct GzipCompressorTests {
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
            #expect((try? GzipDecompressor.decompress(compressed, maximumBytes: 1 << 20)) == input)
        }
        // Repetitive data, as OTLP batches are, shrinks a lot.
        let repetitive = inputs[2]
        let size = repetitive.withUnsafeBytes { compressor.compress($0).count }
        #expect(size * 10 < repetitive.count)
    }

    @Test("inflating stops at the size cap and refuses what is not gzip")
    func decompressionLimits() throws {
        let compressor = try GzipCompressor()
        let large = [UInt8](repeating: 7, count: 100_000)
        let compressed = large.withUnsafeBytes { Array(compressor.compress($0)) }
        #expect((try? GzipDecompressor.decompress(compressed, maximumBytes: 100_000)) == large)
        #expect(throws: GzipDecompressor.Failure.tooLarge) {
            try GzipDecompressor.decompress(compressed, maximumBytes: 10_000)
        }
        #expect(throws: GzipDecompressor.Failure.notGzip) {
            try GzipDecompressor.decompress(Array("plain".utf8), maximumBytes: 1_000)
        }
    }
}
