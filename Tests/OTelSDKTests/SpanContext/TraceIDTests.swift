import OTelSDK
import Testing

@Suite("TraceID")
struct TraceIDTests {
    @Test("hex text and bytes round-trip")
    func roundTrip() throws {
        let id = try #require(TraceID(hexString: "0af7651916cd43dd8448eb211c80319c"))
        #expect(id.high == 0x0af7_6519_16cd_43dd)
        #expect(id.low == 0x8448_eb21_1c80_319c)
        #expect(id.hexString == "0af7651916cd43dd8448eb211c80319c")
        #expect(
            id.bytes == [
                0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c,
            ]
        )
        #expect(TraceID(bytes: id.bytes) == id)
        var written = [UInt8](repeating: 0, count: 16)
        written.withUnsafeMutableBytes { id.write(to: $0.baseAddress!) }
        #expect(written == id.bytes)
    }

    @Test(
        "malformed text is refused",
        arguments: [
            "", "0af7651916cd43dd8448eb211c80319", "0af7651916cd43dd8448eb211c80319c0",
            "0AF7651916CD43DD8448EB211C80319C", "0af7651916cd43dd8448eb211c80319g", "0af7651916cd43dd-448eb211c80319c",
        ]
    )
    func malformed(_ text: String) {
        #expect(TraceID(hexString: text) == nil)
    }

    @Test("all zero is invalid, anything else valid")
    func validity() {
        #expect(!TraceID.invalid.isValid)
        #expect(TraceID(hexString: "00000000000000000000000000000000") == .invalid)
        #expect(TraceID(high: 0, low: 1).isValid)
        #expect(TraceID(high: 1, low: 0).isValid)
        #expect(TraceID(bytes: [UInt8](repeating: 1, count: 15)) == nil)
    }
}
