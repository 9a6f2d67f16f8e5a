import OTelSDK
import Testing

@Suite("SpanID")
struct SpanIDTests {
    @Test("hex text and bytes round-trip")
    func roundTrip() throws {
        let id = try #require(SpanID(hexString: "b7ad6b7169203331"))
        #expect(id.value == 0xb7ad_6b71_6920_3331)
        #expect(id.hexString == "b7ad6b7169203331")
        #expect(id.bytes == [0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31])
        #expect(SpanID(bytes: id.bytes) == id)
        #expect(SpanID(1).hexString == "0000000000000001")
    }

    @Test(
        "malformed text is refused",
        arguments: ["", "b7ad6b716920333", "b7ad6b71692033311", "B7AD6B7169203331", "b7ad6b716920333z"]
    )
    func malformed(_ text: String) {
        #expect(SpanID(hexString: text) == nil)
    }

    @Test("all zero is invalid")
    func validity() {
        #expect(!SpanID.invalid.isValid)
        #expect(SpanID(hexString: "0000000000000000") == .invalid)
        #expect(SpanID(1).isValid)
        #expect(SpanID(bytes: [1, 2, 3]) == nil)
    }
}
