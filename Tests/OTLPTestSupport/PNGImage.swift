import CZlib
import Foundation

/// The pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are),
/// so that tests can check what a rendered page shows.
public struct PNGImage {
    public struct Unsupported: Error, CustomStringConvertible {
        public let description: String
    }

    public let width: Int
    public let height: Int
    private let channels: Int
    private let pixels: [UInt8]

    /// Reads the PNG file at `path`.
    public init(contentsOfFile path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 8, bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Unsupported(description: "not a PNG file")
        }
        var offset = 8
        var header: ArraySlice<UInt8> = []
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let data = bytes[offset + 8..<min(offset + 8 + length, bytes.count)]
            if type == "IHDR" { header = data }
            if type == "IDAT" { compressed += data }
            offset += 12 + length
        }
        guard header.count == 13 else { throw Unsupported(description: "no IHDR chunk") }
        let start = header.startIndex
        width = header[start..<start + 4].reduce(0) { $0 << 8 | Int($1) }
        height = header[start + 4..<start + 8].reduce(0) { $0 << 8 | Int($1) }
        let (depth, colorType, interlace) = (header[start + 8], header[start + 9], header[start + 12])
        guard depth == 8, colorType == 2 || colorType == 6, interlace == 0 else {
            throw Unsupported(description: "bit depth \(depth), color type \(colorType), interlace \(interlace)")
        }
        channels = colorType == 6 ? 4 : 3
        let stride = width * channels
        let filtered = try Self.inflate(compressed, expected: height * (stride + 1))
        pixels = try Self.unfilter(filtered, stride: stride, height: height, bytesPerPixel: channels)
    }

    /// The red, green and blue of the pixel at (`x`, `y`).
    public func color(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let index = (y * width + x) * channels
        return (pixels[index], pixels[index + 1], pixels[index + 2])
    }

    /// How many pixels are within `tolerance` of the color `hex` (0xRRGGBB) on every channel.
    public func count(color hex: UInt32, tolerance: Int = 8) -> Int {
        let target = [Int(hex >> 16 & 0xFF), Int(hex >> 8 & 0xFF), Int(hex & 0xFF)]
        var count = 0
        for index in Swift.stride(from: 0, to: pixels.count, by: channels)
        where (0..<3).allSatisfy({ abs(Int(pixels[index + $0]) - target[$0]) <= tolerance }) {
            count += 1
        }
        return count
    }

    private static func inflate(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Unsupported(description: "zlib cannot start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: expected)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else {
            throw Unsupported(description: "image data does not inflate to \(expected) bytes")
        }
        return output
    }

    /// Reverses the per-row PNG filters (None, Sub, Up, Average, Paeth).
    private static func unfilter(_ data: [UInt8], stride: Int, height: Int, bytesPerPixel: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = data[row * (stride + 1)]
            for column in 0..<stride {
                let raw = Int(data[row * (stride + 1) + 1 + column])
                let left = column >= bytesPerPixel ? Int(result[row * stride + column - bytesPerPixel]) : 0
                let up = row > 0 ? Int(result[(row - 1) * stride + column]) : 0
                let upLeft =
                    row > 0 && column >= bytesPerPixel ? Int(result[(row - 1) * stride + column - bytesPerPixel]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (toLeft, toUp, toUpLeft) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predictor = toLeft <= toUp && toLeft <= toUpLeft ? left : (toUp <= toUpLeft ? up : upLeft)
                default: throw Unsupported(description: "filter type \(filter)")
                }
                result[row * stride + column] = UInt8((raw + predictor) & 0xFF)
            }
        }
        return result
    }
}
